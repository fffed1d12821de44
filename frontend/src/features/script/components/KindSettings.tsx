import { Button } from "../../../components/Button";
import { CheckboxField, SelectField, TextField } from "../../../components/Field";
import { useI18n } from "../../../lib/i18n";
import { newUid, type PromptDraft } from "../rules";

export const MAX_POLL_OPTIONS = 20;
export const MIN_POLL_OPTIONS = 2;

type Poll = PromptDraft["poll"];

/** A poll's options: add, remove, move up and down; existing options keep their key. */
export function PollOptionsEditor({ value, onChange }: { value: Poll; onChange: (value: Poll) => void }) {
  const { t } = useI18n();
  const options = value.options;

  function move(index: number, by: -1 | 1) {
    const next = [...options];
    const [item] = next.splice(index, 1);
    if (!item) return;
    next.splice(index + by, 0, item);
    onChange({ ...value, options: next });
  }

  return (
    <fieldset className="fieldset">
      <legend className="field__label">{t("poll.options")}</legend>
      <ol className="option-list">
        {options.map((option, index) => {
          const position = index + 1;
          return (
            <li key={option.uid} className="option-list__item">
              <TextField
                label={t("poll.option_label", { n: position })}
                required
                maxLength={120}
                value={option.label}
                onChange={(e) =>
                  onChange({
                    ...value,
                    options: options.map((o) => (o.uid === option.uid ? { ...o, label: e.target.value } : o)),
                  })
                }
              />
              <div className="actions actions--start">
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={t("poll.option_up", { n: position })}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <span aria-hidden="true">↑</span>
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={t("poll.option_down", { n: position })}
                  disabled={index === options.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <span aria-hidden="true">↓</span>
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={t("poll.option_remove", { n: position })}
                  disabled={options.length <= MIN_POLL_OPTIONS}
                  onClick={() => onChange({ ...value, options: options.filter((o) => o.uid !== option.uid) })}
                >
                  {t("poll.remove")}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <div>
        <Button
          variant="secondary"
          size="sm"
          disabled={options.length >= MAX_POLL_OPTIONS}
          onClick={() => onChange({ ...value, options: [...options, { uid: newUid(), label: "" }] })}
        >
          {t("poll.add_option")}
        </Button>
      </div>
      <CheckboxField
        label={t("poll.multiple")}
        checked={value.multiple}
        onChange={(e) => onChange({ ...value, multiple: e.target.checked })}
      />
      <CheckboxField
        label={t("poll.allow_other")}
        checked={value.allowOther}
        onChange={(e) => onChange({ ...value, allowOther: e.target.checked })}
      />
    </fieldset>
  );
}

type Rating = PromptDraft["rating"];

export function RatingSettings({ value, onChange }: { value: Rating; onChange: (value: Rating) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{t("rating.scale")}</legend>
      <div className="grid-2">
        <SelectField
          label={t("rating.min")}
          value={value.min}
          onChange={(e) => onChange({ ...value, min: Number(e.target.value) })}
        >
          <option value={0}>0</option>
          <option value={1}>1</option>
        </SelectField>
        <SelectField
          label={t("rating.max")}
          value={value.max}
          onChange={(e) => onChange({ ...value, max: Number(e.target.value) })}
        >
          {Array.from({ length: 9 }, (_, i) => i + 2).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t("rating.min_label")}
          maxLength={120}
          value={value.minLabel}
          onChange={(e) => onChange({ ...value, minLabel: e.target.value })}
        />
        <TextField
          label={t("rating.max_label")}
          maxLength={120}
          value={value.maxLabel}
          onChange={(e) => onChange({ ...value, maxLabel: e.target.value })}
        />
      </div>
      <CheckboxField
        label={t("rating.comment")}
        checked={value.comment}
        onChange={(e) => onChange({ ...value, comment: e.target.checked })}
      />
    </fieldset>
  );
}

type Diary = PromptDraft["diary"];

export function DiarySettings({ value, onChange }: { value: Diary; onChange: (value: Diary) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{t("diary.settings")}</legend>
      <div className="grid-2">
        <TextField
          label={t("diary.entries")}
          type="number"
          min={1}
          max={60}
          required
          value={value.entries}
          onChange={(e) => onChange({ ...value, entries: Number(e.target.value) })}
        />
        <SelectField
          label={t("diary.period")}
          value={value.period}
          onChange={(e) => onChange({ ...value, period: e.target.value as Diary["period"] })}
        >
          <option value="day">{t("diary.period.day")}</option>
          <option value="week">{t("diary.period.week")}</option>
        </SelectField>
      </div>
    </fieldset>
  );
}
