import { useQuery } from "@tanstack/react-query";
import { Link, Outlet, useNavigate, useParams } from "@tanstack/react-router";

import { AccountMenu } from "../../components/AccountMenu";
import { NotificationBell } from "../../features/notifications/components/NotificationBell";
import { useMe, useSignOut } from "../../features/auth/api";
import { mySpaceQuery } from "../../features/participation/api";
import { useI18n } from "../../lib/i18n";

/** The space being read (already fetched by its page): its name sits beside the brand. */
function SpaceName({ spaceId }: { spaceId: string }) {
  const space = useQuery(mySpaceQuery(spaceId));
  if (!space.data) return null;
  return (
    <>
      <span className="topbar__divider" aria-hidden="true">
        /
      </span>
      <Link to="/me/spaces/$spaceId" params={{ spaceId }} className="topbar__context">
        {space.data.title}
      </Link>
    </>
  );
}

/** The participant side's frame (its route: ./routes.ts): one compact bar. */
export function ParticipantLayout() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const { spaceId } = useParams({ strict: false });
  const signOut = useSignOut(() => navigate({ to: "/login" }));
  const isStaff = (me.data?.memberships.length ?? 0) > 0;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skip_to_content")}
      </a>
      <header className="topbar">
        <nav className="topbar__where" aria-label={t("shell.where")}>
          <Link to="/me/spaces" className="brand" title={t("shell.my_spaces")}>
            {t("app.name")}
          </Link>
          {spaceId && <SpaceName spaceId={spaceId} />}
        </nav>
        <div className="topbar__controls">
          <NotificationBell side="participant" />
          <AccountMenu
            name={me.data?.display_name ?? ""}
            links={[
              { to: "/me/account", label: t("account_menu.profile") },
              { to: "/me/spaces", label: t("shell.my_spaces") },
              ...(isStaff ? [{ to: "/", label: t("shell.studio") }] : []),
            ]}
            signingOut={signOut.isPending}
            onSignOut={() => signOut.mutate()}
          />
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
