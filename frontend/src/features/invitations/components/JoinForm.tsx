import { useEffect, useRef, useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { CheckboxField, TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { ApiError, fieldErrors, problemMessage } from "../../../lib/problem";
import {
  joinBody,
  useAcceptInvitation,
  validateJoin,
  type InvitationAccepted,
  type JoinErrors,
  type JoinValues,
  type PublicInvitation,
} from "../api";
import { landingProblem, LandingProblemView } from "./LandingProblem";

const MESSAGES: Record<keyof JoinValues, Partial<Record<NonNullable<JoinErrors[keyof JoinValues]>, MessageKey>>> = {
  pseudonym: { required: "join.pseudonym_required", too_short: "join.pseudonym_length", too_long: "join.pseudonym_length" },
  password: { too_short: "join.password_short" },
  displayName: { too_long: "join.display_name_long" },
  acceptTerms: { required: "join.terms_required" },
};

/** Pseudonym, optional password and name, and consent to the terms; staff invitations need none of those but the name. */
export function JoinForm({
  token,
  invitation,
  onJoined,
}: {
  token: string;
  invitation: PublicInvitation;
  onJoined: (accepted: InvitationAccepted) => void;
}) {
  const { t } = useI18n();
  const accept = useAcceptInvitation(token);
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<JoinValues>({ pseudonym: "", password: "", displayName: "", acceptTerms: false });
  const [errors, setErrors] = useState<JoinErrors>({});
  const [attempt, setAttempt] = useState(0);
  const space = invitation.space;
  const needs = { pseudonym: space !== null, terms: space !== null, password: !invitation.account_exists };
  const server = fieldErrors(accept.error);
  const pseudonymTaken = accept.error instanceof ApiError && accept.error.code === "participant.pseudonym_taken";

  // After a failed attempt, focus the first field in error.
  useEffect(() => {
    if (attempt > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  function message(field: keyof JoinValues): string | undefined {
    const code = errors[field];
    const key = code ? MESSAGES[field][code] : undefined;
    return key ? t(key) : undefined;
  }

  function set<K extends keyof JoinValues>(key: K, value: JoinValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
    if (errors[key]) setErrors((current) => ({ ...current, [key]: undefined }));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateJoin(values, needs);
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      setAttempt((n) => n + 1);
      return;
    }
    accept.mutate(joinBody(values, needs), { onSuccess: onJoined, onError: () => setAttempt((n) => n + 1) });
  }

  const gone = landingProblem(accept.error);
  if (gone && gone !== "not_found") return <LandingProblemView kind={gone} />;

  return (
    <form ref={formRef} className="stack" onSubmit={onSubmit} noValidate aria-labelledby="join-heading">
      <h2 id="join-heading">{space ? t("join.heading") : t("join.staff_heading")}</h2>
      {accept.isError && !pseudonymTaken && <Alert>{problemMessage(accept.error, t)}</Alert>}
      {needs.pseudonym && (
        <TextField
          label={t("join.pseudonym")}
          hint={t("join.pseudonym_hint")}
          required
          maxLength={40}
          autoComplete="nickname"
          value={values.pseudonym}
          error={message("pseudonym") ?? (pseudonymTaken ? t("problem.participant_pseudonym_taken") : server.pseudonym)}
          onChange={(e) => set("pseudonym", e.target.value)}
        />
      )}
      <TextField
        label={t("join.display_name")}
        hint={t("join.display_name_hint")}
        maxLength={120}
        autoComplete="name"
        value={values.displayName}
        error={message("displayName") ?? server.display_name}
        onChange={(e) => set("displayName", e.target.value)}
      />
      {needs.password ? (
        <TextField
          label={t("join.password")}
          hint={t("join.password_hint")}
          type="password"
          autoComplete="new-password"
          value={values.password}
          error={message("password") ?? server.password}
          onChange={(e) => set("password", e.target.value)}
        />
      ) : (
        <p className="muted">{t("join.account_exists")}</p>
      )}
      {space && (
        <>
          <details className="terms">
            <summary>{t("join.read_terms")}</summary>
            {space.terms_html ? (
              <div className="prose" dangerouslySetInnerHTML={{ __html: space.terms_html }} />
            ) : (
              <p className="muted">{t("join.no_terms")}</p>
            )}
          </details>
          <CheckboxField
            label={t("join.accept_terms")}
            checked={values.acceptTerms}
            error={message("acceptTerms")}
            onChange={(e) => set("acceptTerms", e.target.checked)}
          />
        </>
      )}
      <Button type="submit" size="lg" disabled={accept.isPending}>
        {space ? t("join.submit") : t("join.staff_submit")}
      </Button>
    </form>
  );
}
