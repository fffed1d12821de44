import { createRoute } from "@tanstack/react-router";

import { OrganizationList } from "../../features/organizations/components/OrganizationList";
import { useI18n } from "../../lib/i18n";
import { studioRoute } from "./layout";

export const homeRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/",
  component: HomePage,
});

function HomePage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <OrganizationList />
    </>
  );
}
