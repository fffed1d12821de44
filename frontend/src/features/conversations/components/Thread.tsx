import { useEffect, useRef, useState, type FormEvent, type Ref } from "react";

import { Avatar } from "../../../components/Avatar";
import { Button } from "../../../components/Button";
import { sendOnModEnter, TextAreaField } from "../../../components/Field";
import { Alert, Spinner } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { formatDateTime } from "../../../lib/format";
import { NewMarker } from "../../../components/NewMarker";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { ApiError, problemMessage } from "../../../lib/problem";
import {
  useAddReply,
  useEditReply,
  useReplies,
  useResponseProbes,
  type Answer,
  type Probe,
  type Reply,
  type Role,
} from "../api";
import { isReplyEditable, REPLY_EDIT_MINUTES, threadEntries } from "../model";
import { ReactionBar } from "./Reactions";
import { TEXT_MAX, TextForm } from "./TextForm";

export type Viewer = "participant" | "staff";

const ROLE: Record<Role, MessageKey> = {
  owner: "role.owner",
  animator: "role.animator",
  observer: "role.observer",
};

/** "3 replies", expanding the thread under an answer. */
export function ThreadToggle({
  count,
  expanded,
  controls,
  onToggle,
  zeroLabel,
}: {
  count: number;
  expanded: boolean;
  controls: string;
  onToggle: () => void;
  zeroLabel: string;
}) {
  const { t } = useI18n();
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-expanded={expanded}
      aria-controls={expanded ? controls : undefined}
      onClick={onToggle}
    >
      {count === 0 ? zeroLabel : t("thread.count", { count })}
    </Button>
  );
}

function ProbeEntry({ probe, answer, viewer }: { probe: Probe; answer: Answer; viewer: Viewer }) {
  const { t, lang } = useI18n();
  return (
    <li className="thread__item thread__item--probe">
      <p className="reply__meta">
        <span className="strong">
          {answer.mine ? t("probe.asks_you") : t("probe.asks_name", { name: probe.participant_pseudonym })}
        </span>{" "}
        <span className="muted">{formatDateTime(probe.created_at, lang)}</span>
      </p>
      {/* Server-rendered and sanitized Markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: probe.text_html }} />
      <p className="chips">
        {probe.visibility === "private" && (
          <span className="chip">{viewer === "staff" ? t("probe.private") : t("probe.private_note")}</span>
        )}
        {viewer === "staff" && (
          <span className={`badge badge--probe-${probe.status}`}>{t(`probe.status.${probe.status}`)}</span>
        )}
      </p>
    </li>
  );
}

/** Edits my reply in place: the text (rebuilt from the rendered reply), save or cancel. */
function ReplyEditForm({
  reply,
  onDone,
  onExpired,
  onChanged,
}: {
  reply: Reply;
  onDone: () => void;
  onExpired: () => void;
  onChanged?: (() => void) | undefined;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const edit = useEditReply(reply.response_id, onChanged);
  const [text, setText] = useState(() => reply.text);
  const empty = text.trim().length === 0;
  const expired = edit.error instanceof ApiError && edit.error.code === "response.edit_window_over";

  function submit(event: FormEvent) {
    event.preventDefault();
    if (empty || edit.isPending) return;
    edit.mutate(
      { replyId: reply.id, text: text.trim() },
      {
        onSuccess: () => (toast.show(t("reply.edited_toast")), onDone()),
        onError: (error) => {
          if (error instanceof ApiError && error.code === "response.edit_window_over") onExpired();
        },
      },
    );
  }

  return (
    <form className="stack stack--sm text-form" onSubmit={submit} noValidate>
      <TextAreaField
        label={t("reply.edit_field")}
        value={text}
        rows={3}
        maxLength={TEXT_MAX}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={sendOnModEnter}
        aria-keyshortcuts="Control+Enter Meta+Enter"
      />
      {edit.error ? (
        <Alert>
          {expired ? t("reply.edit_window_over", { minutes: REPLY_EDIT_MINUTES }) : problemMessage(edit.error, t)}
        </Alert>
      ) : null}
      <div className="actions actions--start">
        <Button type="submit" size="sm" disabled={empty || edit.isPending || expired}>
          {t("reply.save_edit")}
        </Button>
        <Button variant="ghost" size="sm" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}

function ReplyEntry({
  reply,
  viewer,
  canReact,
  canWrite,
  onChanged,
}: {
  reply: Reply;
  viewer: Viewer;
  canReact: boolean;
  canWrite: boolean;
  onChanged?: () => void;
}) {
  const { t, lang } = useI18n();
  const brand = reply.author_kind === "staff";
  const [editing, setEditing] = useState(false);
  const [expired, setExpired] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const [returnFocus, setReturnFocus] = useState(false);
  const editable = canWrite && !expired && isReplyEditable(reply);

  useEffect(() => {
    if (!returnFocus) return;
    editButton.current?.focus();
    setReturnFocus(false);
  }, [returnFocus]);

  const closeEditor = () => (setEditing(false), setReturnFocus(true));
  return (
    <li
      className={["thread__item", brand ? "thread__item--brand" : "", reply.mine ? "thread__item--mine" : ""]
        .filter(Boolean)
        .join(" ")}
    >
      <article className="stack stack--sm" aria-label={t("reply.by", { name: reply.author_name })}>
        <p className="reply__meta">
          <Avatar name={reply.author_name} size="sm" />
          <span className="strong">
            {reply.mine ? t("answer.you", { name: reply.author_name }) : reply.author_name}
          </span>{" "}
          {brand && (
            <span className="badge badge--brand">
              {reply.author_role ? t("reply.brand_role", { role: t(ROLE[reply.author_role]) }) : t("reply.brand")}
            </span>
          )}{" "}
          <span className="muted">
            {formatDateTime(reply.created_at, lang)}
            {reply.edited_at && ` ${t("reply.edited")}`}
          </span>{" "}
          <NewMarker createdAt={reply.created_at} mine={reply.mine} />
        </p>
        {(reply.probe_id || reply.private) && (
          <p className="chips">
            {reply.probe_id && <span className="chip">{t("reply.probe_answer")}</span>}
            {reply.private && (
              <span className="chip">{viewer === "staff" ? t("probe.private") : t("probe.private_note")}</span>
            )}
          </p>
        )}
        {editing ? (
          <ReplyEditForm reply={reply} onDone={closeEditor} onExpired={() => setExpired(true)} onChanged={onChanged} />
        ) : (
          /* Server-rendered and sanitized Markdown. */
          <div className="prose" dangerouslySetInnerHTML={{ __html: reply.text_html }} />
        )}
        {editable && !editing && (
          <div className="actions actions--start">
            <Button ref={editButton} variant="secondary" size="sm" onClick={() => setEditing(true)}>
              {t("reply.edit")} <span className="visually-hidden">{t("reply.edit_context")}</span>
            </Button>
          </div>
        )}
        <ReactionBar
          target={{ kind: "reply", id: reply.id }}
          reactions={reply.reactions}
          mine={reply.my_reactions}
          readOnly={!canReact}
          onChanged={onChanged}
        />
      </article>
    </li>
  );
}

/**
 * The thread under an answer, oldest first: replies (the brand's highlighted, with its
 * role) and the probes the viewer may see, then a reply form. Refreshed every 10 s.
 */
export function Thread({
  id,
  answer,
  viewer,
  canWrite,
  canReact,
  onChanged,
  replyRef,
  poll,
}: {
  id: string;
  answer: Answer;
  viewer: Viewer;
  canWrite: boolean;
  canReact: boolean;
  onChanged?: () => void;
  replyRef?: Ref<HTMLTextAreaElement>;
  poll?: number;
}) {
  const { t } = useI18n();
  const replies = useReplies(answer.id, poll);
  const probes = useResponseProbes(answer.id, poll === undefined ? {} : { poll });
  const add = useAddReply(answer.id, onChanged);
  const items = replies.data?.pages.flatMap((p) => p.items) ?? [];
  // My pending probes are shown prominently above the thread (with their answer form).
  const shownProbes = (probes.data ?? []).filter((p) => viewer === "staff" || !answer.mine || p.status === "answered");
  const entries = threadEntries(items, shownProbes);

  return (
    <section
      id={id}
      className="thread stack stack--sm"
      aria-label={t("thread.label", { name: answer.author_pseudonym })}
    >
      {replies.isPending ? (
        <Spinner label={t("app.loading")} />
      ) : replies.isError ? (
        <Alert>{problemMessage(replies.error, t)}</Alert>
      ) : entries.length === 0 ? (
        <p className="muted">{t("thread.empty")}</p>
      ) : (
        <ol className="thread__list">
          {entries.map((entry) =>
            entry.kind === "probe" ? (
              <ProbeEntry key={`p-${entry.probe.id}`} probe={entry.probe} answer={answer} viewer={viewer} />
            ) : (
              <ReplyEntry
                key={entry.reply.id}
                reply={entry.reply}
                viewer={viewer}
                canReact={canReact}
                canWrite={canWrite}
                onChanged={onChanged}
              />
            ),
          )}
        </ol>
      )}
      {replies.hasNextPage && (
        <Button
          variant="secondary"
          size="sm"
          disabled={replies.isFetchingNextPage}
          onClick={() => void replies.fetchNextPage()}
        >
          {t("thread.more")}
        </Button>
      )}
      {canWrite && (
        <TextForm
          label={viewer === "staff" ? t("reply.field_staff", { name: answer.author_pseudonym }) : t("reply.field")}
          submitLabel={t("reply.submit")}
          pending={add.isPending}
          error={add.error}
          textareaRef={replyRef}
          onSubmit={(text) => add.mutateAsync(text)}
        />
      )}
    </section>
  );
}
