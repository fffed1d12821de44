import { createContext, useContext } from "react";

import { useI18n } from "../lib/i18n";

/**
 * When the reader last came to the space, before this visit: answers and replies by others
 * written since are marked "New". Provided by the participant's prompt page; elsewhere (the
 * console) nothing is marked.
 */
export const LastVisitContext = createContext<Date | null>(null);

/** Whether an item by someone else was written after the reader's last visit. */
export function isNew(createdAt: string, mine: boolean, lastVisit: Date | null): boolean {
  return !mine && lastVisit !== null && new Date(createdAt) > lastVisit;
}

export function NewMarker({ createdAt, mine }: { createdAt: string; mine: boolean }) {
  const { t } = useI18n();
  const lastVisit = useContext(LastVisitContext);
  if (!isNew(createdAt, mine, lastVisit)) return null;
  return <span className="badge badge--new">{t("thread.new_since_visit")}</span>;
}
