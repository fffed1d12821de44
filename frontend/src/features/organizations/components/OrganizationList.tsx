import { Link } from "@tanstack/react-router";

import { Button } from "../../../components/Button";
import { Alert, Card, Spinner } from "../../../components/Layout";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useOrganizations } from "../api";
import { MembersTable } from "./MembersTable";
import { roleLabel } from "./roles";

/** The user's organizations; owners also see who belongs to each. */
export function OrganizationList() {
  const { t } = useI18n();
  const organizations = useOrganizations();

  if (organizations.isPending) return <Spinner label={t("app.loading")} />;
  if (organizations.isError) return <Alert>{problemMessage(organizations.error, t)}</Alert>;

  const items = organizations.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="muted">{t("home.empty")}</p>;

  return (
    <div className="stack stack--lg">
      <ul className="org-list" role="list">
        {items.map((organization) => (
          <li key={organization.id}>
            <Card>
              <div className="card__header">
                <h2 className="card__title">
                  <Link to="/organizations/$orgId" params={{ orgId: organization.id }}>
                    {organization.name}
                  </Link>
                </h2>
                <span className="badge">{t("home.your_role", { role: roleLabel(t, organization.my_role) })}</span>
              </div>
              {organization.my_role === "owner" && <MembersTable organization={organization} editable={false} />}
            </Card>
          </li>
        ))}
      </ul>
      {organizations.hasNextPage && (
        <Button
          variant="secondary"
          disabled={organizations.isFetchingNextPage}
          onClick={() => void organizations.fetchNextPage()}
        >
          {t("common.show_more")}
        </Button>
      )}
    </div>
  );
}
