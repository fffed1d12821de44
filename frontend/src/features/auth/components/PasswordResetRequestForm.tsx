import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useRequestPasswordReset } from "../api";

/** "Forgot your password?": e-mails a reset link; the answer never says whether the address is known. */
export function PasswordResetRequestForm() {
  const { t, lang } = useI18n();
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState("");
  const errors = fieldErrors(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    request.mutate({ email: email.trim(), language: lang });
  }

  if (request.isSuccess) {
    return (
      <div className="notice" role="status">
        <p className="strong">{t("reset.sent_title")}</p>
        <p>{t("reset.sent_body", { email: email.trim() })}</p>
      </div>
    );
  }

  return (
    <form className="stack" onSubmit={onSubmit} aria-label={t("reset.request_title")}>
      <p>{t("reset.request_intro")}</p>
      {request.isError && <Alert>{problemMessage(request.error, t)}</Alert>}
      <TextField
        label={t("login.email")}
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        error={errors.email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <Button type="submit" size="lg" disabled={request.isPending}>
        {t("reset.request_submit")}
      </Button>
    </form>
  );
}
