import { Link } from "@tanstack/react-router";

import { Button } from "../../../components/Button";
import { Alert, Spinner } from "../../../components/Layout";
import { Table, type Column } from "../../../components/Table";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useSpaces, type Space } from "../api";
import { objectiveLabel, spaceStatusLabel, StatusBadge } from "./labels";

/** The spaces of an organization, newest first, with a "show more" cursor. */
export function SpaceList({ orgId, organizationName }: { orgId: string; organizationName: string }) {
  const { t } = useI18n();
  const spaces = useSpaces(orgId);

  if (spaces.isPending) return <Spinner label={t("app.loading")} />;
  if (spaces.isError) return <Alert>{problemMessage(spaces.error, t)}</Alert>;

  const rows = spaces.data.pages.flatMap((page) => page.items);
  const columns: Column<Space>[] = [
    {
      key: "title",
      header: t("spaces.title_column"),
      render: (space) => (
        <Link to="/spaces/$spaceId" params={{ spaceId: space.id }} className="strong">
          {space.title}
        </Link>
      ),
    },
    { key: "objective", header: t("space.objective"), render: (space) => objectiveLabel(t, space.objective) },
    {
      key: "status",
      header: t("spaces.status"),
      render: (space) => <StatusBadge status={space.status} label={spaceStatusLabel(t, space.status)} />,
    },
    { key: "participants", header: t("spaces.participants"), render: (space) => String(space.participant_count) },
  ];

  return (
    <div className="stack">
      <Table
        caption={t("spaces.caption", { organization: organizationName })}
        columns={columns}
        rows={rows}
        rowKey={(space) => space.id}
        empty={t("spaces.empty")}
      />
      {spaces.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          disabled={spaces.isFetchingNextPage}
          onClick={() => void spaces.fetchNextPage()}
        >
          {t("common.show_more")}
        </Button>
      )}
    </div>
  );
}
