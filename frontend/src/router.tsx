import type { QueryClient } from "@tanstack/react-query";
import { createRouter, type RouterHistory } from "@tanstack/react-router";

import { Spinner } from "./components/Layout";
import { useI18n } from "./lib/i18n";
import { invitationRoute } from "./routes/invitation";
import { loginRoute } from "./routes/login";
import { accountRoute } from "./routes/participant/account";
import { participantRoute } from "./routes/participant/layout";
import { mySpacesRoute } from "./routes/participant/my-spaces";
import { mySpaceProfileRoute } from "./routes/participant/profile";
import { myPromptRoute } from "./routes/participant/prompt";
import { mySpaceRoute } from "./routes/participant/space";
import { changeEmailRoute } from "./routes/change-email";
import { resetPasswordRoute } from "./routes/reset-password";
import { signInLinkRoute } from "./routes/sign-in-link";
import { rootRoute } from "./routes/root";
import { homeRoute } from "./routes/studio/home";
import { studioRoute } from "./routes/studio/layout";
import { emailRoute } from "./routes/studio/email";
import { emailsRoute } from "./routes/studio/emails";
import { organizationRoute } from "./routes/studio/organization";
import { spaceRoute } from "./routes/studio/space";
import { newSpaceRoute } from "./routes/studio/space-new";
import { spacesRoute } from "./routes/studio/spaces";
import { unsubscribeRoute } from "./routes/unsubscribe";

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
  const { t } = useI18n();
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
