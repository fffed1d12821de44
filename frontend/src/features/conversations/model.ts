import type { Schemas } from "../../api/client";
import type { Answer, Probe, Reply } from "./api";

export type ConsolePrompt = Schemas["PromptRead"];
export type ConsoleParticipant = Schemas["ParticipantRead"];

/* The feed */

export type FeedItem = { answer: Answer; prompt: ConsolePrompt };

/** Answers of several prompts merged, newest first (ties broken by id for a stable order). */
export function mergeFeed(
  pages: readonly { promptId: string; items: readonly Answer[] }[],
  prompts: readonly ConsolePrompt[],
): FeedItem[] {
  const byId = new Map(prompts.map((p) => [p.id, p]));
  const items: FeedItem[] = [];
  for (const page of pages) {
    const prompt = byId.get(page.promptId);
    if (!prompt) continue;
    for (const answer of page.items) items.push({ answer, prompt });
  }
  return items.sort((a, b) => {
    const diff = Date.parse(b.answer.created_at) - Date.parse(a.answer.created_at);
    return diff !== 0 ? diff : b.answer.id.localeCompare(a.answer.id);
  });
}

export type FeedFilters = { promptId: string; segmentId: string; unrepliedOnly: boolean };

export const NO_FILTERS: FeedFilters = { promptId: "", segmentId: "", unrepliedOnly: false };

/** Filters by prompt, by the author's segment and by "not yet replied by the brand". */
export function filterFeed(
  items: readonly FeedItem[],
  filters: FeedFilters,
  segmentsOf: ReadonlyMap<string, readonly string[]>,
): FeedItem[] {
  return items.filter(({ answer }) => {
    if (filters.promptId && answer.prompt_id !== filters.promptId) return false;
    if (filters.unrepliedOnly && answer.brand_replied) return false;
    if (filters.segmentId && !(segmentsOf.get(answer.participant_id) ?? []).includes(filters.segmentId)) return false;
    return true;
  });
}

/* Which prompts are open (who has not answered them comes from the API) */

function due(at: string | null | undefined, now: number): boolean {
  return !!at && Date.parse(at) <= now;
}

/** Whether a published prompt is open to someone now (per-participant rules count as open). */
export function isOpenNow(prompt: ConsolePrompt, now: number = Date.now()): boolean {
  if (prompt.status !== "published") return false;
  const { release, close } = prompt;
  if (close.closed_at) return false;
  if (close.kind === "at" && due(close.at, now)) return false;
  if (release.kind === "manual") return !!release.released_at;
  if (release.kind === "at") return due(release.at, now);
  return true;
}

/* The thread: probes and replies in one chronological list */

export type ThreadEntry = { kind: "probe"; probe: Probe } | { kind: "reply"; reply: Reply };

export function threadEntries(replies: readonly Reply[], probes: readonly Probe[]): ThreadEntry[] {
  const entries: ThreadEntry[] = [
    ...probes.map((probe) => ({ kind: "probe" as const, probe })),
    ...replies.map((reply) => ({ kind: "reply" as const, reply })),
  ];
  const at = (e: ThreadEntry) => Date.parse(e.kind === "probe" ? e.probe.created_at : e.reply.created_at);
  return entries.sort((a, b) => at(a) - at(b));
}

/** Probes the participant still has to answer. */
export function pendingProbes(probes: readonly Probe[]): Probe[] {
  return probes.filter((p) => p.status !== "answered");
}

/* Keyboard shortcuts of the console */

export type ShortcutAction =
  | "reply"
  | "probe_public"
  | "probe_private"
  | "note"
  | "react_1"
  | "react_2"
  | "react_3"
  | "react_4"
  | "next"
  | "previous";

const KEYS: Record<string, ShortcutAction> = {
  r: "reply",
  p: "probe_public",
  P: "probe_private",
  n: "note",
  "1": "react_1",
  "2": "react_2",
  "3": "react_3",
  "4": "react_4",
  j: "next",
  k: "previous",
};

/** True when keys typed go into a field (shortcuts must never fire there). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["button", "submit", "reset", "checkbox", "radio"].includes(type);
}

/** The action of a key press on a focused feed item, or null (modifiers, fields, other keys). */
export function shortcutFor(event: {
  key: string;
  target: EventTarget | null;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  return KEYS[event.key] ?? null;
}

/* Saved probe texts */

/** Length of the title given to a saved probe text: the text's start, on one line. */
export const TEMPLATE_TITLE_MAX = 60;

export function templateTitle(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, TEMPLATE_TITLE_MAX).trim();
}

/* Editing my reply */

/** Replies can be edited for this long after posting (the API's window). */
export const REPLY_EDIT_MINUTES = 15;

export function isReplyEditable(reply: Pick<Reply, "mine" | "created_at">, now: number = Date.now()): boolean {
  return reply.mine && now - Date.parse(reply.created_at) < REPLY_EDIT_MINUTES * 60_000;
}
