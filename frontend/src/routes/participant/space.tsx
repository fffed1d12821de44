import { Link } from "@tanstack/react-router";

import { Alert, Spinner } from "../../components/Layout";
import { TimelineSections } from "../../features/answers/components/TimelineSections";
import { useMyOpenProbes } from "../../features/conversations/api";
import { OpenProbes } from "../../features/conversations/components/OpenProbes";
import { useMySpace, useRecordVisit } from "../../features/participation/api";
import { Peers } from "../../features/participation/components/Peers";
import { SpaceBanner } from "../../features/participation/components/SpaceBanner";
import { spaceTheme } from "../../lib/contrast";
import { useI18n } from "../../lib/i18n";
import { ApiError, isSuspended, problemMessage } from "../../lib/problem";
import { mySpaceRoute } from "./routes";

export function MissingSpace() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("my_space.not_found_title")}</h1>
      <p>{t("my_space.not_found")}</p>
      <p>
        <Link to="/me/spaces">{t("my_space.back")}</Link>
      </p>
    </>
  );
}

/** The brand suspended my participation: say so, rather than a generic error. */
export function SuspendedSpace() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("my_space.suspended_title")}</h1>
      <p role="status">{t("problem.participant_suspended")}</p>
      <p>
        <Link to="/me/spaces">{t("my_space.back")}</Link>
      </p>
    </>
  );
}

/** What a participant page shows when its space cannot be read. */
export function SpaceError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (isSuspended(error)) return <SuspendedSpace />;
  if (error instanceof ApiError && (error.status === 404 || error.status === 422)) return <MissingSpace />;
  return <Alert>{problemMessage(error, t)}</Alert>;
}

export function MySpacePage() {
  const { t } = useI18n();
  const { spaceId } = mySpaceRoute.useParams();
  const space = useMySpace(spaceId);
  useRecordVisit(spaceId, space.isSuccess);
  const openProbes = useMyOpenProbes(spaceId, space.isSuccess);

  if (space.isPending) return <Spinner label={t("app.loading")} />;
  if (space.isError) return <SpaceError error={space.error} />;
  const s = space.data;
  const probed = new Set((openProbes.data ?? []).map((probe) => probe.prompt_id));

  return (
    <div className="themed stack stack--lg" style={spaceTheme(s.accent_color)}>
      <SpaceBanner space={s}>
        <h1 className="space-banner__title">{s.title}</h1>
      </SpaceBanner>
      {s.space_status !== "open" && <p className="notice">{t(`my_space.status_${s.space_status}`)}</p>}
      {s.space_status === "open" && <OpenProbes spaceId={spaceId} />}
      {s.welcome_html && (
        <section className="card">
          {/* Server-rendered and sanitized Markdown. */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: s.welcome_html }} />
        </section>
      )}
      <TimelineSections spaceId={spaceId} probed={probed} />
      <section className="card stack" aria-labelledby="me-heading">
        <h2 id="me-heading">{t("my_space.you_heading")}</h2>
        <dl className="meta">
          <dt>{t("join.pseudonym")}</dt>
          <dd>{s.pseudonym}</dd>
          <dt>{t("my_space.segments")}</dt>
          <dd>{s.segments.length > 0 ? s.segments.join(", ") : t("my_space.no_segments")}</dd>
        </dl>
        <p>
          <Link to="/me/spaces/$spaceId/profile" params={{ spaceId }}>
            {t("my_space.profile_link")}
          </Link>
        </p>
      </section>
      <Peers spaceId={spaceId} me={s.pseudonym} />
    </div>
  );
}
