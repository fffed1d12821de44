import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

import { Avatar } from "../../../components/Avatar";
import { Button } from "../../../components/Button";
import { formatDateTime } from "../../../lib/format";
import { useI18n } from "../../../lib/i18n";
import { REACTION_KINDS, type ProbeVisibility, type ReactionKind } from "../api";
import { shortcutFor, type FeedItem } from "../model";
import { NotesPanel } from "./Notes";
import { ProbeDialog } from "./ProbeDialog";
import { ReactionBar } from "./Reactions";
import { Thread, ThreadToggle } from "./Thread";

function AnswerBody({ item }: { item: FeedItem }) {
  const { t } = useI18n();
  const { answer, prompt } = item;
  const labels = new Map((prompt.poll?.options ?? []).map((o) => [o.key, o.label]));
  const choices = answer.choices.map((key) => labels.get(key) ?? key);
  if (answer.other_text) choices.push(`${t("answer.other")}: ${answer.other_text}`);
  return (
    <>
      {answer.rating !== null && <p className="strong">{t("answer.rated", { value: answer.rating })}</p>}
      {choices.length > 0 && <p className="strong">{choices.join(", ")}</p>}
      {/* Server-rendered and sanitized Markdown. */}
      {answer.text_html && <div className="prose" dangerouslySetInnerHTML={{ __html: answer.text_html }} />}
    </>
  );
}

function Kbd({ children }: { children: string }) {
  return (
    <kbd className="kbd" aria-hidden="true">
      {children}
    </kbd>
  );
}

/** Words that only assistive technologies read: the visible label starts the accessible name. */
function Context({ text }: { text: string }) {
  return (
    <>
      {" "}
      <span className="visually-hidden">{text}</span>
    </>
  );
}

/** Moves focus to the next or previous item of the feed. */
function focusSibling(from: HTMLElement, step: 1 | -1) {
  const list = from.closest("ol");
  if (!list) return;
  const items = Array.from(list.querySelectorAll<HTMLElement>("[data-feed-item]"));
  const index = items.indexOf(from);
  items[index + step]?.focus();
}

/**
 * One answer of the console feed with everything the brand does without leaving it:
 * reply, probe, react, backroom notes; one-keystroke shortcuts while it has focus.
 */
export function ConsoleItem({
  item,
  organizationId,
  segmentNames,
  canAct,
  onChanged,
}: {
  item: FeedItem;
  organizationId: string;
  segmentNames: readonly string[];
  canAct: boolean;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { answer, prompt } = item;
  const name = answer.author_pseudonym;
  const threadId = useId();
  const notesId = useId();
  const [threadOpen, setThreadOpen] = useState(false);
  const [notesOpen, setNotesOpen] = useState(false);
  const [probing, setProbing] = useState<ProbeVisibility | null>(null);
  const [focusTarget, setFocusTarget] = useState<"reply" | "note" | null>(null);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const pressReaction = useRef<((kind: ReactionKind) => void) | null>(null);

  useEffect(() => {
    if (focusTarget === null) return;
    (focusTarget === "reply" ? replyRef : noteRef).current?.focus();
    setFocusTarget(null);
  }, [focusTarget, threadOpen, notesOpen]);

  const openReply = () => (setThreadOpen(true), setFocusTarget("reply"));
  const openNote = () => (setNotesOpen(true), setFocusTarget("note"));

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    // Keys typed in the probe dialog (a portal) bubble here through React: ignore them.
    if (!(event.target instanceof Node) || !event.currentTarget.contains(event.target)) return;
    const action = shortcutFor(event);
    if (action === null) return;
    const editorOnly = action !== "note" && action !== "next" && action !== "previous";
    if (editorOnly && !canAct) return;
    event.preventDefault();
    switch (action) {
      case "reply":
        openReply();
        break;
      case "probe_public":
        setProbing("public");
        break;
      case "probe_private":
        setProbing("private");
        break;
      case "note":
        openNote();
        break;
      case "next":
        focusSibling(event.currentTarget, 1);
        break;
      case "previous":
        focusSibling(event.currentTarget, -1);
        break;
      default: {
        const kind = REACTION_KINDS[Number(action.slice(-1)) - 1];
        if (kind) pressReaction.current?.(kind);
      }
    }
  }

  return (
    <li className={["feed-item", answer.brand_replied ? "" : "feed-item--unreplied"].filter(Boolean).join(" ")}>
      <article
        className="feed-item__card stack stack--sm"
        tabIndex={0}
        data-feed-item=""
        aria-label={t("console.item", { name, prompt: prompt.title })}
        onKeyDown={onKeyDown}
      >
        <div className="feed-item__head">
          <p className="response__meta">
            <Avatar name={name} />
            <span className="strong">{name}</span>{" "}
            <span className="muted">
              {prompt.title} · {formatDateTime(answer.created_at, lang)}
              {answer.edited_at && ` · ${t("answer.edited")}`}
            </span>
          </p>
          <p className="chips">
            {segmentNames.map((segment) => (
              <span key={segment} className="chip chip--sm">
                {segment}
              </span>
            ))}
            {answer.brand_replied ? (
              <span className="badge badge--brand">{t("thread.brand_replied")}</span>
            ) : (
              <span className="badge badge--waiting">{t("console.not_replied")}</span>
            )}
          </p>
        </div>
        <AnswerBody item={item} />
        <ReactionBar
          target={{ kind: "response", id: answer.id }}
          reactions={answer.reactions}
          mine={answer.my_reactions}
          readOnly={!canAct}
          onChanged={onChanged}
          toggleRef={pressReaction}
        />
        <div className="actions actions--start">
          <ThreadToggle
            count={answer.reply_count ?? 0}
            expanded={threadOpen}
            controls={threadId}
            onToggle={() => setThreadOpen((o) => !o)}
            zeroLabel={t("thread.none")}
          />
          {canAct && (
            <>
              <Button variant="secondary" size="sm" aria-keyshortcuts="r" onClick={openReply}>
                {t("console.reply")}
                <Context text={t("console.reply_context", { name })} /> <Kbd>r</Kbd>
              </Button>
              <Button variant="secondary" size="sm" aria-keyshortcuts="p" onClick={() => setProbing("public")}>
                {t("console.probe_public")}
                <Context text={t("console.probe_context", { name })} /> <Kbd>p</Kbd>
              </Button>
              <Button variant="secondary" size="sm" aria-keyshortcuts="Shift+P" onClick={() => setProbing("private")}>
                {t("console.probe_private")}
                <Context text={t("console.probe_context", { name })} /> <Kbd>P</Kbd>
              </Button>
            </>
          )}
          <Button
            variant="ghost"
            size="sm"
            aria-keyshortcuts="n"
            aria-expanded={notesOpen}
            aria-controls={notesOpen ? notesId : undefined}
            onClick={() => (notesOpen ? setNotesOpen(false) : openNote())}
          >
            {t("console.notes")}
            <Context text={t("console.notes_context", { name })} /> <Kbd>n</Kbd>
          </Button>
        </div>
        {notesOpen && (
          <NotesPanel id={notesId} target={{ kind: "response", id: answer.id }} author={name} noteRef={noteRef} />
        )}
        {threadOpen && (
          <Thread
            id={threadId}
            answer={answer}
            viewer="staff"
            canWrite={canAct}
            canReact={canAct}
            onChanged={onChanged}
            replyRef={replyRef}
            poll={5_000}
          />
        )}
      </article>
      {probing && (
        <ProbeDialog
          answer={answer}
          organizationId={organizationId}
          initialVisibility={probing}
          onClose={() => setProbing(null)}
          onChanged={onChanged}
        />
      )}
    </li>
  );
}
