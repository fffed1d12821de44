import { Link, Outlet, useNavigate, useParams } from "@tanstack/react-router";

import { AccountMenu } from "../../components/AccountMenu";
import { NotificationBell } from "../../features/notifications/components/NotificationBell";
import { useMe, useSignOut } from "../../features/auth/api";
import { useHasSpaces } from "../../features/participation/api";
import { useI18n } from "../../lib/i18n";

/** The studio's frame (its route, behind the sign-in guard: ./routes.ts): one compact bar. */
export function StudioLayout() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { orgId } = useParams({ strict: false });
  const signOut = useSignOut(() => navigate({ to: "/login" }));
  const hasSpaces = useHasSpaces();
  const memberships = me.data?.memberships ?? [];
  const current = memberships.find((m) => m.organization_id === orgId);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skip_to_content")}
      </a>
      <header className="topbar">
        <nav className="topbar__where" aria-label={t("shell.where")}>
          <Link to="/" className="brand">
            {t("app.name")}
          </Link>
          {current && (
            <>
              <span className="topbar__divider" aria-hidden="true">
                /
              </span>
              <Link to="/organizations/$orgId" params={{ orgId: current.organization_id }} className="topbar__context">
                {current.organization_name}
              </Link>
            </>
          )}
        </nav>
        <div className="topbar__controls">
          <NotificationBell side="studio" />
          <AccountMenu
            name={me.data?.display_name ?? ""}
            links={[
              { to: "/me/account", label: t("account_menu.profile") },
              ...(hasSpaces.data ? [{ to: "/me/spaces", label: t("shell.my_spaces") }] : []),
            ]}
            organizations={{
              choices: memberships.map((m) => ({ id: m.organization_id, label: m.organization_name })),
              currentId: orgId,
            }}
            onSelectOrganization={(id) => void navigate({ to: "/organizations/$orgId", params: { orgId: id } })}
            signingOut={signOut.isPending}
            onSignOut={() => signOut.mutate()}
          />
        </div>
      </header>
      <main id="main" className="page page--wide" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
