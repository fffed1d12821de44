import { Link, useNavigate } from "@tanstack/react-router";

import { Alert, Spinner } from "../../components/Layout";
import { useOrganization } from "../../features/organizations/api";
import { SpaceForm } from "../../features/spaces/components/SpaceForm";
import { useI18n } from "../../lib/i18n";
import { problemMessage } from "../../lib/problem";
import { newSpaceRoute } from "./routes";

export function NewSpacePage() {
  const { t } = useI18n();
  const { orgId } = newSpaceRoute.useParams();
  const navigate = useNavigate();
  const organization = useOrganization(orgId);

  if (organization.isPending) return <Spinner label={t("app.loading")} />;
  if (organization.isError) return <Alert>{problemMessage(organization.error, t)}</Alert>;
  const org = organization.data;
  const canCreate = org.my_role === "owner" || org.my_role === "animator";

  return (
    <div className="stack stack--lg">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/organizations/$orgId/spaces" params={{ orgId }}>
          {t("spaces.heading_of", { organization: org.name })}
        </Link>
      </nav>
      <h1>{t("spaces.new_heading")}</h1>
      {canCreate ? (
        <SpaceForm
          orgId={orgId}
          onCreated={(space) => void navigate({ to: "/spaces/$spaceId", params: { spaceId: space.id } })}
        />
      ) : (
        <Alert>{t("problem.forbidden")}</Alert>
      )}
    </div>
  );
}
