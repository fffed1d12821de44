import { useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";

import { Alert, Spinner } from "../components/Layout";
import { PublicShell } from "../components/PublicShell";
import { consumeMagicLink, meQuery, readFragmentNext, readFragmentToken } from "../features/auth/api";
import { firstTwoSpacesQuery, landingAfterSignIn } from "../features/participation/api";
import { useI18n } from "../lib/i18n";
import { ApiError, problemMessage } from "../lib/problem";

/** Signs in with the e-mailed link's token, then goes to `next` (checked again here) or home. */
export function SignInLinkPage() {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const started = useRef(false);
  const [token] = useState(() => readFragmentToken(location.hash));
  const [next] = useState(() => readFragmentNext(location.hash));
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (started.current || token === null) return;
    started.current = true;
    // The token is single-use: drop it from the address bar and history.
    if (typeof window !== "undefined" && window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname);
    }
    void (async () => {
      try {
        await consumeMagicLink(token);
        queryClient.removeQueries();
        if (next !== null) {
          await navigate({ href: next, replace: true });
          return;
        }
        const me = await queryClient.fetchQuery(meQuery);
        const spaceIds = await queryClient.fetchQuery(firstTwoSpacesQuery);
        await navigate({ href: landingAfterSignIn(me.memberships.length > 0, spaceIds), replace: true });
      } catch (caught) {
        setError(caught);
      }
    })();
  }, [token, next, navigate, queryClient]);

  const expired = error instanceof ApiError && (error.status === 410 || error.code === "auth.link_expired");
  return (
    <PublicShell>
      <div className="card login__card stack">
        <h1 className="login__title">{t("magic.consume_title")}</h1>
        {token === null ? (
          <Alert>{t("magic.missing_token")}</Alert>
        ) : error ? (
          <Alert>{expired ? t("problem.auth_link_expired") : problemMessage(error, t)}</Alert>
        ) : (
          <Spinner label={t("magic.signing_in")} />
        )}
        {(token === null || error !== null) && (
          <p>
            <Link to="/login">{t("magic.back_to_login")}</Link>
          </p>
        )}
      </div>
    </PublicShell>
  );
}
