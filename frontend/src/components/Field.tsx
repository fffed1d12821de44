import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

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
