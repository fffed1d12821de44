import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useRequestEmailChange } from "../api";

/** Move the account to another address; nothing changes until the link sent there is followed. */
export function EmailChangeForm({ hasPassword }: { hasPassword: boolean }) {
  const { t, lang } = useI18n();
  const request = useRequestEmailChange();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const errors = fieldErrors(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({
      new_email: email.trim(),
      ...(hasPassword ? { password } : {}),
      language: lang,
    });
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-labelledby="email-change-title">
      <h2 id="email-change-title">{t("email_change.title")}</h2>
      <p className="muted">{t("email_change.intro")}</p>
      {request.isSuccess && (
        <div className="notice" role="status">
          {t("email_change.sent", { email: email.trim() })}
        </div>
      )}
      {request.isError && <Alert>{problemMessage(request.error, t)}</Alert>}
      <TextField
        label={t("email_change.new_email")}
        type="email"
        name="new_email"
        autoComplete="email"
        required
        value={email}
        error={errors.new_email}
        onChange={(event) => setEmail(event.target.value)}
      />
      {hasPassword && (
        <TextField
          label={t("password.current")}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          error={errors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
      )}
      <div>
        <Button type="submit" disabled={request.isPending}>
          {t("email_change.submit")}
        </Button>
      </div>
    </form>
  );
}
