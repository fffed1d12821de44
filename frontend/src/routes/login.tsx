import { createRoute, Link, redirect, useRouter } from "@tanstack/react-router";

import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { LoginForm } from "../features/auth/components/LoginForm";
import { MagicLinkForm } from "../features/auth/components/MagicLinkForm";
import { useI18n } from "../lib/i18n";
import { getAccessToken } from "../lib/session";
import { rootRoute } from "./root";

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeRedirect(target: string | undefined): string {
  return target && target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): { redirect?: string; method?: "link" } => ({
    ...(typeof search.redirect === "string" ? { redirect: search.redirect } : {}),
    ...(search.method === "link" ? { method: "link" as const } : {}),
  }),
  beforeLoad: ({ search }) => {
    if (getAccessToken() !== null) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: LoginPage,
});

function LoginPage() {
  const { t } = useI18n();
  const router = useRouter();
  const search = loginRoute.useSearch();
  const byLink = search.method === "link";

  return (
    <div className="login">
      <header className="login__header">
        <span className="brand">{t("app.name")}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="login__main">
        <div className="card login__card">
          <h1 className="login__title">{t("login.title")}</h1>
          <p className="muted">{t("login.intro")}</p>
          {!byLink ? (
            <LoginForm onSuccess={() => void router.history.push(safeRedirect(search.redirect))} />
          ) : (
            <>
              <p>{t("magic.intro")}</p>
              <MagicLinkForm />
            </>
          )}
          <div className="login__alt">
            {/* A link, not a button: the page's only "Sign in" button stays the password form's. */}
            <Link
              to="/login"
              search={{
                ...(search.redirect ? { redirect: search.redirect } : {}),
                ...(byLink ? {} : { method: "link" as const }),
              }}
            >
              {byLink ? t("magic.use_password") : t("magic.option")}
            </Link>
          </div>
        </div>
      </main>
    </div>
  );
}
