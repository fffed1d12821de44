import type { Ref } from "react";

import { Alert, Spinner } from "../../../components/Layout";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { useAddNote, useNotes, type NoteTarget } from "../api";
import { TextForm } from "./TextForm";

/** Backroom notes on an answer: staff only, never shown to participants. */
export function NotesPanel({
  id,
  target,
  author,
  noteRef,
}: {
  id: string;
  target: NoteTarget;
  author: string;
  noteRef?: Ref<HTMLTextAreaElement>;
}) {
  const { t, lang } = useI18n();
  const notes = useNotes(target);
  const add = useAddNote(target);
  const items = notes.data?.items ?? [];
  return (
    <section id={id} className="notes stack stack--sm" aria-label={t("notes.label", { name: author })}>
      <p className="muted">{t("notes.hint")}</p>
      {notes.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : notes.isError ? (
        <Alert>{problemMessage(notes.error, t)}</Alert>
      ) : items.length === 0 ? (
        <p className="muted">{t("notes.empty")}</p>
      ) : (
        <ul className="notes__list">
          {items.map((note) => (
            <li key={note.id} className="note">
              <p className="reply__meta">
                <span className="strong">{note.author_name ?? t("notes.someone")}</span>{" "}
                <span className="muted">{formatDateTime(note.created_at, lang)}</span>
              </p>
              {/* Server-rendered and sanitized Markdown. */}
              <div className="prose" dangerouslySetInnerHTML={{ __html: note.text_html }} />
            </li>
          ))}
        </ul>
      )}
      <TextForm
        label={t("notes.field")}
        submitLabel={t("notes.submit")}
        pending={add.isPending}
        error={add.error}
        rows={2}
        textareaRef={noteRef}
        onSubmit={(text) => add.mutateAsync(text)}
      />
    </section>
  );
}
