import { useId, useState } from "react";

import { Button } from "../../../components/Button";
import { SelectField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { Tabs } from "../../../components/Tabs";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { PROBE_STATUSES, useProbeQueue, type Probe, type ProbeStatus } from "../api";

type Option = { value: string; label: string };

function QueueItem({ probe, promptTitle }: { probe: Probe; promptTitle: string }) {
  const { t, lang } = useI18n();
  const when =
    probe.status === "answered"
      ? t("queue.answered_at", { date: formatDateTime(probe.answered_at, lang) })
      : probe.status === "overdue"
        ? t("queue.overdue_since", { date: formatDateTime(probe.due_at, lang) })
        : t("queue.due", { date: formatDateTime(probe.due_at, lang) });
  return (
    <li className="queue-item stack stack--sm">
      <p className="response__meta">
        <span className="strong">{probe.participant_pseudonym}</span> <span className="muted">· {promptTitle}</span>
      </p>
      {/* Server-rendered and sanitized Markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: probe.text_html }} />
      <p className="chips">
        <span className="chip chip--sm">{t(`probe.visibility.${probe.visibility}`)}</span>
        <span className={`badge badge--probe-${probe.status}`}>{when}</span>
        {probe.created_by_name && <span className="muted">{t("queue.asked_by", { name: probe.created_by_name })}</span>}
      </p>
    </li>
  );
}

/** Probes of the space waiting for an answer, overdue, or answered; by prompt and segment. */
export function ProbeQueue({
  spaceId,
  prompts,
  segments,
}: {
  spaceId: string;
  prompts: readonly Option[];
  segments: readonly Option[];
}) {
  const { t } = useI18n();
  const headingId = useId();
  const [status, setStatus] = useState<ProbeStatus>("open");
  const [promptId, setPromptId] = useState("");
  const [segmentId, setSegmentId] = useState("");
  const queue = useProbeQueue(spaceId, { status, promptId, segmentId });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const titles = new Map(prompts.map((p) => [p.value, p.label]));

  return (
    <section className="stack" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("queue.heading")}</h2>
      <div className="filters">
        <SelectField label={t("console.filter_prompt")} value={promptId} onChange={(e) => setPromptId(e.target.value)}>
          <option value="">{t("common.all")}</option>
          {prompts.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("console.filter_segment")}
          value={segmentId}
          onChange={(e) => setSegmentId(e.target.value)}
        >
          <option value="">{t("common.all")}</option>
          {segments.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </div>
      <Tabs
        label={t("queue.tabs")}
        selected={status}
        onSelect={setStatus}
        tabs={PROBE_STATUSES.map((key) => ({ key, label: t(`probe.status.${key}`) }))}
      >
        {queue.isPending ? (
          <Spinner label={t("app.loading")} />
        ) : queue.isError ? (
          <Alert>{problemMessage(queue.error, t)}</Alert>
        ) : items.length === 0 ? (
          <p className="muted">{t(`queue.empty.${status}`)}</p>
        ) : (
          <ul className="queue">
            {items.map((probe) => (
              <QueueItem key={probe.id} probe={probe} promptTitle={titles.get(probe.prompt_id) ?? ""} />
            ))}
          </ul>
        )}
        {queue.hasNextPage && (
          <Button
            variant="secondary"
            size="sm"
            disabled={queue.isFetchingNextPage}
            onClick={() => void queue.fetchNextPage()}
          >
            {t("common.show_more")}
          </Button>
        )}
      </Tabs>
    </section>
  );
}
