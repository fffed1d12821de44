import { Link } from "@tanstack/react-router";
import { useId } from "react";

import { formatDateTimeIn } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import type { TimelineItem } from "../api";
import { nextToDo } from "../model";

/**
 * Once a prompt is answered (or a diary's entry for the period is written): a thank-you, the
 * entry count and when the next entry opens for a diary, and the next prompt to do ("Next →"),
 * or word that nothing else is waiting.
 */
export function WhatNext({
  item,
  items,
  spaceId,
  spaceTitle,
  timeZone,
}: {
  item: TimelineItem;
  items: readonly TimelineItem[];
  spaceId: string;
  spaceTitle: string;
  timeZone: string;
}) {
  const { t, lang } = useI18n();
  const headingId = useId();
  const diaryWaits = item.kind === "diary" && item.state === "open" && item.next_entry_at;
  if (item.state !== "answered" && !diaryWaits) return null;
  const next = nextToDo(items, item.prompt_id);
  return (
    <section className="card what-next stack stack--sm" aria-labelledby={headingId}>
      <h2 id={headingId}>{item.kind === "diary" ? t("what_next.entry_saved") : t("what_next.answered")}</h2>
      {item.kind === "diary" && (
        <p className="strong">{t("timeline.entries", { done: item.entries_done, expected: item.entries_expected })}</p>
      )}
      {diaryWaits && item.next_entry_at && (
        <p>{t("what_next.next_entry", { date: formatDateTimeIn(item.next_entry_at, lang, timeZone) })}</p>
      )}
      {next ? (
        <p>
          <Link
            to="/me/spaces/$spaceId/prompts/$promptId"
            params={{ spaceId, promptId: next.prompt_id }}
            className="what-next__link"
          >
            {t("what_next.next", { title: next.title })}
            <span aria-hidden="true"> →</span>
          </Link>
        </p>
      ) : (
        <>
          <p>{t("what_next.all_done")}</p>
          <p>
            <Link to="/me/spaces/$spaceId" params={{ spaceId }}>
              {t("prompt_page.back", { title: spaceTitle })}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
