import type { ReactNode } from "react";

import { useI18n } from "../lib/i18n";
import { LanguageSwitcher } from "./LanguageSwitcher";

/** Pages reachable without a session: the brand, the language, and the content. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="login">
      <header className="login__header">
        <span className="brand">{t("app.name")}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="login__main">
        {children}
      </main>
    </div>
  );
}
