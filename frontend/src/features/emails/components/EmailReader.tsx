import { useId } from "react";

import { Alert, Spinner } from "../../../components/Layout";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useEmail } from "../api";
import { emailCategoryLabel, emailStatusLabel } from "../labels";

/**
 * One kept or sent e-mail: its text body as is (the HTML body is never injected into the page).
 * The API masks every secret link (invitation, sign-in, unsubscribe): the mask is shown as sent.
 */
export function EmailReader({ orgId, emailId }: { orgId: string; emailId: string }) {
  const { t, lang } = useI18n();
  const email = useEmail(orgId, emailId);
  const noteId = useId();
  if (email.isPending) return <Spinner label={t("app.loading")} />;
  if (email.isError) return <Alert>{problemMessage(email.error, t)}</Alert>;
  const e = email.data;
  return (
    <article className="stack">
      <h1 className="break">{e.subject}</h1>
      <dl className="meta">
        <dt>{t("emails.recipient")}</dt>
        <dd className="break">{e.recipient}</dd>
        <dt>{t("emails.date")}</dt>
        <dd>{formatDateTime(e.created_at, lang)}</dd>
        <dt>{t("emails.category")}</dt>
        <dd>{emailCategoryLabel(t, e.category)}</dd>
        <dt>{t("emails.status")}</dt>
        <dd>{emailStatusLabel(t, e.status)}</dd>
        {e.last_error && (
          <>
            <dt>{t("emails.last_error")}</dt>
            <dd>{e.last_error}</dd>
          </>
        )}
      </dl>
      <pre className="email-body" tabIndex={0} aria-label={t("emails.body")} aria-describedby={noteId}>
        {e.body_text}
      </pre>
      <p id={noteId} className="muted">
        {t("emails.secret_links_note")}
      </p>
    </article>
  );
}
