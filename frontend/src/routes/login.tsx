import { Link, useRouter } from "@tanstack/react-router";

import { LanguageSwitcher } from "../components/LanguageSwitcher";
import { spaceOfPath, useSpaceWelcome } from "../features/auth/api";
import { LoginForm } from "../features/auth/components/LoginForm";
import { MagicLinkForm } from "../features/auth/components/MagicLinkForm";
import { spaceTheme } from "../lib/contrast";
import { useI18n } from "../lib/i18n";
import { loginRoute, safeRedirect } from "./public";

export function LoginPage() {
  const { t } = useI18n();
  const router = useRouter();
  const search = loginRoute.useSearch();
  const byLink = search.method === "link";
  // Arriving from a brand's space (a link in one of its e-mails): greet in its colours.
  const welcome = useSpaceWelcome(spaceOfPath(search.redirect)).data ?? null;

  return (
    <div className="login" style={welcome ? spaceTheme(welcome.accent_color) : undefined}>
      <header className="login__header">
        <span className="brand">{t("app.name")}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="login__main">
        <div className="card login__card">
          {welcome ? (
            <>
              <div className="space-banner login__banner">
                {welcome.logo_url && (
                  <img
                    className="space-banner__logo"
                    src={welcome.logo_url}
                    alt={t("space.logo_alt", { title: welcome.title })}
                  />
                )}
                <div>
                  <p className="space-banner__org">{welcome.organization_name}</p>
                  <p className="space-banner__title">{welcome.title}</p>
                </div>
              </div>
              <h1 className="login__title">{t("login.space_title", { space: welcome.title })}</h1>
              <p className="muted">
                {t("login.space_intro", { brand: welcome.organization_name, space: welcome.title })}
              </p>
            </>
          ) : (
            <>
              <h1 className="login__title">{t("login.title")}</h1>
              <p className="muted">{t("login.intro")}</p>
            </>
          )}
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
