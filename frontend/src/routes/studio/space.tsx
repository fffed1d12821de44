import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";

import { Alert, Spinner } from "../../components/Layout";
import { Tabs } from "../../components/Tabs";
import { useMe } from "../../features/auth/api";
import { ConsolePanel } from "../../features/conversations/components/ConsolePanel";
import { InvitationsPanel } from "../../features/invitations/components/InvitationsPanel";
import { ScriptDocumentPanel } from "../../features/script/components/ScriptDocumentPanel";
import { ScriptPanel } from "../../features/script/components/ScriptPanel";
import { usePrompts } from "../../features/script/api";
import { TimelinePreview } from "../../features/script/components/TimelinePreview";
import { useParticipants, useSegments, useSpace, useSpaces } from "../../features/spaces/api";
import { spaceStatusLabel, StatusBadge } from "../../features/spaces/components/labels";
import { LogoUpload } from "../../features/spaces/components/LogoUpload";
import { ParticipantsPanel } from "../../features/spaces/components/ParticipantsPanel";
import { SegmentsPanel } from "../../features/spaces/components/SegmentsPanel";
import { SpaceForm } from "../../features/spaces/components/SpaceForm";
import { DangerZone, StatusActions } from "../../features/spaces/components/StatusActions";
import { useI18n } from "../../lib/i18n";
import { ApiError, problemMessage } from "../../lib/problem";
import { SPACE_TABS, spaceRoute } from "./routes";

export function SpacePage() {
  const { t } = useI18n();
  const { spaceId } = spaceRoute.useParams();
  const { tab = "settings" } = spaceRoute.useSearch();
  const navigate = useNavigate({ from: spaceRoute.fullPath });
  const space = useSpace(spaceId);
  const me = useMe();
  const segments = useSegments(spaceId);
  const segmentOptions = (segments.data ?? []).map((seg) => ({ value: seg.id, label: seg.name }));

  if (space.isPending) return <Spinner label={t("app.loading")} />;
  if (space.isError) {
    const missing = space.error instanceof ApiError && (space.error.status === 404 || space.error.status === 422);
    return missing ? (
      <>
        <h1>{t("space.not_found_title")}</h1>
        <p>{t("space.not_found")}</p>
        <p>
          <Link to="/">{t("common.back_home")}</Link>
        </p>
      </>
    ) : (
      <Alert>{problemMessage(space.error, t)}</Alert>
    );
  }

  const s = space.data;
  const role = me.data?.memberships.find((m) => m.organization_id === s.organization_id)?.role;
  const isStaffEditor = role === "owner" || role === "animator";
  const archived = s.status === "archived";
  const editable = isStaffEditor && !archived;

  return (
    <div className="stack stack--lg">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/organizations/$orgId/spaces" params={{ orgId: s.organization_id }}>
          {t("spaces.heading")}
        </Link>
      </nav>
      <div className="page-header">
        <div className="stack stack--sm">
          <h1>{s.title}</h1>
          <p>
            <StatusBadge status={s.status} label={spaceStatusLabel(t, s.status)} />{" "}
            <span className="muted">{t("space.participant_count", { count: s.participant_count })}</span>
          </p>
        </div>
        {isStaffEditor && <StatusActions space={s} />}
      </div>
      {archived && <p className="notice">{t("space.archived_read_only")}</p>}
      {!isStaffEditor && <p className="muted">{t("space.observer_read_only")}</p>}
      <Tabs
        label={t("space.sections")}
        selected={tab}
        onSelect={(next) => void navigate({ search: next === "settings" ? {} : { tab: next }, replace: true })}
        tabs={SPACE_TABS.map((key) => ({ key, label: t(`space.tab.${key}`) }))}
      >
        {tab === "settings" && (
          <div className="stack stack--lg">
            <SpaceForm key={s.id} orgId={s.organization_id} space={s} readOnly={!editable} />
            <LogoUpload space={s} readOnly={!editable} />
            {isStaffEditor && <DangerZone space={s} />}
          </div>
        )}
        {tab === "script" && (
          <div className="stack stack--lg">
            <ScriptPanel spaceId={s.id} timeZone={s.time_zone} segments={segmentOptions} editable={editable} />
            <ScriptPreview spaceId={s.id} timeZone={s.time_zone} segments={segmentOptions} />
            <ScriptDocuments spaceId={s.id} orgId={s.organization_id} title={s.title} editable={editable} />
          </div>
        )}
        {tab === "console" && (
          <ConsoleTab
            spaceId={s.id}
            organizationId={s.organization_id}
            segments={segmentOptions}
            canAct={isStaffEditor && s.status === "open"}
          />
        )}
        {tab === "segments" && <SegmentsPanel space={s} editable={editable} />}
        {tab === "invitations" && (
          <InvitationsPanel
            spaceId={s.id}
            spaceTitle={s.title}
            segments={segmentOptions}
            editable={editable && s.status !== "closed"}
          />
        )}
        {tab === "participants" && <ParticipantsPanel space={s} editable={editable} />}
      </Tabs>
    </div>
  );
}

/** The preview offers the space's active participants (first page) besides segment newcomers. */
function ScriptPreview({
  spaceId,
  timeZone,
  segments,
}: {
  spaceId: string;
  timeZone: string;
  segments: { value: string; label: string }[];
}) {
  const participants = useParticipants(spaceId, { status: "active" });
  const options = (participants.data?.pages ?? [])
    .flatMap((page) => page.items)
    .map((p) => ({ value: p.id, label: p.pseudonym }));
  return <TimelinePreview spaceId={spaceId} timeZone={timeZone} segments={segments} participants={options} />;
}

/** The console needs the script and every participant (with their segments): pages are read to the end. */
function ConsoleTab({
  spaceId,
  organizationId,
  segments,
  canAct,
}: {
  spaceId: string;
  organizationId: string;
  segments: { value: string; label: string }[];
  canAct: boolean;
}) {
  const { t } = useI18n();
  const prompts = usePrompts(spaceId);
  const participants = useParticipants(spaceId, {});
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = participants;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (prompts.isPending) return <Spinner label={t("app.loading")} />;
  if (prompts.isError) return <Alert>{problemMessage(prompts.error, t)}</Alert>;
  const list = (participants.data?.pages ?? []).flatMap((page) => page.items);
  return (
    <ConsolePanel
      spaceId={spaceId}
      organizationId={organizationId}
      prompts={prompts.data}
      participants={list}
      segments={segments}
      canAct={canAct}
    />
  );
}

/** Export, import, or copy the script of another space of the same organization. */
function ScriptDocuments({
  spaceId,
  orgId,
  title,
  editable,
}: {
  spaceId: string;
  orgId: string;
  title: string;
  editable: boolean;
}) {
  const spaces = useSpaces(orgId);
  const others = (spaces.data?.pages ?? [])
    .flatMap((page) => page.items)
    .filter((space) => space.id !== spaceId)
    .map((space) => ({ value: space.id, label: space.title }));
  return <ScriptDocumentPanel spaceId={spaceId} spaceTitle={title} otherSpaces={others} editable={editable} />;
}
