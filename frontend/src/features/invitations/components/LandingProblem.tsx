import { Link } from "@tanstack/react-router";

import { useI18n, type MessageKey } from "../../../lib/i18n";
import { ApiError } from "../../../lib/problem";

export type LandingProblem = "not_found" | "expired" | "used" | "revoked" | "space_closed";

/** Which explanation an error from the invitation link deserves (null: a generic message). */
export function landingProblem(error: unknown): LandingProblem | null {
  if (!(error instanceof ApiError)) return null;
  switch (error.code) {
    case "invitation.expired":
      return "expired";
    case "invitation.used":
    case "invitation.already_participant":
      return "used";
    case "invitation.revoked":
      return "revoked";
    case "invitation.space_closed":
      return "space_closed";
    default:
      return error.status === 404 || error.status === 422 ? "not_found" : null;
  }
}

const EXPLANATIONS: Record<LandingProblem, { title: MessageKey; body: MessageKey }> = {
  not_found: { title: "landing.not_found_title", body: "landing.not_found_body" },
  expired: { title: "landing.expired_title", body: "landing.expired_body" },
  used: { title: "landing.used_title", body: "landing.used_body" },
  revoked: { title: "landing.revoked_title", body: "landing.revoked_body" },
  space_closed: { title: "landing.space_closed_title", body: "landing.space_closed_body" },
};

export function LandingProblemView({ kind }: { kind: LandingProblem }) {
  const { t } = useI18n();
  const { title, body } = EXPLANATIONS[kind];
  return (
    <div className="card stack landing__card">
      <h1>{t(title)}</h1>
      <p>{t(body)}</p>
      {kind === "used" && (
        <p>
          <Link to="/login" className="btn btn--primary btn--md">
            {t("landing.sign_in")}
          </Link>
        </p>
      )}
    </div>
  );
}
