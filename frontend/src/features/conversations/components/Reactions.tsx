import { useEffect, useState } from "react";

import { useToast } from "../../../components/Toast";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { REACTION_KINDS, useToggleReaction, type ReactionKind, type ReactionTarget } from "../api";

export const REACTION_EMOJI: Record<ReactionKind, string> = {
  thumbs_up: "👍",
  heart: "❤️",
  idea: "💡",
  thinking: "🤔",
};

const REACTION_LABEL: Record<ReactionKind, MessageKey> = {
  thumbs_up: "reaction.thumbs_up",
  heart: "reaction.heart",
  idea: "reaction.idea",
  thinking: "reaction.thinking",
};

export function reactionLabel(t: (key: MessageKey) => string, kind: ReactionKind): string {
  return t(REACTION_LABEL[kind]);
}

type Counts = Record<ReactionKind, { count: number; active: boolean }>;

function countsFrom(reactions: Record<string, number> | undefined, mine: readonly string[] | undefined): Counts {
  const result = {} as Counts;
  for (const kind of REACTION_KINDS) {
    result[kind] = { count: reactions?.[kind] ?? 0, active: (mine ?? []).includes(kind) };
  }
  return result;
}

/**
 * The four reactions of an answer or a reply: toggle buttons with their counts
 * (aria-pressed), updated at once and corrected by the server's answer; read-only
 * counts when the viewer cannot react.
 */
export function ReactionBar({
  target,
  reactions,
  mine,
  readOnly = false,
  onChanged,
  buttonRefs,
}: {
  target: ReactionTarget;
  reactions: Record<string, number> | undefined;
  mine: readonly string[] | undefined;
  readOnly?: boolean;
  onChanged?: () => void;
  /** Lets the console press a reaction from a keyboard shortcut. */
  buttonRefs?: { current: (HTMLButtonElement | null)[] };
}) {
  const { t } = useI18n();
  const toast = useToast();
  const toggle = useToggleReaction(target);
  const serverKey = JSON.stringify([reactions ?? {}, mine ?? []]);
  const [counts, setCounts] = useState<Counts>(() => countsFrom(reactions, mine));

  // Fresh data from the server (polling) replaces the local state: only when its value
  // changes (serverKey), not on every new array a refetch hands down.
  useEffect(() => {
    setCounts(countsFrom(reactions, mine));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- serverKey is the value of reactions and mine
  }, [serverKey]);

  if (readOnly) {
    const shown = REACTION_KINDS.filter((kind) => counts[kind].count > 0);
    if (shown.length === 0) return null;
    return (
      <ul className="reactions reactions--static" aria-label={t("reaction.group")}>
        {shown.map((kind) => (
          <li key={kind} className="reaction reaction--static">
            <span aria-hidden="true">
              {REACTION_EMOJI[kind]} {counts[kind].count}
            </span>
            <span className="visually-hidden">
              {t("reaction.name", { label: reactionLabel(t, kind), count: counts[kind].count })}
            </span>
          </li>
        ))}
      </ul>
    );
  }

  function press(kind: ReactionKind) {
    const before = counts[kind];
    const guess = { active: !before.active, count: Math.max(0, before.count + (before.active ? -1 : 1)) };
    setCounts((c) => ({ ...c, [kind]: guess }));
    toggle.mutate(kind, {
      onSuccess: (state) => {
        setCounts((c) => ({ ...c, [state.kind]: { active: state.active, count: state.count } }));
        onChanged?.();
      },
      onError: (error) => {
        setCounts((c) => ({ ...c, [kind]: before }));
        toast.show(problemMessage(error, t), "error");
      },
    });
  }

  return (
    <div className="reactions" role="group" aria-label={t("reaction.group")}>
      {REACTION_KINDS.map((kind, index) => (
        <button
          key={kind}
          ref={(el) => {
            if (buttonRefs) buttonRefs.current[index] = el;
          }}
          type="button"
          className="reaction"
          aria-pressed={counts[kind].active}
          aria-label={t("reaction.name", { label: reactionLabel(t, kind), count: counts[kind].count })}
          onClick={() => press(kind)}
        >
          <span aria-hidden="true">{REACTION_EMOJI[kind]}</span>
          <span className="reaction__count">{counts[kind].count}</span>
        </button>
      ))}
    </div>
  );
}
