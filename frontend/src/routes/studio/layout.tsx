import { createRoute, Link, Outlet, useNavigate, useParams } from "@tanstack/react-router";

import { Button } from "../../components/Button";
import { LanguageSwitcher } from "../../components/LanguageSwitcher";
import { NotificationBell } from "../../features/notifications/components/NotificationBell";
import { useMe, useSignOut } from "../../features/auth/api";
import { useHasSpaces } from "../../features/participation/api";
import { OrganizationSwitcher } from "../../features/organizations/components/OrganizationSwitcher";
import { useI18n } from "../../lib/i18n";
import { requireSignIn } from "../require-sign-in";
import { rootRoute } from "../root";

/** Every studio screen sits behind the sign-in guard: no session → /login?redirect=… */
export const studioRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "studio",
  beforeLoad: requireSignIn,
  component: StudioLayout,
});

function StudioLayout() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { orgId } = useParams({ strict: false });
  const signOut = useSignOut(() => navigate({ to: "/login" }));
  const hasSpaces = useHasSpaces();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skip_to_content")}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <div className="topbar__controls">
          <OrganizationSwitcher
            memberships={me.data?.memberships ?? []}
            currentId={orgId}
            onSelect={(id) => void navigate({ to: "/organizations/$orgId", params: { orgId: id } })}
          />
          {hasSpaces.data && (
            <Link to="/me/spaces" className="topbar__link">
              {t("shell.my_spaces")}
            </Link>
          )}
          <NotificationBell side="studio" />
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
