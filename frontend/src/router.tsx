import type { QueryClient } from "@tanstack/react-query";
import { createRouter, type RouterHistory } from "@tanstack/react-router";

import { Spinner } from "./components/Layout";
import { useI18n } from "./lib/i18n";
import { loginRoute } from "./routes/login";
import { rootRoute } from "./routes/root";
import { homeRoute } from "./routes/studio/home";
import { studioRoute } from "./routes/studio/layout";
import { organizationRoute } from "./routes/studio/organization";

export const routeTree = rootRoute.addChildren([loginRoute, studioRoute.addChildren([homeRoute, organizationRoute])]);

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
