import { useId } from "react";

import { CheckboxGroup, SelectField, TextField } from "../../../components/Field";
import { useI18n } from "../../../lib/i18n";
import { CLOSE_KINDS, RELEASE_KINDS, type Prompt } from "../api";
import {
  closeFields,
  closeKindLabel,
  releaseFields,
  releaseKindLabel,
  type DelayUnit,
  type PromptDraft,
} from "../rules";

type Release = PromptDraft["release"];
type Close = PromptDraft["close"];

function DelayInput({
  label,
  value,
  unit,
  onChange,
}: {
  label: string;
  value: string;
  unit: DelayUnit;
  onChange: (value: string, unit: DelayUnit) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{label}</legend>
      <div className="inline-fields">
        <TextField
          label={t("rule.delay_value")}
          hideLabel
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          required
          value={value}
          onChange={(e) => onChange(e.target.value, unit)}
        />
        <SelectField
          label={t("rule.delay_unit")}
          hideLabel
          value={unit}
          onChange={(e) => onChange(value, e.target.value as DelayUnit)}
        >
          <option value="days">{t("rule.unit.days")}</option>
          <option value="hours">{t("rule.unit.hours")}</option>
        </SelectField>
      </div>
    </fieldset>
  );
}

/**
 * When a prompt opens: pick the kind of rule, then only the inputs that kind needs
 * (the prompt it depends on, that poll's options, a date-time in the space's zone, a delay).
 */
export function ReleaseRuleBuilder({
  value,
  onChange,
  prompts,
  timeZone,
  error,
}: {
  value: Release;
  onChange: (value: Release) => void;
  /** The other prompts of the script (not the one being edited). */
  prompts: readonly Prompt[];
  timeZone: string;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const errorId = useId();
  const fields = releaseFields(value.kind);
  const candidates = value.kind === "when_answer" ? prompts.filter((p) => p.kind === "poll") : prompts;
  const source = prompts.find((p) => p.id === value.promptId);
  const options = (source?.poll?.options ?? []).filter((o): o is { key: string; label: string } => !!o.key);
  const set = (patch: Partial<Release>) => onChange({ ...value, ...patch });

  return (
    <fieldset className="fieldset rule-builder" aria-describedby={error ? errorId : undefined}>
      <legend className="field__label">{t("rule.release_legend")}</legend>
      <SelectField
        label={t("rule.release_kind")}
        value={value.kind}
        onChange={(e) => set({ kind: e.target.value as Release["kind"], optionKeys: [] })}
      >
        {RELEASE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {releaseKindLabel(t, kind)}
          </option>
        ))}
      </SelectField>
      {fields.prompt && (
        <SelectField
          label={t("rule.depends_on")}
          required
          value={value.promptId}
          hint={value.kind === "when_answer" && candidates.length === 0 ? t("rule.no_poll") : undefined}
          onChange={(e) => set({ promptId: e.target.value, optionKeys: [] })}
        >
          <option value="">{t("rule.choose_prompt")}</option>
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </SelectField>
      )}
      {fields.options && source && (
        <CheckboxGroup
          legend={t("rule.options", { title: source.title })}
          options={options.map((o) => ({ value: o.key, label: o.label }))}
          value={value.optionKeys}
          onChange={(optionKeys) => set({ optionKeys })}
          empty={t("rule.no_options")}
        />
      )}
      {fields.at && (
        <TextField
          label={t("rule.release_at")}
          type="datetime-local"
          required
          hint={t("rule.zone_hint", { zone: timeZone })}
          value={value.at}
          onChange={(e) => set({ at: e.target.value })}
        />
      )}
      {fields.delay && (
        <DelayInput
          label={value.kind === "after_join" ? t("rule.delay_after_join") : t("rule.delay_after_answer")}
          value={value.delay}
          unit={value.unit}
          onChange={(delay, unit) => set({ delay, unit })}
        />
      )}
      {error && (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function CloseRuleBuilder({
  value,
  onChange,
  timeZone,
}: {
  value: Close;
  onChange: (value: Close) => void;
  timeZone: string;
}) {
  const { t } = useI18n();
  const fields = closeFields(value.kind);
  const set = (patch: Partial<Close>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="fieldset rule-builder">
      <legend className="field__label">{t("rule.close_legend")}</legend>
      <SelectField
        label={t("rule.close_kind")}
        value={value.kind}
        onChange={(e) => set({ kind: e.target.value as Close["kind"] })}
      >
        {CLOSE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {closeKindLabel(t, kind)}
          </option>
        ))}
      </SelectField>
      {fields.at && (
        <TextField
          label={t("rule.close_at")}
          type="datetime-local"
          required
          hint={t("rule.zone_hint", { zone: timeZone })}
          value={value.at}
          onChange={(e) => set({ at: e.target.value })}
        />
      )}
      {fields.delay && (
        <DelayInput
          label={t("rule.delay_after_open")}
          value={value.delay}
          unit={value.unit}
          onChange={(delay, unit) => set({ delay, unit })}
        />
      )}
    </fieldset>
  );
}
