import { useState } from "react";

import { SelectField, TextField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { formatDateTimeIn } from "../../../lib/format";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { usePreview, type PreviewFilters, type TimelineItem } from "../api";
import { kindLabel } from "../rules";
import type { SegmentOption } from "./PromptDialog";

export const STATE_LABEL: Record<TimelineItem["state"], MessageKey> = {
  hidden: "timeline.state.hidden",
  upcoming: "timeline.state.upcoming",
  open: "timeline.state.open",
  answered: "timeline.state.answered",
  closed: "timeline.state.closed",
};

/** "p:<id>" → a participant, "s:<id>" → a newcomer of a segment, "" → a newcomer with no segment. */
export function previewFilters(who: string, at: string): PreviewFilters {
  const filters: PreviewFilters = {};
  if (who.startsWith("p:")) filters.participantId = who.slice(2);
  else if (who.startsWith("s:")) filters.segmentId = who.slice(2);
  if (at) filters.at = at;
  return filters;
}

/** "Preview as" someone (or a newcomer of a segment) at a date: what they would see, with states. */
export function TimelinePreview({
  spaceId,
  timeZone,
  segments,
  participants,
}: {
  spaceId: string;
  timeZone: string;
  segments: readonly SegmentOption[];
  participants: readonly SegmentOption[];
}) {
  const { t, lang } = useI18n();
  const [who, setWho] = useState("");
  const [at, setAt] = useState("");
  const preview = usePreview(spaceId, previewFilters(who, at));

  return (
    <section className="card stack" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t("preview.heading")}</h2>
      <div className="filters">
        <SelectField label={t("preview.as")} value={who} onChange={(e) => setWho(e.target.value)}>
          <option value="">{t("preview.newcomer")}</option>
          {segments.length > 0 && (
            <optgroup label={t("preview.segments")}>
              {segments.map((s) => (
                <option key={s.value} value={`s:${s.value}`}>
                  {t("preview.newcomer_of", { segment: s.label })}
                </option>
              ))}
            </optgroup>
          )}
          {participants.length > 0 && (
            <optgroup label={t("preview.participants")}>
              {participants.map((p) => (
                <option key={p.value} value={`p:${p.value}`}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          )}
        </SelectField>
        <TextField
          label={t("preview.at")}
          type="datetime-local"
          hint={t("preview.at_hint", { zone: timeZone })}
          value={at}
          onChange={(e) => setAt(e.target.value)}
        />
      </div>
      {preview.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : preview.isError ? (
        <Alert>{problemMessage(preview.error, t)}</Alert>
      ) : (
        <div className="stack stack--sm" aria-busy={preview.isFetching}>
          <p className="muted">
            {t("preview.summary", {
              at: formatDateTimeIn(preview.data.at, lang, preview.data.time_zone),
              zone: preview.data.time_zone,
              answered: preview.data.answered,
              expected: preview.data.expected,
            })}
          </p>
          {preview.data.items.length === 0 ? (
            <p className="muted">{t("preview.empty")}</p>
          ) : (
            <ol className="timeline" aria-label={t("preview.result")}>
              {preview.data.items.map((item) => (
                <li key={item.prompt_id} className="timeline__item">
                  <span className="strong">{item.title}</span>{" "}
                  <span className={`badge badge--state-${item.state}`}>{t(STATE_LABEL[item.state])}</span>
                  <span className="muted timeline__meta">
                    {kindLabel(t, item.kind)}
                    {item.opens_at &&
                      ` · ${t("timeline.opens", { date: formatDateTimeIn(item.opens_at, lang, preview.data.time_zone) })}`}
                    {item.closes_at &&
                      ` · ${t("timeline.closes", { date: formatDateTimeIn(item.closes_at, lang, preview.data.time_zone) })}`}
                    {item.kind === "diary" &&
                      ` · ${t("timeline.entries", { done: item.entries_done, expected: item.entries_expected })}`}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
