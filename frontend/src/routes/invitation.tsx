import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";

import { PublicShell } from "../components/PublicShell";
import { client } from "../api/client";
import { ensureSession, meQuery } from "../features/auth/api";
import { InvitationLanding, type Viewer } from "../features/invitations/components/InvitationLanding";
import { clearAccessToken } from "../lib/session";
import { invitationRoute } from "./public";

const VIEWER_KEY = ["invitation-viewer"] as const;

/** Public: the page an invitation e-mail links to (who may join, and how: ./public.ts). */
export function InvitationPage() {
  const { token } = invitationRoute.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Who is signed in on this browser, if anyone (restored from the refresh cookie).
  const viewer = useQuery({
    queryKey: VIEWER_KEY,
    queryFn: async () => ((await ensureSession()) ? (await queryClient.fetchQuery(meQuery)).email : null),
    retry: false,
    staleTime: Infinity,
  });
  // Signing out here keeps the invitation on screen: only the viewer and their data go.
  const signOut = useMutation({
    mutationFn: async () => {
      try {
        await client.POST("/api/v1/auth/logout");
      } catch {
        // Offline: the local session is cleared anyway.
      }
      clearAccessToken();
    },
    onSettled: () => {
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== "public-invitation" && query.queryKey[0] !== VIEWER_KEY[0],
      });
      queryClient.setQueryData(VIEWER_KEY, null);
    },
  });
  const state: Viewer = viewer.isPending
    ? { status: "loading" }
    : viewer.data
      ? { status: "signed_in", email: viewer.data }
      : { status: "anonymous" };

  return (
    <PublicShell>
      <InvitationLanding
        token={token}
        viewer={state}
        signingOut={signOut.isPending}
        onSignOut={() => signOut.mutate()}
        onJoined={(accepted) =>
          void (accepted.space_id
            ? navigate({ to: "/me/spaces/$spaceId", params: { spaceId: accepted.space_id } })
            : navigate({ to: "/organizations/$orgId", params: { orgId: accepted.organization_id } }))
        }
      />
    </PublicShell>
  );
}
