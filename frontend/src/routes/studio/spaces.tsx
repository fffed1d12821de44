import { Link } from "@tanstack/react-router";

import { Alert, Spinner } from "../../components/Layout";
import { useOrganization } from "../../features/organizations/api";
import { SpaceList } from "../../features/spaces/components/SpaceList";
import { useI18n } from "../../lib/i18n";
import { problemMessage } from "../../lib/problem";
import { spacesRoute } from "./routes";

export function SpacesPage() {
  const { t } = useI18n();
  const { orgId } = spacesRoute.useParams();
  const organization = useOrganization(orgId);

  if (organization.isPending) return <Spinner label={t("app.loading")} />;
  if (organization.isError) return <Alert>{problemMessage(organization.error, t)}</Alert>;
  const org = organization.data;
  const canCreate = org.my_role === "owner" || org.my_role === "animator";

  return (
    <div className="stack stack--lg">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/organizations/$orgId" params={{ orgId }}>
          {org.name}
        </Link>
      </nav>
      <div className="page-header">
        <h1>{t("spaces.heading")}</h1>
        {canCreate && (
          <Link to="/organizations/$orgId/spaces/new" params={{ orgId }} className="btn btn--primary btn--md">
            {t("spaces.new")}
          </Link>
        )}
      </div>
      <SpaceList orgId={orgId} organizationName={org.name} />
    </div>
  );
}
