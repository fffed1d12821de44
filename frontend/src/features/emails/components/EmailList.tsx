import { Link } from "@tanstack/react-router";

import { Button } from "../../../components/Button";
import { Alert, Spinner } from "../../../components/Layout";
import { Table, type Column } from "../../../components/Table";
import { EmailAddress } from "../../../components/EmailAddress";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useEmails, type Email } from "../api";
import { emailCategoryLabel, emailStatusLabel } from "../labels";

export function EmailList({ orgId }: { orgId: string }) {
  const { t, lang } = useI18n();
  const emails = useEmails(orgId);
  if (emails.isPending) return <Spinner label={t("app.loading")} />;
  if (emails.isError) return <Alert>{problemMessage(emails.error, t)}</Alert>;

  const columns: Column<Email>[] = [
    { key: "date", header: t("emails.date"), render: (e) => formatDateTime(e.created_at, lang) },
    { key: "category", header: t("emails.category"), render: (e) => emailCategoryLabel(t, e.category) },
    { key: "recipient", header: t("emails.recipient"), render: (e) => <EmailAddress email={e.recipient} /> },
    {
      key: "subject",
      header: t("emails.subject"),
      render: (e) => (
        <Link to="/organizations/$orgId/emails/$emailId" params={{ orgId, emailId: e.id }}>
          {e.subject}
        </Link>
      ),
    },
    {
      key: "status",
      header: t("emails.status"),
      render: (e) => <span className={`badge badge--${e.status}`}>{emailStatusLabel(t, e.status)}</span>,
    },
  ];
  return (
    <div className="stack">
      <Table
        caption={t("emails.caption")}
        columns={columns}
        rows={emails.data.pages.flatMap((p) => p.items)}
        rowKey={(e) => e.id}
        empty={t("emails.empty")}
      />
      {emails.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          disabled={emails.isFetchingNextPage}
          onClick={() => void emails.fetchNextPage()}
        >
          {t("common.show_more")}
        </Button>
      )}
    </div>
  );
}
