import type { QueryClient } from "@tanstack/react-query";
import { createRouter, useRouterState, type RouterHistory } from "@tanstack/react-router";

import { BootShell } from "./components/BootShell";
import { Spinner } from "./components/Layout";
import { useI18n } from "./lib/i18n";
// Route definitions only: each screen's component is a lazy chunk (see the routes files).
import {
  accountRoute,
  myPromptRoute,
  mySpaceProfileRoute,
  mySpaceRoute,
  mySpacesRoute,
  participantRoute,
} from "./routes/participant/routes";
import {
  changeEmailRoute,
  invitationRoute,
  loginRoute,
  resetPasswordRoute,
  signInLinkRoute,
  unsubscribeRoute,
} from "./routes/public";
import { rootRoute } from "./routes/root";
import {
  emailRoute,
  emailsRoute,
  homeRoute,
  newSpaceRoute,
  organizationRoute,
  spaceRoute,
  spacesRoute,
  studioRoute,
} from "./routes/studio/routes";

export const routeTree = rootRoute.addChildren([
  loginRoute,
  signInLinkRoute,
  resetPasswordRoute,
  changeEmailRoute,
  invitationRoute,
  unsubscribeRoute,
  studioRoute.addChildren([
    homeRoute,
    organizationRoute,
    spacesRoute,
    newSpaceRoute,
    spaceRoute,
    emailsRoute,
    emailRoute,
  ]),
  participantRoute.addChildren([mySpacesRoute, mySpaceRoute, mySpaceProfileRoute, myPromptRoute, accountRoute]),
]);

function Pending() {
  const { t, ready } = useI18n();
  // Until the first screen has been shown, keep the start-up shell index.html began with.
  const starting = useRouterState({ select: (state) => state.resolvedLocation === undefined });
  if (starting || !ready) return <BootShell {...(ready ? { label: t("app.loading") } : {})} />;
  return <Spinner label={t("app.loading")} />;
}

export function createAppRouter(queryClient: QueryClient, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context: { queryClient },
    notFoundMode: "root",
    defaultPendingComponent: Pending,
    defaultPreload: false,
    scrollRestoration: true,
    ...(history ? { history } : {}),
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
