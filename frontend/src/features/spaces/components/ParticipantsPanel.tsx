import { useEffect, useState } from "react";

import { Button } from "../../../components/Button";
import { Dialog } from "../../../components/Dialog";
import { CheckboxGroup, SelectField, TextField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { Table, type Column } from "../../../components/Table";
import { useToast } from "../../../components/Toast";
import { EmailAddress } from "../../../components/EmailAddress";
import { formatDate, formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import {
  PARTICIPANT_STATUSES,
  useParticipants,
  useSegments,
  useUpdateParticipant,
  type Participant,
  type ParticipantStatus,
  type Segment,
  type Space,
} from "../api";
import { participantStatusLabel, StatusBadge } from "./labels";

function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

function ChangeSegmentsDialog({
  space,
  participant,
  segments,
  onClose,
}: {
  space: Space;
  participant: Participant;
  segments: readonly Segment[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateParticipant(space.id);
  const [selected, setSelected] = useState<string[]>(participant.segment_ids);

  return (
    <Dialog
      open
      title={t("participants.segments_title", { name: participant.pseudonym })}
      onClose={onClose}
      closeLabel={t("common.close")}
    >
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate(
            { participantId: participant.id, body: { segment_ids: selected } },
            {
              onSuccess: () => (
                toast.show(t("participants.segments_saved", { name: participant.pseudonym })),
                onClose()
              ),
            },
          );
        }}
      >
        {update.isError && <Alert>{problemMessage(update.error, t)}</Alert>}
        <CheckboxGroup
          legend={t("participants.segments")}
          options={segments.map((s) => ({ value: s.id, label: s.name }))}
          value={selected}
          onChange={setSelected}
          empty={t("segments.empty")}
        />
        <div className="actions">
          <Button variant="secondary" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={update.isPending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Participants of a space; e-mail addresses are null for observers and then shown as nothing. */
export function ParticipantsPanel({ space, editable }: { space: Space; editable: boolean }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [status, setStatus] = useState<ParticipantStatus | "">("");
  const [segmentId, setSegmentId] = useState("");
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  const segments = useSegments(space.id);
  const participants = useParticipants(space.id, {
    ...(status ? { status } : {}),
    ...(segmentId ? { segmentId } : {}),
    ...(q ? { q } : {}),
  });
  const update = useUpdateParticipant(space.id);
  const [editing, setEditing] = useState<Participant | null>(null);

  const segmentNames = new Map((segments.data ?? []).map((s) => [s.id, s.name]));

  function setParticipantStatus(participant: Participant, next: "active" | "suspended") {
    update.mutate(
      { participantId: participant.id, body: { status: next } },
      {
        onSuccess: () =>
          toast.show(
            t(next === "suspended" ? "participants.suspended" : "participants.reactivated", {
              name: participant.pseudonym,
            }),
          ),
        onError: (error) => toast.show(problemMessage(error, t), "error"),
      },
    );
  }

  const columns: Column<Participant>[] = [
    {
      key: "pseudonym",
      header: t("participants.pseudonym"),
      render: (p) => <span className="strong">{p.pseudonym}</span>,
    },
    {
      key: "email",
      header: t("participants.email"),
      render: (p) => (p.email ? <EmailAddress email={p.email} /> : null),
    },
    {
      key: "segments",
      header: t("participants.segments"),
      render: (p) =>
        p.segment_ids
          .map((id) => segmentNames.get(id))
          .filter(Boolean)
          .join(", "),
    },
    {
      key: "status",
      header: t("participants.status"),
      render: (p) => <StatusBadge status={p.status} label={participantStatusLabel(t, p.status)} />,
    },
    { key: "joined", header: t("participants.joined"), render: (p) => formatDate(p.joined_at, lang) },
    { key: "seen", header: t("participants.last_seen"), render: (p) => formatDateTime(p.last_seen_at, lang) },
  ];
  if (editable) {
    columns.push({
      key: "actions",
      header: t("members.actions"),
      hideHeader: true,
      render: (p) =>
        p.status === "left" ? null : (
          <div className="actions actions--start">
            <Button
              variant="secondary"
              size="sm"
              aria-label={t("participants.change_segments_of", { name: p.pseudonym })}
              onClick={() => setEditing(p)}
            >
              {t("participants.change_segments")}
            </Button>
            {p.status === "active" ? (
              <Button
                variant="ghost"
                size="sm"
                disabled={update.isPending}
                aria-label={t("participants.suspend_named", { name: p.pseudonym })}
                onClick={() => setParticipantStatus(p, "suspended")}
              >
                {t("participants.suspend")}
              </Button>
            ) : (
              <Button
                variant="ghost"
                size="sm"
                disabled={update.isPending}
                aria-label={t("participants.reactivate_named", { name: p.pseudonym })}
                onClick={() => setParticipantStatus(p, "active")}
              >
                {t("participants.reactivate")}
              </Button>
            )}
          </div>
        ),
    });
  }

  return (
    <div className="stack">
      <h2>{t("participants.heading")}</h2>
      <div className="filters" role="search" aria-label={t("participants.filters")}>
        <TextField
          label={t("participants.search")}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <SelectField
          label={t("participants.status")}
          value={status}
          onChange={(e) => setStatus(e.target.value as ParticipantStatus | "")}
        >
          <option value="">{t("common.all")}</option>
          {PARTICIPANT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {participantStatusLabel(t, s)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("participants.segment")} value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
          <option value="">{t("common.all")}</option>
          {(segments.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      </div>
      {participants.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : participants.isError ? (
        <Alert>{problemMessage(participants.error, t)}</Alert>
      ) : (
        <>
          <Table
            caption={t("participants.caption", { title: space.title })}
            columns={columns}
            rows={participants.data.pages.flatMap((page) => page.items)}
            rowKey={(p) => p.id}
            empty={t("participants.empty")}
          />
          {participants.hasNextPage && (
            <Button
              variant="secondary"
              size="sm"
              disabled={participants.isFetchingNextPage}
              onClick={() => void participants.fetchNextPage()}
            >
              {t("common.show_more")}
            </Button>
          )}
        </>
      )}
      {editing && (
        <ChangeSegmentsDialog
          space={space}
          participant={editing}
          segments={segments.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
