import { Link, useRouter } from "@tanstack/react-router";

import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { LoginForm } from "../features/auth/components/LoginForm";
import { MagicLinkForm } from "../features/auth/components/MagicLinkForm";
import { useI18n } from "../lib/i18n";
import { loginRoute, safeRedirect } from "./public";

export function LoginPage() {
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
