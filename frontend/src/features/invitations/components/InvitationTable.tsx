import { Button } from "../../../components/Button";
import { Table, type Column } from "../../../components/Table";
import { useToast } from "../../../components/Toast";
import { EmailAddress } from "../../../components/EmailAddress";
import { formatDate } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useResendInvitation, useRevokeInvitation, type Invitation } from "../api";
import { invitationStatusLabel } from "./labels";

/** Invitations with revoke / resend for pending (resend also for expired) ones. */
export function InvitationTable({
  caption,
  rows,
  editable,
  extraColumns = [],
}: {
  caption: string;
  rows: readonly Invitation[];
  editable: boolean;
  extraColumns?: Column<Invitation>[];
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const revoke = useRevokeInvitation();
  const resend = useResendInvitation();
  const feedback = (key: "invitations.revoked" | "invitations.resent", email: string) => ({
    onSuccess: () => toast.show(t(key, { email })),
    onError: (error: unknown) => toast.show(problemMessage(error, t), "error"),
  });

  const columns: Column<Invitation>[] = [
    {
      key: "email",
      header: t("invitations.email"),
      render: (i) => <EmailAddress email={i.email} className="strong" />,
    },
    ...extraColumns,
    {
      key: "status",
      header: t("invitations.status"),
      render: (i) => <span className={`badge badge--${i.status}`}>{invitationStatusLabel(t, i.status)}</span>,
    },
    { key: "expires", header: t("invitations.expires"), render: (i) => formatDate(i.expires_at, lang) },
    { key: "sent", header: t("invitations.sent"), render: (i) => String(i.send_count) },
  ];
  if (editable) {
    columns.push({
      key: "actions",
      header: t("members.actions"),
      hideHeader: true,
      render: (i) =>
        i.status === "pending" || i.status === "expired" ? (
          <div className="actions actions--start">
            <Button
              variant="secondary"
              size="sm"
              disabled={resend.isPending}
              aria-label={t("invitations.resend_named", { email: i.email })}
              onClick={() => resend.mutate(i.id, feedback("invitations.resent", i.email))}
            >
              {t("invitations.resend")}
            </Button>
            {i.status === "pending" && (
              <Button
                variant="ghost"
                size="sm"
                disabled={revoke.isPending}
                aria-label={t("invitations.revoke_named", { email: i.email })}
                onClick={() => revoke.mutate(i.id, feedback("invitations.revoked", i.email))}
              >
                {t("invitations.revoke")}
              </Button>
            )}
          </div>
        ) : null,
    });
  }
  return <Table caption={caption} columns={columns} rows={rows} rowKey={(i) => i.id} empty={t("invitations.empty")} />;
}
