import { useState } from "react";

import { Button } from "../../../components/Button";
import { SelectField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { Table, type Column } from "../../../components/Table";
import { useToast } from "../../../components/Toast";
import { EmailAddress } from "../../../components/EmailAddress";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { ROLES, useChangeRole, useMembers, type Member, type Organization, type Role } from "../api";
import { RemoveMemberDialog } from "./RemoveMemberDialog";
import { roleLabel } from "./roles";

/** The members of an organization; owners can change roles and remove people. */
export function MembersTable({ organization, editable }: { organization: Organization; editable: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const members = useMembers(organization.id);
  const changeRole = useChangeRole(organization.id);
  const [removing, setRemoving] = useState<Member | null>(null);

  if (members.isPending) return <Spinner label={t("app.loading")} />;
  if (members.isError) return <Alert>{problemMessage(members.error, t)}</Alert>;

  const rows = members.data.pages.flatMap((page) => page.items);

  function onRoleChange(member: Member, role: Role) {
    changeRole.mutate(
      { userId: member.user_id, role },
      {
        onSuccess: () => toast.show(t("members.role_changed", { name: member.display_name, role: roleLabel(t, role) })),
        onError: (error) => toast.show(problemMessage(error, t), "error"),
      },
    );
  }

  const columns: Column<Member>[] = [
    { key: "name", header: t("members.name"), render: (m) => <span className="strong">{m.display_name}</span> },
    { key: "email", header: t("members.email"), render: (m) => <EmailAddress email={m.email} /> },
    {
      key: "role",
      header: t("members.role"),
      render: (m) =>
        editable ? (
          <SelectField
            label={t("members.role_of", { name: m.display_name })}
            hideLabel
            className="field--compact"
            value={m.role}
            disabled={changeRole.isPending}
            onChange={(event) => onRoleChange(m, event.target.value as Role)}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {roleLabel(t, role)}
              </option>
            ))}
          </SelectField>
        ) : (
          roleLabel(t, m.role)
        ),
    },
  ];
  if (editable) {
    columns.push({
      key: "actions",
      header: t("members.actions"),
      hideHeader: true,
      render: (m) => (
        <Button
          variant="secondary"
          size="sm"
          aria-label={t("members.remove_named", { name: m.display_name })}
          onClick={() => setRemoving(m)}
        >
          {t("members.remove")}
        </Button>
      ),
    });
  }

  return (
    <div className="stack">
      <Table
        caption={t("members.caption", { organization: organization.name })}
        columns={columns}
        rows={rows}
        rowKey={(m) => m.user_id}
        empty={t("members.empty")}
      />
      {members.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          disabled={members.isFetchingNextPage}
          onClick={() => void members.fetchNextPage()}
        >
          {t("common.show_more")}
        </Button>
      )}
      {editable && (
        <RemoveMemberDialog organization={organization} member={removing} onClose={() => setRemoving(null)} />
      )}
    </div>
  );
}
