import { useState } from "react";

import { Button } from "../../../components/Button";
import { SelectField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { INVITATION_STATUSES, useSpaceInvitations, type InvitationStatus } from "../api";
import { CsvImport } from "./CsvImport";
import { InvitationTable } from "./InvitationTable";
import { InviteDialog, type SegmentOption } from "./InviteDialog";
import { invitationStatusLabel } from "./labels";

/** A space's invitations: filter, revoke/resend, invite one person or import a CSV. */
export function InvitationsPanel({
  spaceId,
  spaceTitle,
  segments,
  editable,
}: {
  spaceId: string;
  spaceTitle: string;
  segments: readonly SegmentOption[];
  editable: boolean;
}) {
  const { t } = useI18n();
  const [status, setStatus] = useState<InvitationStatus | "">("");
  const [inviting, setInviting] = useState(false);
  const invitations = useSpaceInvitations(spaceId, status || undefined);
  const names = new Map(segments.map((s) => [s.value, s.label]));

  return (
    <div className="stack stack--lg">
      <div className="page-header">
        <h2>{t("invitations.heading")}</h2>
        {editable && <Button onClick={() => setInviting(true)}>{t("invitations.invite")}</Button>}
      </div>
      <div className="filters">
        <SelectField
          label={t("invitations.status")}
          value={status}
          onChange={(e) => setStatus(e.target.value as InvitationStatus | "")}
        >
          <option value="">{t("common.all")}</option>
          {INVITATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {invitationStatusLabel(t, s)}
            </option>
          ))}
        </SelectField>
      </div>
      {invitations.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : invitations.isError ? (
        <Alert>{problemMessage(invitations.error, t)}</Alert>
      ) : (
        <div className="stack">
          <InvitationTable
            caption={t("invitations.caption", { title: spaceTitle })}
            rows={invitations.data.pages.flatMap((page) => page.items)}
            editable={editable}
            extraColumns={[
              { key: "name", header: t("invitations.display_name"), render: (i) => i.display_name ?? "" },
              {
                key: "segments",
                header: t("invitations.segments"),
                render: (i) =>
                  i.segment_ids
                    .map((id) => names.get(id))
                    .filter(Boolean)
                    .join(", "),
              },
            ]}
          />
          {invitations.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              disabled={invitations.isFetchingNextPage}
              onClick={() => void invitations.fetchNextPage()}
            >
              {t("common.show_more")}
            </Button>
          )}
        </div>
      )}
      {editable && <CsvImport spaceId={spaceId} />}
      {editable && (
        <InviteDialog spaceId={spaceId} segments={segments} open={inviting} onClose={() => setInviting(false)} />
      )}
    </div>
  );
}
