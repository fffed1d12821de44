import { createRoute, useNavigate } from "@tanstack/react-router";

import { PublicShell } from "../components/PublicShell";
import { InvitationLanding } from "../features/invitations/components/InvitationLanding";
import { rootRoute } from "./root";

/** Public: the page an invitation e-mail links to. No session needed; joining creates one. */
export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/$token",
  component: InvitationPage,
});

function InvitationPage() {
  const { token } = invitationRoute.useParams();
  const navigate = useNavigate();
  return (
    <PublicShell>
      <InvitationLanding
        token={token}
        onJoined={(accepted) =>
          void (accepted.space_id
            ? navigate({ to: "/me/spaces/$spaceId", params: { spaceId: accepted.space_id } })
            : navigate({ to: "/organizations/$orgId", params: { orgId: accepted.organization_id } }))
        }
      />
    </PublicShell>
  );
}
