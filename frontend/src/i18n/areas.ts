/**
 * The words only the studio shows, fetched with the studio's code rather than with every
 * participant's first screen (issue 12, "First load"). A key belongs to the studio part
 * when its prefix (the part before the first ".") is listed here; everything else is
 * in the base part that every screen loads.
 *
 * `tests/catalog-areas.test.ts` keeps this honest: a studio prefix may be used only by the
 * files of STUDIO_FILES, and those files are imported only by one another (or lazily by the
 * studio's routes), so a participant's screen can never ask for a word it did not load.
 */
export const STUDIO_PREFIXES: readonly string[] = [
  "console",
  "diary",
  "document",
  "duration",
  "emails",
  "import",
  "members",
  "notes",
  "organization",
  "participants",
  "poll",
  "preview",
  "queue",
  "rating",
  "rule",
  "shortcuts",
  "spaces",
  "staff_invitations",
];

/** Source files (paths from frontend/, or folders ending in "/") only the studio uses. */
export const STUDIO_FILES: readonly string[] = [
  "src/routes/studio/",
  "src/features/script/",
  "src/features/emails/",
  "src/features/organizations/",
  "src/features/spaces/",
  "src/features/invitations/components/StaffInvitations.tsx",
  "src/features/invitations/components/InvitationTable.tsx",
  "src/features/invitations/components/InviteDialog.tsx",
  "src/features/invitations/components/CsvImport.tsx",
  "src/features/invitations/components/ImportPreviewTable.tsx",
  "src/features/invitations/components/InvitationsPanel.tsx",
  "src/features/conversations/components/ConsolePanel.tsx",
  "src/features/conversations/components/ConsoleItem.tsx",
  "src/features/conversations/components/ProbeQueue.tsx",
  "src/features/conversations/components/ShortcutsHelp.tsx",
  "src/features/conversations/components/Notes.tsx",
  "src/features/conversations/components/NotAnswered.tsx",
  "src/features/invitations/components/labels.tsx",
];

/** The studio's route table is read by the router on every screen: it is not studio-only. */
export const NOT_STUDIO_FILES: readonly string[] = ["src/routes/studio/routes.ts"];

/** Whether a source file (path from frontend/) is used by the studio alone. */
export function isStudioFile(path: string): boolean {
  if (NOT_STUDIO_FILES.includes(path)) return false;
  return STUDIO_FILES.some((entry) => (entry.endsWith("/") ? path.startsWith(entry) : path === entry));
}

export type Area = "base" | "studio";

/** The part of the catalogs a key belongs to. */
export function areaOf(key: string): Area {
  const prefix = key.split(".", 1)[0] ?? key;
  return STUDIO_PREFIXES.includes(prefix) ? "studio" : "base";
}
