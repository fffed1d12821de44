import { useId, useState } from "react";

import { useI18n } from "../../../lib/i18n";
import { useResponseProbes, type Answer } from "../api";
import { pendingProbes } from "../model";
import { ProbeNotice } from "./ProbeNotice";
import { ReactionBar } from "./Reactions";
import { Thread, ThreadToggle } from "./Thread";

/** Probes the brand asked me about my answer and that still wait for my answer. */
function MyProbes({ answer, canWrite, onChanged }: { answer: Answer; canWrite: boolean; onChanged?: () => void }) {
  const probes = useResponseProbes(answer.id);
  const pending = pendingProbes(probes.data ?? []);
  if (pending.length === 0) return null;
  return (
    <div className="stack stack--sm">
      {pending.map((probe) => (
        <ProbeNotice key={probe.id} probe={probe} responseId={answer.id} canAnswer={canWrite} onChanged={onChanged} />
      ))}
    </div>
  );
}

/**
 * What a participant does under an answer: react, answer the brand's probes (on their
 * own answer), open the thread and reply. `onChanged` refreshes the answers list
 * (reply counts, reactions) after a change.
 */
export function Conversation({
  answer,
  canWrite,
  canReact,
  onChanged,
}: {
  answer: Answer;
  canWrite: boolean;
  canReact: boolean;
  onChanged?: () => void;
}) {
  const { t } = useI18n();
  const threadId = useId();
  const [open, setOpen] = useState(false);
  return (
    <div className="conversation stack stack--sm">
      <ReactionBar
        target={{ kind: "response", id: answer.id }}
        reactions={answer.reactions}
        mine={answer.my_reactions}
        readOnly={!canReact}
        onChanged={onChanged}
      />
      {answer.mine && <MyProbes answer={answer} canWrite={canWrite} onChanged={onChanged} />}
      <div className="conversation__bar">
        <ThreadToggle
          count={answer.reply_count ?? 0}
          expanded={open}
          controls={threadId}
          onToggle={() => setOpen((o) => !o)}
          zeroLabel={canWrite ? t("thread.reply_first") : t("thread.none")}
        />
        {answer.brand_replied && <span className="badge badge--brand">{t("thread.brand_replied")}</span>}
      </div>
      {open && (
        <Thread
          id={threadId}
          answer={answer}
          viewer="participant"
          canWrite={canWrite}
          canReact={canReact}
          onChanged={onChanged}
        />
      )}
    </div>
  );
}
