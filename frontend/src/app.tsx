import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider, type RouterHistory } from "@tanstack/react-router";
import { lazy, Suspense, useState, useSyncExternalStore, type ReactNode } from "react";

import { ToastProvider } from "./components/Toast";
import { I18nProvider, useI18n, type Lang } from "./lib/i18n";
import { LiveStatusContext, type LiveStatus } from "./lib/live";
import { ApiError } from "./lib/problem";
import { clearAccessToken, getAccessToken, subscribeSession } from "./lib/session";
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

const LiveStream = lazy(() => import("./live-events"));
const isSignedIn = () => getAccessToken() !== null;

/**
 * The live event stream of whoever is signed in, and its state for the pages below. Its
 * code is fetched once someone is signed in, and no screen waits for it.
 */
function LiveEvents({ children }: { children: ReactNode }) {
  const signedIn = useSyncExternalStore(subscribeSession, isSignedIn, isSignedIn);
  const [status, setStatus] = useState<LiveStatus>("connecting");
  return (
    <LiveStatusContext.Provider value={signedIn ? status : "offline"}>
      {children}
      {signedIn && (
        <Suspense fallback={null}>
          <LiveStream onStatus={setStatus} />
        </Suspense>
      )}
    </LiveStatusContext.Provider>
  );
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
