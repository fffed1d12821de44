import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useLogin } from "../api";

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { t } = useI18n();
  const loginMutation = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const errors = fieldErrors(loginMutation.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    loginMutation.mutate({ email: email.trim(), password }, { onSuccess });
  }

  return (
    <form className="stack" onSubmit={onSubmit}>
      {loginMutation.isError && <Alert>{problemMessage(loginMutation.error, t)}</Alert>}
      <TextField
        label={t("login.email")}
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        error={errors.email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <TextField
        label={t("login.password")}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        error={errors.password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <p className="login__forgot">
        <Link to="/reset-password">{t("login.forgot_password")}</Link>
      </p>
      <Button type="submit" size="lg" disabled={loginMutation.isPending}>
        {t("login.submit")}
      </Button>
    </form>
  );
}
