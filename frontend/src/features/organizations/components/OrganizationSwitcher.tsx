import { SelectField } from "../../../components/Field";
import { useI18n } from "../../../lib/i18n";

type Option = { organization_id: string; organization_name: string };

/** Jumps to one of the user's organizations. */
export function OrganizationSwitcher({
  memberships,
  currentId,
  onSelect,
}: {
  memberships: readonly Option[];
  currentId: string | undefined;
  onSelect: (orgId: string) => void;
}) {
  const { t } = useI18n();
  const known = memberships.some((m) => m.organization_id === currentId);
  return (
    <SelectField
      label={t("shell.organization")}
      className="field--inline"
      value={known && currentId ? currentId : ""}
      onChange={(event) => event.target.value && onSelect(event.target.value)}
    >
      <option value="" disabled>
        {t("shell.choose_organization")}
      </option>
      {memberships.map((m) => (
        <option key={m.organization_id} value={m.organization_id}>
          {m.organization_name}
        </option>
      ))}
    </SelectField>
  );
}
