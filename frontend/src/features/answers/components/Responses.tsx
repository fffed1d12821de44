import { useId, useState, type ReactNode } from "react";

import { Avatar } from "../../../components/Avatar";
import { NewMarker } from "../../../components/NewMarker";
import { Button } from "../../../components/Button";
import { useToast } from "../../../components/Toast";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { useEditResponse, type Aggregate, type Response } from "../api";
import { answerFromResponse, isEditable, type PromptShape } from "../model";
import { AnswerForm } from "./AnswerForm";

function percent(count: number, total: number): number {
  return total > 0 ? Math.round((count / total) * 100) : 0;
}

/** Poll counts as labelled bars, or a rating's average and distribution. */
export function AggregateView({ aggregate }: { aggregate: Aggregate }) {
  const { t } = useI18n();
  const total = aggregate.responses;
  const bars: { key: string; label: string; count: number }[] = aggregate.options
    ? [
        ...aggregate.options,
        ...(aggregate.other ? [{ key: "__other__", label: t("answer.other"), count: aggregate.other }] : []),
      ]
    : Object.entries(aggregate.rating_counts ?? {}).map(([value, count]) => ({ key: value, label: value, count }));
  return (
    <section className="card stack stack--sm" aria-labelledby="results-heading">
      <h2 id="results-heading">{t("answer.results")}</h2>
      <p className="muted">
        {t("answer.results_count", { count: total })}
        {aggregate.rating_average !== null &&
          aggregate.rating_average !== undefined &&
          ` · ${t("answer.average", { value: aggregate.rating_average })}`}
      </p>
      <ul className="bars">
        {bars.map((bar) => (
          <li key={bar.key} className="bars__item">
            <span className="bars__label">{bar.label}</span>
            <span className="bars__track" aria-hidden="true">
              <span className="bars__fill" style={{ width: `${percent(bar.count, total)}%` }} />
            </span>
            <span className="bars__value">
              {t("answer.bar_value", { count: bar.count, percent: percent(bar.count, total) })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResponseBody({ response, shape }: { response: Response; shape: PromptShape }) {
  const { t } = useI18n();
  const labels = new Map((shape.poll?.options ?? []).map((o) => [o.key, o.label]));
  const choices = response.choices.map((key) => labels.get(key) ?? key);
  if (response.other_text) choices.push(`${t("answer.other")}: ${response.other_text}`);
  return (
    <>
      {response.rating !== null && <p className="strong">{t("answer.rated", { value: response.rating })}</p>}
      {choices.length > 0 && <p className="strong">{choices.join(", ")}</p>}
      {/* Server-rendered and sanitized Markdown. */}
      {response.text_html && <div className="prose" dangerouslySetInnerHTML={{ __html: response.text_html }} />}
    </>
  );
}

/** Renders what goes under an answer (the route plugs the dialogue in: reactions, thread). */
export type ResponseFooter = (response: Response) => ReactNode;

function ResponseItem({
  response,
  shape,
  spaceId,
  footer,
}: {
  response: Response;
  shape: PromptShape;
  spaceId: string;
  footer?: ResponseFooter | undefined;
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const edit = useEditResponse(spaceId, response.prompt_id);
  const editable = isEditable(response);

  return (
    <li className={["response", response.mine ? "response--mine" : ""].filter(Boolean).join(" ")}>
      <article className="stack stack--sm" aria-label={t("answer.by", { name: response.author_pseudonym })}>
        <p className="response__meta">
          <Avatar name={response.author_pseudonym} />
          <span className="strong">
            {response.mine ? t("answer.you", { name: response.author_pseudonym }) : response.author_pseudonym}
          </span>{" "}
          <span className="muted">
            {formatDateTime(response.created_at, lang)}
            {response.edited_at && ` · ${t("answer.edited")}`}
          </span>{" "}
          <NewMarker createdAt={response.created_at} mine={response.mine} />
        </p>
        {editing ? (
          <AnswerForm
            shape={shape}
            initial={answerFromResponse(response)}
            submitLabel={t("answer.save_edit")}
            pending={edit.isPending}
            error={edit.error}
            onCancel={() => (edit.reset(), setEditing(false))}
            onSubmit={(body) =>
              edit.mutate(
                { responseId: response.id, body },
                { onSuccess: () => (toast.show(t("answer.edited_toast")), setEditing(false)) },
              )
            }
          />
        ) : (
          <ResponseBody response={response} shape={shape} />
        )}
        {editable && !editing && (
          <div className="actions actions--start">
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
              {t("answer.edit")}
            </Button>
            <span className="muted">
              {t("answer.editable_until", { time: formatDateTime(response.editable_until, lang) })}
            </span>
          </div>
        )}
        {footer?.(response)}
      </article>
    </li>
  );
}

export function ResponseList({
  responses,
  shape,
  spaceId,
  heading,
  footer,
}: {
  responses: readonly Response[];
  shape: PromptShape;
  spaceId: string;
  heading: string;
  footer?: ResponseFooter;
}) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <section className="stack" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {responses.length === 0 ? (
        <p className="muted">{t("answer.none_yet")}</p>
      ) : (
        <ul className="responses">
          {responses.map((r) => (
            <ResponseItem key={r.id} response={r} shape={shape} spaceId={spaceId} footer={footer} />
          ))}
        </ul>
      )}
    </section>
  );
}
