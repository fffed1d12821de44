import {
  useId,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

type FieldProps = {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Keeps the label for assistive technologies but hides it visually. */
  hideLabel?: boolean;
  className?: string;
};

function useFieldIds(hint?: string, error?: string) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy };
}

function FieldShell(props: FieldProps & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  const { label, hint, error, hideLabel, className, ids, children } = props;
  return (
    <div className={["field", error ? "field--invalid" : "", className].filter(Boolean).join(" ")}>
      <label htmlFor={ids.id} className={hideLabel ? "visually-hidden" : "field__label"}>
        {label}
      </label>
      {children}
      {hint && (
        <p id={ids.hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.errorId} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  hideLabel,
  className,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "className">) {
  const ids = useFieldIds(hint, error);
  return (
    <FieldShell {...{ label, hint, error, hideLabel, className, ids }}>
      <input
        id={ids.id}
        className="field__control"
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
        {...input}
      />
    </FieldShell>
  );
}

export function SelectField({
  label,
  hint,
  error,
  hideLabel,
  className,
  children,
  ...select
}: FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, "className">) {
  const ids = useFieldIds(hint, error);
  return (
    <FieldShell {...{ label, hint, error, hideLabel, className, ids }}>
      <select
        id={ids.id}
        className="field__control field__control--select"
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  );
}

/**
 * Ctrl+Enter (⌘+Enter on a Mac) in a text area sends its form, as in chat and mail apps;
 * Enter alone still starts a new line.
 */
export function sendOnModEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.nativeEvent.isComposing) return;
  event.preventDefault();
  event.currentTarget.form?.requestSubmit();
}

export function TextAreaField({
  label,
  hint,
  error,
  hideLabel,
  className,
  ...textarea
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "className"> & { ref?: Ref<HTMLTextAreaElement> }) {
  const ids = useFieldIds(hint, error);
  return (
    <FieldShell {...{ label, hint, error, hideLabel, className, ids }}>
      <textarea
        id={ids.id}
        className="field__control field__control--textarea"
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
        {...textarea}
      />
    </FieldShell>
  );
}

/** A checkbox with its label beside it (hint and error below). */
export function CheckboxField({
  label,
  hint,
  error,
  className,
  ...input
}: Omit<FieldProps, "hideLabel" | "label"> & { label: ReactNode } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    "className" | "type"
  >) {
  const ids = useFieldIds(hint, error);
  return (
    <div className={["checkbox", error ? "field--invalid" : "", className].filter(Boolean).join(" ")}>
      <input
        id={ids.id}
        type="checkbox"
        className="checkbox__control"
        aria-describedby={ids.describedBy}
        aria-invalid={error ? true : undefined}
        {...input}
      />
      <label htmlFor={ids.id} className="checkbox__label">
        {label}
      </label>
      {hint && (
        <p id={ids.hintId} className="field__hint checkbox__extra">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.errorId} className="field__error checkbox__extra">
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes (e.g. segments) in a fieldset with a legend. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  empty,
  disabled,
}: {
  legend: string;
  options: readonly { value: string; label: string }[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  empty?: string;
  disabled?: boolean;
}) {
  return (
    <fieldset className="fieldset">
      <legend className="field__label">{legend}</legend>
      {options.length === 0 && empty ? <p className="muted">{empty}</p> : null}
      {options.map((option) => (
        <CheckboxField
          key={option.value}
          label={option.label}
          checked={value.includes(option.value)}
          disabled={disabled}
          onChange={(event) =>
            onChange(event.target.checked ? [...value, option.value] : value.filter((item) => item !== option.value))
          }
        />
      ))}
    </fieldset>
  );
}

/** Radio buttons in a fieldset with a legend; each option can carry a one-line hint. */
export function RadioGroup<V extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  disabled,
  inline,
  hideLegend,
}: {
  legend: string;
  name: string;
  options: readonly { value: V; label: ReactNode; hint?: string }[];
  value: V | null;
  onChange: (value: V) => void;
  disabled?: boolean;
  inline?: boolean;
  hideLegend?: boolean;
}) {
  const id = useId();
  return (
    <fieldset className={["fieldset", inline ? "fieldset--inline" : ""].filter(Boolean).join(" ")} disabled={disabled}>
      <legend className={hideLegend ? "visually-hidden" : "field__label"}>{legend}</legend>
      {options.map((option, index) => {
        const optionId = `${id}-${index}`;
        const hintId = option.hint ? `${optionId}-hint` : undefined;
        return (
          <div key={option.value} className="checkbox">
            <input
              id={optionId}
              type="radio"
              className="checkbox__control"
              name={name}
              value={option.value}
              checked={value === option.value}
              aria-describedby={hintId}
              onChange={() => onChange(option.value)}
            />
            <label htmlFor={optionId} className="checkbox__label">
              {option.label}
            </label>
            {option.hint && (
              <p id={hintId} className="field__hint checkbox__extra">
                {option.hint}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
