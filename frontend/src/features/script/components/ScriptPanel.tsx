import { useState, type DragEvent } from "react";

import { Button } from "../../../components/Button";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import { Alert, Spinner } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import {
  useClosePrompt,
  useDeletePrompt,
  useDuplicatePrompt,
  usePrompts,
  useReleasePrompt,
  useReorderPrompts,
  type Prompt,
} from "../api";
import { closeSentence, kindLabel, promptStatusLabel, releaseSentence, visibilityLabel } from "../rules";
import { PromptDialog, type SegmentOption } from "./PromptDialog";

/** Moves the item at `from` to `to` and returns the new order of ids. */
export function moveId(ids: readonly string[], from: number, to: number): string[] {
  const next = [...ids];
  const [item] = next.splice(from, 1);
  if (item === undefined || to < 0 || to > next.length) return [...ids];
  next.splice(to, 0, item);
  return next;
}

function PromptCard({
  prompt,
  index,
  count,
  prompts,
  timeZone,
  segmentNames,
  editable,
  onMove,
  onEdit,
  onDelete,
  dragging,
  dragHandlers,
}: {
  prompt: Prompt;
  index: number;
  count: number;
  prompts: readonly Prompt[];
  timeZone: string;
  segmentNames: Map<string, string>;
  editable: boolean;
  onMove: (from: number, to: number) => void;
  onEdit: () => void;
  onDelete: () => void;
  dragging: boolean;
  dragHandlers: Partial<
    Record<"onDragStart" | "onDragOver" | "onDrop" | "onDragEnd", (e: DragEvent<HTMLLIElement>) => void>
  >;
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const duplicate = useDuplicatePrompt(prompt.space_id);
  const release = useReleasePrompt(prompt.space_id);
  const close = useClosePrompt(prompt.space_id);
  const ctx = { t, lang, timeZone, prompts };
  const title = prompt.title;
  const fail = { onError: (error: Error) => toast.show(problemMessage(error, t), "error") };
  const segments = prompt.segment_ids.map((id) => segmentNames.get(id) ?? id);

  return (
    <li
      className={["prompt-card", dragging ? "prompt-card--dragging" : ""].filter(Boolean).join(" ")}
      draggable={editable}
      {...(editable ? dragHandlers : {})}
    >
      <div className="prompt-card__head">
        <span className="prompt-card__position" aria-hidden="true">
          {index + 1}
        </span>
        <h3 className="prompt-card__title">{title}</h3>
      </div>
      <p className="chips">
        <span className="chip">{kindLabel(t, prompt.kind)}</span>
        <span className={`badge badge--${prompt.status === "published" ? "open" : "draft"}`}>
          {promptStatusLabel(t, prompt.status)}
        </span>
        <span className="chip">{visibilityLabel(t, prompt.visibility)}</span>
        {prompt.required && <span className="chip">{t("prompt.required_short")}</span>}
      </p>
      <ul className="prompt-card__rules">
        <li>{releaseSentence(prompt.release, ctx)}</li>
        <li>{closeSentence(prompt.close, ctx)}</li>
        <li>
          {segments.length > 0 ? t("script.for_segments", { segments: segments.join(", ") }) : t("script.for_everyone")}
        </li>
        <li className="muted">{t("script.responses", { count: prompt.response_count })}</li>
      </ul>
      {editable && (
        <div className="actions actions--start">
          <Button variant="secondary" size="sm" aria-label={t("script.edit_named", { title })} onClick={onEdit}>
            {t("script.edit")}
          </Button>
          <Button
            variant="ghost"
            size="sm"
            aria-label={t("script.duplicate_named", { title })}
            disabled={duplicate.isPending}
            onClick={() =>
              duplicate.mutate(prompt.id, {
                onSuccess: (copy) => toast.show(t("script.duplicated", { title: copy.title })),
                ...fail,
              })
            }
          >
            {t("script.duplicate")}
          </Button>
          {prompt.release.kind === "manual" && !prompt.release.released_at && (
            <Button
              variant="ghost"
              size="sm"
              aria-label={t("script.release_named", { title })}
              disabled={release.isPending}
              onClick={() =>
                release.mutate(prompt.id, { onSuccess: () => toast.show(t("script.released", { title })), ...fail })
              }
            >
              {t("script.release")}
            </Button>
          )}
          {prompt.close.kind === "manual" && !prompt.close.closed_at && (
            <Button
              variant="ghost"
              size="sm"
              aria-label={t("script.close_named", { title })}
              disabled={close.isPending}
              onClick={() =>
                close.mutate(prompt.id, { onSuccess: () => toast.show(t("script.closed", { title })), ...fail })
              }
            >
              {t("script.close")}
            </Button>
          )}
          <Button
            variant="ghost"
            size="sm"
            aria-label={t("script.move_up_named", { title })}
            disabled={index === 0}
            onClick={() => onMove(index, index - 1)}
          >
            {t("script.move_up")}
          </Button>
          <Button
            variant="ghost"
            size="sm"
            aria-label={t("script.move_down_named", { title })}
            disabled={index === count - 1}
            onClick={() => onMove(index, index + 1)}
          >
            {t("script.move_down")}
          </Button>
          <Button variant="ghost" size="sm" aria-label={t("script.delete_named", { title })} onClick={onDelete}>
            {t("script.delete")}
          </Button>
        </div>
      )}
    </li>
  );
}

/** The ordered script of a space: read it at a glance, reorder, create, edit, release. */
export function ScriptPanel({
  spaceId,
  timeZone,
  segments,
  editable,
}: {
  spaceId: string;
  timeZone: string;
  segments: readonly SegmentOption[];
  editable: boolean;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const prompts = usePrompts(spaceId);
  const reorder = useReorderPrompts(spaceId);
  const remove = useDeletePrompt(spaceId);
  const [editing, setEditing] = useState<Prompt | "new" | null>(null);
  const [deleting, setDeleting] = useState<Prompt | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");

  if (prompts.isPending) return <Spinner label={t("app.loading")} />;
  if (prompts.isError) return <Alert>{problemMessage(prompts.error, t)}</Alert>;

  const list = prompts.data;
  const segmentNames = new Map(segments.map((s) => [s.value, s.label]));

  function move(from: number, to: number) {
    if (to < 0 || to >= list.length || from === to) return;
    const moved = list[from];
    reorder.mutate(
      moveId(
        list.map((p) => p.id),
        from,
        to,
      ),
      {
        onSuccess: () => moved && setAnnouncement(t("script.moved", { title: moved.title, position: to + 1 })),
        onError: (error) => toast.show(problemMessage(error, t), "error"),
      },
    );
  }

  return (
    <section className="stack" aria-labelledby="script-heading">
      <div className="page-header">
        <h2 id="script-heading">{t("script.heading")}</h2>
        {editable && <Button onClick={() => setEditing("new")}>{t("script.new_prompt")}</Button>}
      </div>
      <p className="muted">{t("script.intro", { zone: timeZone })}</p>
      {list.length === 0 ? (
        <p className="muted">{t("script.empty")}</p>
      ) : (
        <ol className="prompt-list" aria-label={t("script.list_label")}>
          {list.map((prompt, index) => (
            <PromptCard
              key={prompt.id}
              prompt={prompt}
              index={index}
              count={list.length}
              prompts={list}
              timeZone={timeZone}
              segmentNames={segmentNames}
              editable={editable}
              onMove={move}
              onEdit={() => setEditing(prompt)}
              onDelete={() => setDeleting(prompt)}
              dragging={dragFrom === index}
              dragHandlers={{
                onDragStart: (e) => {
                  setDragFrom(index);
                  e.dataTransfer.effectAllowed = "move";
                  e.dataTransfer.setData("text/plain", prompt.id);
                },
                onDragOver: (e) => {
                  if (dragFrom !== null) e.preventDefault();
                },
                onDrop: (e) => {
                  e.preventDefault();
                  if (dragFrom !== null) move(dragFrom, index);
                  setDragFrom(null);
                },
                onDragEnd: () => setDragFrom(null),
              }}
            />
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {editing !== null && (
        <PromptDialog
          key={editing === "new" ? "new" : editing.id}
          spaceId={spaceId}
          timeZone={timeZone}
          prompt={editing === "new" ? null : editing}
          prompts={list}
          segments={segments}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("script.delete_title")}
        confirmLabel={t("script.delete")}
        cancelLabel={t("common.cancel")}
        closeLabel={t("common.close")}
        pending={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => toast.show(t("script.deleted", { title: deleting.title })),
            onError: (error) => toast.show(problemMessage(error, t), "error"),
            onSettled: () => setDeleting(null),
          })
        }
      >
        <p>{deleting && t("script.delete_confirm", { title: deleting.title })}</p>
      </ConfirmDialog>
    </section>
  );
}
