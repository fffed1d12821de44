import { createRoute, lazyRouteComponent, type AnyRoute } from "@tanstack/react-router";

import { requireSignIn } from "../require-sign-in";
import { rootRoute } from "../root";

/*
 * The participant side's routes. Each screen's code is fetched when it is first shown
 * (one small chunk per screen), so a participant never downloads the studio.
 */

/** The participant side: a session is needed, no organization membership. */
export const participantRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "participant",
  beforeLoad: (options) => {
    const signedIn = requireSignIn(options);
    // The screen's code travels while the session is checked (a round trip or two), not after.
    preloadScreens(options.matches);
    return signedIn;
  },
  component: lazyRouteComponent(() => import("./layout"), "ParticipantLayout"),
});

export const mySpacesRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/spaces",
  component: lazyRouteComponent(() => import("./my-spaces"), "MySpacesPage"),
});

export const mySpaceRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/spaces/$spaceId",
  component: lazyRouteComponent(() => import("./space"), "MySpacePage"),
});

export const mySpaceProfileRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/spaces/$spaceId/profile",
  component: lazyRouteComponent(() => import("./profile"), "ProfilePage"),
});

export const myPromptRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/spaces/$spaceId/prompts/$promptId",
  component: lazyRouteComponent(() => import("./prompt"), "MyPromptPage"),
});

/** `/me/account`: my account (any signed-in person, participant or staff): password, address. */
export const accountRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/account",
  component: lazyRouteComponent(() => import("./account"), "AccountPage"),
});

/** Starts fetching the code of the participant screens a navigation opens. */
function preloadScreens(matches: readonly { routeId: string }[]): void {
  const opening = new Set(matches.map((match) => match.routeId));
  const screens: AnyRoute[] = [
    participantRoute,
    mySpacesRoute,
    mySpaceRoute,
    mySpaceProfileRoute,
    myPromptRoute,
    accountRoute,
  ];
  for (const route of screens) {
    if (opening.has(route.id)) void route.options.component?.preload?.();
  }
}
