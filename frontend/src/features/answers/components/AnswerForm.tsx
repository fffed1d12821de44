import { useId, useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { CheckboxField, TextAreaField, TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { TEXT_MAX, type ResponseWrite } from "../api";
import { answerBody, answerComplete, emptyAnswer, OTHER, type AnswerValues, type PromptShape } from "../model";

function MarkdownText({
  label,
  value,
  onChange,
  required,
  error,
  optional,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string | undefined;
  optional?: boolean;
}) {
  const { t } = useI18n();
  return (
    <TextAreaField
      label={optional ? t("answer.optional", { label }) : label}
      hint={`${t("answer.markdown_hint")} ${t("answer.count", { count: value.length, max: TEXT_MAX })}`}
      required={required}
      maxLength={TEXT_MAX}
      rows={6}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

function PollChoices({
  shape,
  values,
  onChange,
}: {
  shape: NonNullable<PromptShape["poll"]>;
  values: AnswerValues;
  onChange: (values: AnswerValues) => void;
}) {
  const { t } = useI18n();
  const name = useId();
  const options = [...shape.options, ...(shape.allowOther ? [{ key: OTHER, label: t("answer.other") }] : [])];
  const choose = (key: string, checked: boolean) => {
    const choices = shape.multiple
      ? checked
        ? [...values.choices, key]
        : values.choices.filter((c) => c !== key)
      : [key];
    onChange({ ...values, choices });
  };
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{shape.multiple ? t("answer.choose_many") : t("answer.choose_one")}</legend>
      {options.map((option) =>
        shape.multiple ? (
          <CheckboxField
            key={option.key}
            label={option.label}
            checked={values.choices.includes(option.key)}
            onChange={(e) => choose(option.key, e.target.checked)}
          />
        ) : (
          <div key={option.key} className="checkbox">
            <input
              id={`${name}-${option.key}`}
              type="radio"
              className="checkbox__control"
              name={name}
              checked={values.choices.includes(option.key)}
              onChange={() => choose(option.key, true)}
            />
            <label htmlFor={`${name}-${option.key}`} className="checkbox__label">
              {option.label}
            </label>
          </div>
        ),
      )}
      {values.choices.includes(OTHER) && (
        <TextField
          label={t("answer.other_text")}
          required
          maxLength={120}
          value={values.otherText}
          onChange={(e) => onChange({ ...values, otherText: e.target.value })}
        />
      )}
    </fieldset>
  );
}

function RatingScale({
  shape,
  values,
  onChange,
}: {
  shape: NonNullable<PromptShape["rating"]>;
  values: AnswerValues;
  onChange: (values: AnswerValues) => void;
}) {
  const { t } = useI18n();
  const name = useId();
  const points = Array.from({ length: shape.max - shape.min + 1 }, (_, i) => shape.min + i);
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{t("answer.rating")}</legend>
      <div className="rating-scale">
        {shape.minLabel && (
          <span className="rating-scale__end" aria-hidden="true">
            {shape.minLabel}
          </span>
        )}
        <div className="rating-scale__points">
          {points.map((point) => {
            const end = point === shape.min ? shape.minLabel : point === shape.max ? shape.maxLabel : null;
            return (
              <span key={point} className="rating-scale__point">
                <input
                  id={`${name}-${point}`}
                  type="radio"
                  className="rating-scale__input"
                  name={name}
                  value={point}
                  checked={values.rating === point}
                  aria-label={end ? t("answer.rating_point", { point, label: end }) : String(point)}
                  onChange={() => onChange({ ...values, rating: point })}
                />
                <label htmlFor={`${name}-${point}`} className="rating-scale__label">
                  {point}
                </label>
              </span>
            );
          })}
        </div>
        {shape.maxLabel && (
          <span className="rating-scale__end" aria-hidden="true">
            {shape.maxLabel}
          </span>
        )}
      </div>
    </fieldset>
  );
}

/**
 * The answer form for a prompt's kind: text (discussion, diary), choices (poll, with
 * "other"), a scale (rating, with an optional comment). Used to answer and to edit.
 */
export function AnswerForm({
  shape,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  shape: PromptShape;
  initial?: AnswerValues;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: ResponseWrite) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState<AnswerValues>(initial ?? emptyAnswer());
  const errors = fieldErrors(error);
  const complete = answerComplete(shape.kind, values);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (complete) onSubmit(answerBody(shape.kind, values));
  }

  const pollWithoutOptions =
    shape.kind === "poll" && (shape.poll?.options.length ?? 0) === 0 && !shape.poll?.allowOther;

  return (
    <form className="stack" onSubmit={submit} aria-label={t("answer.form")}>
      {error !== null && error !== undefined && <Alert>{problemMessage(error, t)}</Alert>}
      {(shape.kind === "discussion" || shape.kind === "diary") && (
        <MarkdownText
          label={t("answer.text")}
          required
          value={values.text}
          error={errors.text}
          onChange={(text) => setValues({ ...values, text })}
        />
      )}
      {shape.kind === "poll" &&
        (pollWithoutOptions ? (
          <p className="notice">{t("answer.poll_unavailable")}</p>
        ) : (
          shape.poll && <PollChoices shape={shape.poll} values={values} onChange={setValues} />
        ))}
      {shape.kind === "rating" && shape.rating && (
        <>
          <RatingScale shape={shape.rating} values={values} onChange={setValues} />
          {shape.rating.comment && (
            <MarkdownText
              label={t("answer.comment")}
              optional
              value={values.text}
              error={errors.text}
              onChange={(text) => setValues({ ...values, text })}
            />
          )}
        </>
      )}
      <div className="actions actions--start">
        <Button type="submit" disabled={pending || !complete || pollWithoutOptions}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
