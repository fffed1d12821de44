import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import {
  CheckboxField,
  CheckboxGroup,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { ApiError, fieldErrors, problemMessage } from "../../../lib/problem";
import {
  PROMPT_KINDS,
  PROMPT_STATUSES,
  useCreatePrompt,
  useUpdatePrompt,
  VISIBILITIES,
  type Prompt,
  type PromptKind,
  type PromptStatus,
  type Visibility,
} from "../api";
import {
  draftFromPrompt,
  draftToWrite,
  emptyDraft,
  kindLabel,
  promptStatusLabel,
  visibilityHint,
  visibilityLabel,
  type PromptDraft,
} from "../rules";
import { DiarySettings, PollOptionsEditor, RatingSettings } from "./KindSettings";
import { PromptImage } from "./PromptImage";
import { CloseRuleBuilder, ReleaseRuleBuilder } from "./RuleBuilder";

export type SegmentOption = { value: string; label: string };

/** Creates or edits a prompt; a rule the server refuses is explained beside the rule builder. */
export function PromptDialog({
  spaceId,
  timeZone,
  prompt,
  prompts,
  segments,
  onClose,
}: {
  spaceId: string;
  timeZone: string;
  prompt: Prompt | null;
  prompts: readonly Prompt[];
  segments: readonly SegmentOption[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreatePrompt(spaceId);
  const update = useUpdatePrompt(spaceId);
  const mutation = prompt ? update : create;
  const [draft, setDraft] = useState<PromptDraft>(() => (prompt ? draftFromPrompt(prompt) : emptyDraft()));
  const set = (patch: Partial<PromptDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const error = mutation.error;
  const ruleError =
    error instanceof ApiError && error.code === "script.invalid_rule" ? problemMessage(error, t) : undefined;
  const errors = fieldErrors(error);
  const others = prompts.filter((p) => p.id !== prompt?.id);
  const answered = (prompt?.response_count ?? 0) > 0;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = draftToWrite(draft, prompt?.key);
    const done = {
      onSuccess: (saved: Prompt) => {
        toast.show(t("script.saved", { title: saved.title }));
        onClose();
      },
    };
    if (prompt) update.mutate({ promptId: prompt.id, body }, done);
    else create.mutate(body, done);
  }

  return (
    <Dialog
      open
      title={prompt ? t("script.edit_title", { title: prompt.title }) : t("script.create_title")}
      onClose={onClose}
      closeLabel={t("common.close")}
      size="lg"
    >
      <form className="stack" onSubmit={onSubmit}>
        {error && !ruleError && <Alert>{problemMessage(error, t)}</Alert>}
        {answered && <p className="notice">{t("script.answered_notice", { count: prompt?.response_count ?? 0 })}</p>}
        <div className="grid-2">
          <SelectField
            label={t("prompt.kind")}
            value={draft.kind}
            disabled={answered}
            onChange={(e) => set({ kind: e.target.value as PromptKind })}
          >
            {PROMPT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(t, kind)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t("prompt.status")}
            value={draft.status}
            hint={t("prompt.status_hint")}
            onChange={(e) => set({ status: e.target.value as PromptStatus })}
          >
            {PROMPT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {promptStatusLabel(t, status)}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField
          label={t("prompt.title")}
          required
          maxLength={200}
          value={draft.title}
          error={errors.title}
          data-autofocus
          onChange={(e) => set({ title: e.target.value })}
        />
        <TextAreaField
          label={t("prompt.body")}
          hint={t("prompt.body_hint")}
          maxLength={10000}
          rows={4}
          value={draft.body}
          error={errors.body}
          onChange={(e) => set({ body: e.target.value })}
        />
        {prompt ? (
          <PromptImage spaceId={spaceId} prompt={prompt} />
        ) : (
          <p className="field__hint">{t("prompt.image_after_save")}</p>
        )}
        {draft.kind === "poll" && <PollOptionsEditor value={draft.poll} onChange={(poll) => set({ poll })} />}
        {draft.kind === "rating" && <RatingSettings value={draft.rating} onChange={(rating) => set({ rating })} />}
        {draft.kind === "diary" && <DiarySettings value={draft.diary} onChange={(diary) => set({ diary })} />}
        <CheckboxField
          label={t("prompt.required")}
          hint={t("prompt.required_hint")}
          checked={draft.required}
          onChange={(e) => set({ required: e.target.checked })}
        />
        <RadioGroup<Visibility>
          legend={t("prompt.visibility")}
          name="visibility"
          value={draft.visibility}
          onChange={(visibility) => set({ visibility })}
          options={VISIBILITIES.map((v) => ({ value: v, label: visibilityLabel(t, v), hint: visibilityHint(t, v) }))}
        />
        <ReleaseRuleBuilder
          value={draft.release}
          onChange={(release) => set({ release })}
          prompts={others}
          timeZone={timeZone}
          error={ruleError}
        />
        <CloseRuleBuilder value={draft.close} onChange={(close) => set({ close })} timeZone={timeZone} />
        <CheckboxGroup
          legend={t("prompt.segments")}
          options={segments}
          value={draft.segmentIds}
          onChange={(segmentIds) => set({ segmentIds })}
          empty={t("prompt.segments_none")}
        />
        <p className="field__hint">{t("prompt.segments_hint")}</p>
        <div className="actions dialog__footer">
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={mutation.isPending}>
            {t("script.save_prompt")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
