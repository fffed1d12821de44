import { createRoute, redirect } from "@tanstack/react-router";

import { meQuery } from "../../features/auth/api";
import { hasSpacesQuery } from "../../features/participation/api";

import { OrganizationList } from "../../features/organizations/components/OrganizationList";
import { useI18n } from "../../lib/i18n";
import { studioRoute } from "./layout";

export const homeRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/",
  // Participants who belong to no organization have nothing in the studio: send them to their spaces.
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me.memberships.length > 0 || me.is_platform_admin) return;
    const hasSpaces = await context.queryClient.ensureQueryData(hasSpacesQuery).catch(() => false);
    if (hasSpaces) throw redirect({ to: "/me/spaces" });
  },
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
