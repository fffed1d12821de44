import { createRoute, lazyRouteComponent, redirect } from "@tanstack/react-router";

import { meQuery } from "../../features/auth/api";
import { hasSpacesQuery } from "../../features/participation/api";
import { loadStudioWords } from "../../lib/i18n";
import { requireSignIn } from "../require-sign-in";
import { rootRoute } from "../root";

/*
 * The studio's routes. Each screen's code is fetched when it is first shown, so the
 * studio's code (script editor, console, invitations…) never reaches a participant.
 */

/** Every studio screen sits behind the sign-in guard: no session → /login?redirect=… */
export const studioRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "studio",
  beforeLoad: requireSignIn,
  // The studio's words come with its code (src/i18n/areas.ts), before any studio screen shows.
  loader: () => loadStudioWords(),
  component: lazyRouteComponent(() => import("./layout"), "StudioLayout"),
});

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
  component: lazyRouteComponent(() => import("./home"), "HomePage"),
});

export const organizationRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/organizations/$orgId",
  component: lazyRouteComponent(() => import("./organization"), "OrganizationPage"),
});

export const spacesRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/organizations/$orgId/spaces",
  component: lazyRouteComponent(() => import("./spaces"), "SpacesPage"),
});

export const newSpaceRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/organizations/$orgId/spaces/new",
  component: lazyRouteComponent(() => import("./space-new"), "NewSpacePage"),
});

export const SPACE_TABS = ["settings", "script", "console", "segments", "invitations", "participants"] as const;
export type SpaceTab = (typeof SPACE_TABS)[number];

export const spaceRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/spaces/$spaceId",
  validateSearch: (search: Record<string, unknown>): { tab?: SpaceTab } =>
    SPACE_TABS.includes(search.tab as SpaceTab) ? { tab: search.tab as SpaceTab } : {},
  component: lazyRouteComponent(() => import("./space"), "SpacePage"),
});

export const emailsRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/organizations/$orgId/emails",
  component: lazyRouteComponent(() => import("./emails"), "EmailsPage"),
});

export const emailRoute = createRoute({
  getParentRoute: () => studioRoute,
  path: "/organizations/$orgId/emails/$emailId",
  component: lazyRouteComponent(() => import("./email"), "EmailPage"),
});
