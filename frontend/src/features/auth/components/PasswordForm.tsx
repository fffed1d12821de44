import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useChangePassword } from "../api";

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Change my password, or set a first one when I only ever signed in by e-mail link.
 * This device stays signed in; every other one is signed out.
 */
export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const { t } = useI18n();
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const errors = fieldErrors(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { ...(hasPassword ? { current_password: current } : {}), new_password: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          setRepeat("");
        },
      },
    );
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="password-title">
      <h2 id="password-title">{hasPassword ? t("password.change_title") : t("password.set_title")}</h2>
      <p className="muted">{hasPassword ? t("password.change_intro") : t("password.set_intro")}</p>
      {change.isSuccess && (
        <div className="notice" role="status">
          {t("password.changed")}
        </div>
      )}
      {change.isError && <Alert>{problemMessage(change.error, t)}</Alert>}
      {hasPassword && (
        <TextField
          label={t("password.current")}
          type="password"
          name="current_password"
          autoComplete="current-password"
          required
          value={current}
          error={errors.current_password}
          onChange={(event) => setCurrent(event.target.value)}
        />
      )}
      <TextField
        label={t("password.new")}
        hint={t("password.rule", { count: MIN_PASSWORD_LENGTH })}
        type="password"
        name="new_password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        maxLength={1024}
        value={next}
        error={errors.new_password}
        onChange={(event) => setNext(event.target.value)}
      />
      <TextField
        label={t("password.repeat")}
        type="password"
        name="repeat_password"
        autoComplete="new-password"
        required
        value={repeat}
        error={mismatch ? t("password.mismatch") : undefined}
        onChange={(event) => setRepeat(event.target.value)}
      />
      <div>
        <Button type="submit" disabled={change.isPending}>
          {hasPassword ? t("password.change_submit") : t("password.set_submit")}
        </Button>
      </div>
    </form>
  );
}
