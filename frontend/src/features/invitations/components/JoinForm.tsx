import { Link } from "@tanstack/react-router";
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
  pseudonym: {
    required: "join.pseudonym_required",
    too_short: "join.pseudonym_length",
    too_long: "join.pseudonym_length",
  },
  password: { too_short: "join.password_short" },
  displayName: { too_long: "join.display_name_long" },
  acceptTerms: { required: "join.terms_required" },
};

/** Who is signed in on this browser while the invitation page is open. */
export type Viewer = { status: "loading" } | { status: "anonymous" } | { status: "signed_in"; email: string };

type Props = {
  token: string;
  invitation: PublicInvitation;
  viewer: Viewer;
  signingOut: boolean;
  onSignOut: () => void;
  onJoined: (accepted: InvitationAccepted) => void;
};

/**
 * What the invited person does next. A newcomer chooses a pseudonym (and optionally a
 * password) and joins, which creates their account. Someone who already has an account
 * signs in as the invited address first: the link alone never signs into an account.
 */
export function JoinForm(props: Props) {
  const { invitation, viewer } = props;
  const signedInAs = viewer.status === "signed_in" ? viewer.email : null;
  if (signedInAs !== null && signedInAs.toLowerCase() !== invitation.email.toLowerCase()) {
    return (
      <OtherAccount
        email={invitation.email}
        signedInAs={signedInAs}
        signingOut={props.signingOut}
        onSignOut={props.onSignOut}
      />
    );
  }
  if (signedInAs === null && invitation.account_exists)
    return <SignInFirst token={props.token} email={invitation.email} />;
  return <AcceptForm {...props} asExisting={signedInAs !== null} />;
}

function SignInFirst({ token, email }: { token: string; email: string }) {
  const { t } = useI18n();
  const back = `/invitations/${token}`;
  return (
    <section className="stack" aria-labelledby="join-heading">
      <h2 id="join-heading">{t("join.sign_in_heading")}</h2>
      <p>{t("join.sign_in_body", { email })}</p>
      <p className="muted">{t("join.sign_in_why")}</p>
      <div className="actions actions--start">
        <Link className="btn btn--primary btn--lg" to="/login" search={{ redirect: back }}>
          {t("join.sign_in_password")}
        </Link>
        <Link className="btn btn--secondary btn--lg" to="/login" search={{ redirect: back, method: "link" }}>
          {t("join.sign_in_link")}
        </Link>
      </div>
    </section>
  );
}

function OtherAccount({
  email,
  signedInAs,
  signingOut,
  onSignOut,
}: {
  email: string;
  signedInAs: string;
  signingOut: boolean;
  onSignOut: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="stack" aria-labelledby="join-heading">
      <h2 id="join-heading">{t("join.other_account_heading")}</h2>
      <p>{t("join.other_account_body", { email, current: signedInAs })}</p>
      <Button size="lg" variant="secondary" onClick={onSignOut} disabled={signingOut}>
        {t("join.sign_out")}
      </Button>
    </section>
  );
}

function AcceptForm({ token, invitation, onJoined, asExisting }: Props & { asExisting: boolean }) {
  const { t } = useI18n();
  const accept = useAcceptInvitation(token);
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<JoinValues>({
    pseudonym: "",
    password: "",
    displayName: "",
    acceptTerms: false,
  });
  const [errors, setErrors] = useState<JoinErrors>({});
  const [attempt, setAttempt] = useState(0);
  const space = invitation.space;
  const needs = { pseudonym: space !== null, terms: space !== null, password: !asExisting, displayName: !asExisting };
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
  // The address got an account meanwhile: its owner signs in first.
  if (accept.error instanceof ApiError && accept.error.code === "invitation.sign_in_required") {
    return <SignInFirst token={token} email={invitation.email} />;
  }

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
      {needs.displayName && (
        <TextField
          label={t("join.display_name")}
          hint={t("join.display_name_hint")}
          maxLength={120}
          autoComplete="name"
          value={values.displayName}
          error={message("displayName") ?? server.display_name}
          onChange={(e) => set("displayName", e.target.value)}
        />
      )}
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
        <p className="muted">{t("join.signed_in_as", { email: invitation.email })}</p>
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
