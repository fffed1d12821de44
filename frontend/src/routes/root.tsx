import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, Outlet } from "@tanstack/react-router";

import { BootShell } from "../components/BootShell";
import { useI18n } from "../lib/i18n";
import { NotFoundPage } from "./not-found";

export type RouterContext = { queryClient: QueryClient };

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Root,
  notFoundComponent: NotFoundPage,
});

/** The screens, once the language's catalog has arrived (it loads alongside the first screen's code). */
function Root() {
  const { ready } = useI18n();
  return ready ? <Outlet /> : <BootShell />;
}
