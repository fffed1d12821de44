import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";

import { ToastProvider } from "../src/components/Toast";
import { I18nProvider, type Lang } from "../src/lib/i18n";

/** Renders a component with i18n, toasts and a fresh query client (no router). */
export function renderWithProviders(ui: ReactNode, lang: Lang = "en") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <I18nProvider lang={lang}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider dismissLabel="Dismiss">{ui}</ToastProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}
