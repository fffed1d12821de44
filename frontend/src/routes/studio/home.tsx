import { OrganizationList } from "../../features/organizations/components/OrganizationList";
import { useI18n } from "../../lib/i18n";

export function HomePage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <OrganizationList />
    </>
  );
}
