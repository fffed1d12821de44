import { Link, useLocation } from "@tanstack/react-router";
import { useEffect, useState } from "react";

import { Button } from "../components/Button";
import { Alert } from "../components/Layout";
import { PublicShell } from "../components/PublicShell";
import { readFragmentToken, useConfirmEmailChange } from "../features/auth/api";
import { useI18n } from "../lib/i18n";
import { clearAccessToken } from "../lib/session";
import { ApiError, problemMessage } from "../lib/problem";

/** Confirms the new address. It signs no one in; every session ends. */
export function ChangeEmailPage() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const [token] = useState(() => readFragmentToken(location.hash));
  const confirm = useConfirmEmailChange();
  const gone = confirm.error instanceof ApiError && confirm.error.status === 410;

  useEffect(() => {
    if (token !== null && typeof window !== "undefined" && window.location.hash) {
      window.history.replaceState(window.history.state, "", window.location.pathname);
    }
  }, [token]);

  function onConfirm() {
    if (token === null) return;
    confirm.mutate({ token, language: lang }, { onSuccess: () => clearAccessToken() });
  }

  return (
    <PublicShell>
      <div className="card login__card stack">
        <h1 className="login__title">{t("email_change.confirm_title")}</h1>
        {token === null ? (
          <Alert>{t("email_change.missing_token")}</Alert>
        ) : confirm.isSuccess ? (
          <div className="notice" role="status">
            <p>{t("email_change.done")}</p>
          </div>
        ) : (
          <>
            {confirm.isError && <Alert>{gone ? t("reset.link_gone") : problemMessage(confirm.error, t)}</Alert>}
            {!gone && (
              <>
                <p>{t("email_change.confirm_intro")}</p>
                <div>
                  <Button size="lg" disabled={confirm.isPending} onClick={onConfirm}>
                    {t("email_change.confirm_submit")}
                  </Button>
                </div>
              </>
            )}
          </>
        )}
        <p>
          <Link to="/login">{confirm.isSuccess ? t("reset.sign_in") : t("magic.back_to_login")}</Link>
        </p>
      </div>
    </PublicShell>
  );
}
