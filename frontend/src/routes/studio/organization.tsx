import { Link } from "@tanstack/react-router";
import { useState } from "react";

import { Button } from "../../components/Button";
import { Alert, Spinner } from "../../components/Layout";
import { StaffInvitations } from "../../features/invitations/components/StaffInvitations";
import { useOrganization } from "../../features/organizations/api";
import { AddMemberDialog } from "../../features/organizations/components/AddMemberDialog";
import { MembersTable } from "../../features/organizations/components/MembersTable";
import { RenameOrganizationDialog } from "../../features/organizations/components/RenameOrganizationDialog";
import { roleLabel } from "../../features/organizations/components/roles";
import { useI18n } from "../../lib/i18n";
import { ApiError, problemMessage } from "../../lib/problem";
import { organizationRoute } from "./routes";

function isMissing(error: unknown): boolean {
  // A malformed id is rejected as 422 by the API: to the user it is just as missing.
  return error instanceof ApiError && (error.status === 404 || error.status === 422);
}

export function OrganizationPage() {
  const { t } = useI18n();
  const { orgId } = organizationRoute.useParams();
  const organization = useOrganization(orgId);
  const [dialog, setDialog] = useState<"rename" | "add" | null>(null);

  if (organization.isPending) return <Spinner label={t("app.loading")} />;
  if (organization.isError) {
    return isMissing(organization.error) ? (
      <>
        <h1>{t("organization.not_found_title")}</h1>
        <p>{t("organization.not_found")}</p>
        <p>
          <Link to="/">{t("common.back_home")}</Link>
        </p>
      </>
    ) : (
      <Alert>{problemMessage(organization.error, t)}</Alert>
    );
  }

  const org = organization.data;
  const isOwner = org.my_role === "owner";

  return (
    <div className="stack stack--lg">
      <div className="page-header">
        <div>
          <h1>{org.name}</h1>
          <p className="badge">{t("home.your_role", { role: roleLabel(t, org.my_role) })}</p>
        </div>
        {isOwner && (
          <div className="actions">
            <Button variant="secondary" onClick={() => setDialog("rename")}>
              {t("organization.rename")}
            </Button>
            <Button onClick={() => setDialog("add")}>{t("members.add")}</Button>
          </div>
        )}
      </div>
      <nav aria-label={t("organization.sections")}>
        <ul className="link-list" role="list">
          <li>
            <Link to="/organizations/$orgId/spaces" params={{ orgId: org.id }} className="link-card">
              {t("organization.spaces_link")}
            </Link>
          </li>
          {isOwner && (
            <li>
              <Link to="/organizations/$orgId/emails" params={{ orgId: org.id }} className="link-card">
                {t("organization.emails_link")}
              </Link>
            </li>
          )}
        </ul>
      </nav>
      {!isOwner && <p className="muted">{t("organization.read_only")}</p>}
      <MembersTable organization={org} editable={isOwner} />
      {isOwner && <StaffInvitations orgId={org.id} organizationName={org.name} />}
      {isOwner && dialog === "rename" && (
        <RenameOrganizationDialog organization={org} open onClose={() => setDialog(null)} />
      )}
      {isOwner && <AddMemberDialog orgId={org.id} open={dialog === "add"} onClose={() => setDialog(null)} />}
    </div>
  );
}
