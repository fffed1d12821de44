import { useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { Dialog } from "../../../components/Dialog";
import { TextField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { Table, type Column } from "../../../components/Table";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import { useCreateSegment, useDeleteSegment, useRenameSegment, useSegments, type Segment, type Space } from "../api";

function SegmentNameDialog({
  space,
  segment,
  open,
  onClose,
}: {
  space: Space;
  segment: Segment | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateSegment(space.id);
  const rename = useRenameSegment(space.id);
  const mutation = segment ? rename : create;
  const [name, setName] = useState(segment?.name ?? "");
  const errors = fieldErrors(mutation.error);

  function close() {
    create.reset();
    rename.reset();
    onClose();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    const done = { onSuccess: () => (toast.show(t("segments.saved", { name: trimmed })), close()) };
    if (segment) rename.mutate({ segmentId: segment.id, name: trimmed }, done);
    else create.mutate(trimmed, done);
  }

  return (
    <Dialog
      open={open}
      title={segment ? t("segments.rename_title") : t("segments.create_title")}
      onClose={close}
      closeLabel={t("common.close")}
    >
      <form className="stack" onSubmit={onSubmit}>
        {mutation.isError && <Alert>{problemMessage(mutation.error, t)}</Alert>}
        <TextField
          label={t("segments.name")}
          required
          maxLength={60}
          value={name}
          error={errors.name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="actions">
          <Button variant="secondary" onClick={close}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" disabled={mutation.isPending}>
            {t("common.save")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

export function SegmentsPanel({ space, editable }: { space: Space; editable: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const segments = useSegments(space.id);
  const remove = useDeleteSegment(space.id);
  const [editing, setEditing] = useState<Segment | "new" | null>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);

  if (segments.isPending) return <Spinner label={t("app.loading")} />;
  if (segments.isError) return <Alert>{problemMessage(segments.error, t)}</Alert>;

  const columns: Column<Segment>[] = [
    { key: "name", header: t("segments.name"), render: (s) => <span className="strong">{s.name}</span> },
    { key: "count", header: t("segments.participants"), render: (s) => String(s.participant_count) },
  ];
  if (editable) {
    columns.push({
      key: "actions",
      header: t("members.actions"),
      hideHeader: true,
      render: (s) => (
        <div className="actions actions--start">
          <Button
            variant="secondary"
            size="sm"
            aria-label={t("segments.rename_named", { name: s.name })}
            onClick={() => setEditing(s)}
          >
            {t("segments.rename")}
          </Button>
          <Button
            variant="ghost"
            size="sm"
            aria-label={t("segments.delete_named", { name: s.name })}
            onClick={() => setDeleting(s)}
          >
            {t("segments.delete")}
          </Button>
        </div>
      ),
    });
  }

  return (
    <div className="stack">
      <div className="page-header">
        <h2>{t("segments.heading")}</h2>
        {editable && <Button onClick={() => setEditing("new")}>{t("segments.create")}</Button>}
      </div>
      <Table
        caption={t("segments.caption", { title: space.title })}
        columns={columns}
        rows={segments.data}
        rowKey={(s) => s.id}
        empty={t("segments.empty")}
      />
      {editing !== null && (
        <SegmentNameDialog
          key={editing === "new" ? "new" : editing.id}
          space={space}
          segment={editing === "new" ? null : editing}
          open
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("segments.delete_title")}
        confirmLabel={t("segments.delete")}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => toast.show(t("segments.deleted", { name: deleting.name })),
            onError: (error) => toast.show(problemMessage(error, t), "error"),
            onSettled: () => setDeleting(null),
          })
        }
      >
        <p>
          {deleting &&
            t(deleting.participant_count === 0 ? "segments.delete_confirm_none" : "segments.delete_confirm", {
              name: deleting.name,
              count: deleting.participant_count,
            })}
        </p>
      </ConfirmDialog>
    </div>
  );
}
