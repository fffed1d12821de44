import { Link, useLocation } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";

import { Alert, Spinner } from "../components/Layout";
import { PublicShell } from "../components/PublicShell";
import { readFragmentToken } from "../features/auth/api";
import { unsubscribe, type Unsubscribed } from "../features/notifications/api";
import { useI18n } from "../lib/i18n";
import { ApiError, problemMessage } from "../lib/problem";

function isInvalidLink(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === "auth.invalid_token" || error.status === 401 || error.status === 404)
  );
}

/** Public: unsubscribes with the link's token. No session needed. */
export function UnsubscribePage() {
  const { t } = useI18n();
  const location = useLocation();
  const started = useRef(false);
  const [token] = useState(() => readFragmentToken(location.hash));
  const [done, setDone] = useState<Unsubscribed | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    // Once only, even when strict mode runs effects twice.
    if (started.current || token === null) return;
    started.current = true;
    // The token acts for the participant: keep it out of the address bar and history.
    if (typeof window !== "undefined" && window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname);
    }
    unsubscribe(token).then(setDone, setError);
  }, [token]);

  return (
    <PublicShell>
      <div className="card login__card stack">
        <h1 className="login__title">{t("unsubscribe.title")}</h1>
        {token === null ? (
          <Alert>{t("unsubscribe.missing_token")}</Alert>
        ) : error ? (
          <Alert>{isInvalidLink(error) ? t("unsubscribe.invalid") : problemMessage(error, t)}</Alert>
        ) : done ? (
          <p role="status">{t("unsubscribe.done", { space: done.space_title })}</p>
        ) : (
          <Spinner label={t("unsubscribe.working")} />
        )}
        {(done !== null || error !== null || token === null) && (
          <p>
            <Link to="/me/spaces">{t("unsubscribe.my_spaces")}</Link>
          </p>
        )}
      </div>
    </PublicShell>
  );
}
