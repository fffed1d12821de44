import { useId, useMemo, useState } from "react";

import { Button } from "../../../components/Button";
import { CheckboxField, SelectField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { LiveIndicator } from "../../../components/LiveIndicator";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useFeed, useInvalidateFeed } from "../api";
import {
  filterFeed,
  isOpenNow,
  mergeFeed,
  NO_FILTERS,
  type ConsoleParticipant,
  type ConsolePrompt,
  type FeedFilters,
} from "../model";
import { ConsoleItem } from "./ConsoleItem";
import { NotAnsweredPanel } from "./NotAnswered";
import { ProbeQueue } from "./ProbeQueue";
import { ShortcutsHelp } from "./ShortcutsHelp";

const PAGE = 30;

type Option = { value: string; label: string };

/**
 * The animator's live console: the latest answers of the space's published prompts
 * (refreshed every 5 s), filters, actions and shortcuts on each answer, who has not
 * answered yet, and the probe queue. Observers read it (and keep notes).
 */
export function ConsolePanel({
  spaceId,
  organizationId,
  prompts,
  participants,
  segments,
  canAct,
}: {
  spaceId: string;
  organizationId: string;
  prompts: readonly ConsolePrompt[];
  participants: readonly ConsoleParticipant[];
  segments: readonly Option[];
  canAct: boolean;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const [filters, setFilters] = useState<FeedFilters>(NO_FILTERS);
  const [shown, setShown] = useState(PAGE);
  const published = useMemo(() => prompts.filter((p) => p.status === "published"), [prompts]);
  const feed = useFeed(published.map((p) => p.id));
  const refresh = useInvalidateFeed();

  const segmentName = new Map(segments.map((s) => [s.value, s.label]));
  const segmentsOf = new Map(participants.map((p) => [p.id, p.segment_ids]));
  const merged = mergeFeed(feed.pages, published);
  const visible = filterFeed(merged, filters, segmentsOf);
  const promptOptions = published.map((p) => ({ value: p.id, label: p.title }));
  const set = (patch: Partial<FeedFilters>) => (setFilters((f) => ({ ...f, ...patch })), setShown(PAGE));

  return (
    <div className="console">
      <div className="console__main stack stack--lg">
        <section className="stack" aria-labelledby={headingId}>
          <div className="page-header">
            <h2 id={headingId}>{t("console.heading")}</h2>
            <LiveIndicator polling={t("console.live")} />
          </div>
          <div className="filters">
            <SelectField
              label={t("console.filter_prompt")}
              value={filters.promptId}
              onChange={(e) => set({ promptId: e.target.value })}
            >
              <option value="">{t("common.all")}</option>
              {promptOptions.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t("console.filter_segment")}
              value={filters.segmentId}
              onChange={(e) => set({ segmentId: e.target.value })}
            >
              <option value="">{t("common.all")}</option>
              {segments.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </SelectField>
            <CheckboxField
              label={t("console.filter_unreplied")}
              checked={filters.unrepliedOnly}
              onChange={(e) => set({ unrepliedOnly: e.target.checked })}
            />
          </div>
          {feed.error ? <Alert>{problemMessage(feed.error, t)}</Alert> : null}
          {feed.isPending && feed.pages.length === 0 && published.length > 0 ? (
            <Spinner label={t("app.loading")} />
          ) : (
            <>
              <p className="muted" role="status">
                {t("console.count", { count: visible.length })}
              </p>
              {visible.length === 0 ? (
                <p className="muted">{merged.length === 0 ? t("console.empty") : t("console.empty_filtered")}</p>
              ) : (
                <ol className="feed" aria-label={t("console.feed_label")}>
                  {visible.slice(0, shown).map((item) => (
                    <ConsoleItem
                      key={item.answer.id}
                      item={item}
                      organizationId={organizationId}
                      segmentNames={(segmentsOf.get(item.answer.participant_id) ?? []).map(
                        (id) => segmentName.get(id) ?? id,
                      )}
                      canAct={canAct}
                      onChanged={refresh}
                    />
                  ))}
                </ol>
              )}
              {visible.length > shown && (
                <Button variant="secondary" size="sm" onClick={() => setShown((n) => n + PAGE)}>
                  {t("common.show_more")}
                </Button>
              )}
            </>
          )}
        </section>
        <ProbeQueue spaceId={spaceId} prompts={promptOptions} segments={segments} />
      </div>
      <aside className="console__side stack" aria-label={t("console.side")}>
        <ShortcutsHelp canAct={canAct} />
        <NotAnsweredPanel prompts={published.filter((p) => isOpenNow(p))} canNudge={canAct} />
      </aside>
    </div>
  );
}
