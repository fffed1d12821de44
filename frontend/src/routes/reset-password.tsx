import { Link, useLocation } from "@tanstack/react-router";
import { useEffect, useState, type FormEvent } from "react";

import { Button } from "../components/Button";
import { TextField } from "../components/Field";
import { Alert } from "../components/Layout";
import { PublicShell } from "../components/PublicShell";
import { readFragmentToken, useConfirmPasswordReset } from "../features/auth/api";
import { MIN_PASSWORD_LENGTH } from "../features/auth/components/PasswordForm";
import { PasswordResetRequestForm } from "../features/auth/components/PasswordResetRequestForm";
import { useI18n } from "../lib/i18n";
import { ApiError, fieldErrors, problemMessage } from "../lib/problem";

/** Without a token, ask for a reset link; with the e-mailed `#token=…`, choose a new password. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const location = useLocation();
  const [token] = useState(() => readFragmentToken(location.hash));

  useEffect(() => {
    // Keep the secret out of the address bar and history once read.
    if (token !== null && typeof window !== "undefined" && window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname);
    }
  }, [token]);

  return (
    <PublicShell>
      <div className="card login__card stack">
        {token === null ? (
          <>
            <h1 className="login__title">{t("reset.request_title")}</h1>
            <PasswordResetRequestForm />
          </>
        ) : (
          <NewPasswordForm token={token} />
        )}
        <p>
          <Link to="/login">{t("magic.back_to_login")}</Link>
        </p>
      </div>
    </PublicShell>
  );
}

function NewPasswordForm({ token }: { token: string }) {
  const { t } = useI18n();
  const confirm = useConfirmPasswordReset();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const errors = fieldErrors(confirm.error);
  const gone = confirm.error instanceof ApiError && confirm.error.status === 410;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    confirm.mutate({ token, new_password: password });
  }

  if (confirm.isSuccess) {
    return (
      <>
        <h1 className="login__title">{t("reset.done_title")}</h1>
        <div className="notice" role="status">
          <p>{t("reset.done_body")}</p>
        </div>
        <p>
          <Link to="/login" className="btn btn--primary btn--md">
            {t("reset.sign_in")}
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1 className="login__title">{t("reset.new_title")}</h1>
      {gone ? (
        <>
          <Alert>{t("reset.link_gone")}</Alert>
          <p>
            <Link to="/reset-password">{t("reset.ask_again")}</Link>
          </p>
        </>
      ) : (
        <form className="stack" onSubmit={onSubmit}>
          <p className="muted">{t("reset.new_intro")}</p>
          {confirm.isError && <Alert>{problemMessage(confirm.error, t)}</Alert>}
          <TextField
            label={t("password.new")}
            hint={t("password.rule", { count: MIN_PASSWORD_LENGTH })}
            type="password"
            name="new_password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={1024}
            value={password}
            error={errors.new_password}
            onChange={(event) => setPassword(event.target.value)}
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
          <Button type="submit" size="lg" disabled={confirm.isPending}>
            {t("reset.new_submit")}
          </Button>
        </form>
      )}
    </>
  );
}
