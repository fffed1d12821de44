import type { ReactNode } from "react";

import { Alert, Spinner } from "../../../components/Layout";
import { spaceTheme } from "../../../lib/contrast";
import { formatDate } from "../../../lib/format";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { usePublicInvitation, type InvitationAccepted } from "../api";
import { JoinForm, type Viewer } from "./JoinForm";

export type { Viewer };
import { landingProblem, LandingProblemView } from "./LandingProblem";

function Frame({ children }: { children: ReactNode }) {
  return <div className="landing">{children}</div>;
}

/** The public page behind an invitation link: who invites, to what, and the join form. */
export function InvitationLanding({
  token,
  viewer,
  signingOut,
  onSignOut,
  onJoined,
}: {
  token: string;
  viewer: Viewer;
  signingOut: boolean;
  onSignOut: () => void;
  onJoined: (accepted: InvitationAccepted) => void;
}) {
  const { t, lang } = useI18n();
  const invitation = usePublicInvitation(token);

  if (invitation.isPending) return <Spinner label={t("app.loading")} />;
  if (invitation.isError) {
    const kind = landingProblem(invitation.error);
    return (
      <Frame>{kind ? <LandingProblemView kind={kind} /> : <Alert>{problemMessage(invitation.error, t)}</Alert>}</Frame>
    );
  }

  const data = invitation.data;
  const space = data.space;
  return (
    <div className="landing themed" style={space ? spaceTheme(space.accent_color) : undefined}>
      <div className="space-banner">
        {space?.logo_url && (
          <img className="space-banner__logo" src={space.logo_url} alt={t("space.logo_alt", { title: space.title })} />
        )}
        <div>
          <p className="space-banner__org">{data.organization_name}</p>
          <h1 className="space-banner__title">
            {space
              ? t("landing.heading", { title: space.title })
              : t("landing.staff_heading", { organization: data.organization_name })}
          </h1>
        </div>
      </div>
      <div className="card stack landing__card">
        {space ? (
          <>
            {/* Server-rendered and sanitized Markdown. */}
            {space.welcome_html && <div className="prose" dangerouslySetInnerHTML={{ __html: space.welcome_html }} />}
            {space.description_html && (
              <div className="prose muted" dangerouslySetInnerHTML={{ __html: space.description_html }} />
            )}
          </>
        ) : (
          data.role && <p>{t("landing.staff_role", { role: t(`role.${data.role}` as MessageKey) })}</p>
        )}
        {data.personal_message && (
          <blockquote className="quote">
            <p className="quote__label">{t("landing.personal_message")}</p>
            <p className="pre-line">{data.personal_message}</p>
          </blockquote>
        )}
        <p className="muted">
          {t("landing.for_address", { email: data.email, date: formatDate(data.expires_at, lang) })}
        </p>
        {viewer.status === "loading" ? (
          <Spinner label={t("app.loading")} />
        ) : (
          <JoinForm
            token={token}
            invitation={data}
            viewer={viewer}
            signingOut={signingOut}
            onSignOut={onSignOut}
            onJoined={onJoined}
          />
        )}
      </div>
    </div>
  );
}
