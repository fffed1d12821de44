import { useState, type FormEvent, type Ref } from "react";

import { Button } from "../../../components/Button";
import { sendOnModEnter, TextAreaField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";

export const TEXT_MAX = 5000;

/**
 * One text area and a submit button (replies, probe answers, notes). Empties itself
 * when `onSubmit` resolves; the API's problem is shown readably under the field.
 */
export function TextForm({
  label,
  submitLabel,
  onSubmit,
  pending,
  error,
  onCancel,
  textareaRef,
  rows = 3,
  formLabel,
}: {
  label: string;
  submitLabel: string;
  onSubmit: (text: string) => Promise<unknown>;
  pending: boolean;
  error: unknown;
  onCancel?: () => void;
  textareaRef?: Ref<HTMLTextAreaElement>;
  rows?: number;
  formLabel?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const empty = text.trim().length === 0;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (empty || pending) return;
    onSubmit(text.trim()).then(
      () => setText(""),
      () => {
        // The error is shown from the mutation state; the text stays to retry.
      },
    );
  }

  return (
    <form className="stack stack--sm text-form" onSubmit={submit} aria-label={formLabel} noValidate>
      <TextAreaField
        ref={textareaRef}
        label={label}
        value={text}
        rows={rows}
        maxLength={TEXT_MAX}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={sendOnModEnter}
        aria-keyshortcuts="Control+Enter Meta+Enter"
      />
      {error ? <Alert>{problemMessage(error, t)}</Alert> : null}
      <div className="actions actions--start">
        <Button type="submit" size="sm" disabled={empty || pending}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" size="sm" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
