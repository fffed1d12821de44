import { Link } from "@tanstack/react-router";
import { useId } from "react";

import { Alert, Spinner } from "../../../components/Layout";
import { formatDateTimeIn } from "../../../lib/format";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useMyTimeline, type PromptKind, type TimelineItem } from "../api";
import { groupTimeline, progressPercent } from "../model";

const KIND: Record<PromptKind, MessageKey> = {
  discussion: "prompt.kind.discussion",
  poll: "prompt.kind.poll",
  rating: "prompt.kind.rating",
  diary: "prompt.kind.diary",
};

export function ProgressBar({ answered, expected }: { answered: number; expected: number }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="progress">
      <p id={id} className="progress__label">
        {t("home.progress", { answered, expected })}
      </p>
      <progress
        className="progress__bar"
        aria-labelledby={id}
        max={Math.max(expected, 1)}
        value={Math.min(answered, Math.max(expected, 1))}
      >
        {progressPercent(answered, expected)}%
      </progress>
    </div>
  );
}

function Item({
  item,
  spaceId,
  timeZone,
  link,
  probed,
}: {
  item: TimelineItem;
  spaceId: string;
  timeZone: string;
  link: boolean;
  probed: boolean;
}) {
  const { t, lang } = useI18n();
  const meta: string[] = [t(KIND[item.kind])];
  if (item.required) meta.push(t("prompt.required_short"));
  if (item.state === "upcoming") {
    meta.push(
      item.opens_at
        ? t("home.opens", { date: formatDateTimeIn(item.opens_at, lang, timeZone) })
        : item.follows_title
          ? t("home.opens_after", { title: item.follows_title })
          : t("home.opens_later"),
    );
  }
  if (item.state === "open" && item.next_entry_at)
    meta.push(t("home.next_entry", { date: formatDateTimeIn(item.next_entry_at, lang, timeZone) }));
  if (item.state === "open" && item.closes_at)
    meta.push(t("home.closes", { date: formatDateTimeIn(item.closes_at, lang, timeZone) }));
  if (item.state === "closed") meta.push(t("timeline.state.closed"));
  if (item.kind === "diary")
    meta.push(t("timeline.entries", { done: item.entries_done, expected: item.entries_expected }));
  return (
    <li className="todo">
      {link ? (
        <Link
          to="/me/spaces/$spaceId/prompts/$promptId"
          params={{ spaceId, promptId: item.prompt_id }}
          className="todo__title"
        >
          {item.title}
        </Link>
      ) : (
        <span className="todo__title">{item.title}</span>
      )}
      {probed && <span className="badge badge--brand todo__badge">{t("home.probe_badge")}</span>}
      <span className="muted todo__meta">{meta.join(" · ")}</span>
    </li>
  );
}

function Section({
  id,
  title,
  items,
  empty,
  spaceId,
  timeZone,
  link,
  probed,
}: {
  id: string;
  title: string;
  items: TimelineItem[];
  empty: string;
  spaceId: string;
  timeZone: string;
  link: boolean;
  probed: ReadonlySet<string>;
}) {
  return (
    <section className="card stack stack--sm" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="todos">
          {items.map((item) => (
            <Item
              key={item.prompt_id}
              item={item}
              spaceId={spaceId}
              timeZone={timeZone}
              link={link || item.state === "open"}
              probed={probed.has(item.prompt_id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The participant's home: progress, then "To do now", "Coming next" and "Done". A prompt
 * whose answer the brand asked about (`probed`: prompt ids) wears a badge wherever it is.
 */
export function TimelineSections({ spaceId, probed = NONE }: { spaceId: string; probed?: ReadonlySet<string> }) {
  const { t } = useI18n();
  const timeline = useMyTimeline(spaceId);
  if (timeline.isPending) return <Spinner label={t("app.loading")} />;
  if (timeline.isError) return <Alert>{problemMessage(timeline.error, t)}</Alert>;
  const { items, answered, expected, time_zone: timeZone } = timeline.data;
  const groups = groupTimeline(items);
  const common = { spaceId, timeZone, probed };

  return (
    <div className="stack">
      {expected > 0 && <ProgressBar answered={answered} expected={expected} />}
      <Section
        id="todo-heading"
        title={t("home.todo")}
        items={groups.todo}
        empty={t("home.todo_empty")}
        link
        {...common}
      />
      <Section
        id="next-heading"
        title={t("home.next")}
        items={groups.next}
        empty={t("home.next_empty")}
        link={false}
        {...common}
      />
      <Section
        id="done-heading"
        title={t("home.done")}
        items={groups.done}
        empty={t("home.done_empty")}
        link
        {...common}
      />
    </div>
  );
}
