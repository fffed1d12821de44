import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider, type RouterHistory } from "@tanstack/react-router";
import { useState, type ReactNode } from "react";

import { ToastProvider } from "./components/Toast";
import { useLiveEvents } from "./features/live/useLiveEvents";
import { I18nProvider, useI18n, type Lang } from "./lib/i18n";
import { LiveStatusContext } from "./lib/live";
import { ApiError } from "./lib/problem";
import { clearAccessToken } from "./lib/session";
import { keysForEvent } from "./live-events";
import { createAppRouter } from "./router";

export function createQueryClient(onUnauthorized: () => void = () => {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiError && error.status === 401) onUnauthorized();
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors (4xx) will not change by retrying.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** The live event stream of whoever is signed in, and its state for the pages below. */
function LiveEvents({ children }: { children: ReactNode }) {
  const status = useLiveEvents(keysForEvent);
  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}

function Toasts({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return <ToastProvider dismissLabel={t("common.dismiss")}>{children}</ToastProvider>;
}

export function App({ history, lang }: { history?: RouterHistory; lang?: Lang }) {
  const [{ queryClient, router }] = useState(() => {
    // A 401 that survived the refresh attempt: the session is over.
    const client = createQueryClient(() => {
      clearAccessToken();
      void appRouter.navigate({ to: "/login", search: { redirect: appRouter.state.location.href } });
    });
    const appRouter = createAppRouter(client, history);
    return { queryClient: client, router: appRouter };
  });

  return (
    <I18nProvider {...(lang ? { lang } : {})}>
      <QueryClientProvider client={queryClient}>
        <LiveEvents>
          <Toasts>
            <RouterProvider router={router} />
          </Toasts>
        </LiveEvents>
      </QueryClientProvider>
    </I18nProvider>
  );
}
