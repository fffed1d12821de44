import { createRoute, Link, Outlet, useNavigate } from "@tanstack/react-router";

import { Button } from "../../components/Button";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { NotificationBell } from "../../features/notifications/components/NotificationBell";
import { useMe, useSignOut } from "../../features/auth/api";
import { useI18n } from "../../lib/i18n";
import { requireSignIn } from "../require-sign-in";
import { rootRoute } from "../root";

/** The participant side: a session is needed, no organization membership. */
export const participantRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "participant",
  beforeLoad: requireSignIn,
  component: ParticipantLayout,
});

function ParticipantLayout() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut(() => navigate({ to: "/login" }));
  const isStaff = (me.data?.memberships.length ?? 0) > 0;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skip_to_content")}
      </a>
      <header className="topbar">
        <Link to="/me/spaces" className="brand">
          {t("app.name")}
        </Link>
        <div className="topbar__controls">
          <Link to="/me/spaces" className="topbar__link">
            {t("shell.my_spaces")}
          </Link>
          {isStaff && (
            <Link to="/" className="topbar__link">
              {t("shell.studio")}
            </Link>
          )}
          <NotificationBell side="participant" />
          <LanguageSwitcher />
          <div className="topbar__user">
            <Link to="/me/account" className="topbar__name" title={t("account.open")}>
              {me.data?.display_name}
            </Link>
            <Button variant="secondary" size="sm" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
              {t("shell.sign_out")}
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
