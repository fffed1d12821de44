import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

import { useToast } from "../../../components/Toast";
import { useI18n, type MessageKey } from "../../../lib/i18n";
import { problemMessage } from "../../../lib/problem";
import { REACTION_KINDS, useToggleReaction, type ReactionKind, type ReactionTarget } from "../api";
import { PlusIcon, ReactionIcon } from "./ReactionIcon";

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

/** The reactions someone used (or mine), in their fixed order: the others wait in the picker. */
export function usedReactions(counts: Counts): ReactionKind[] {
  return REACTION_KINDS.filter((kind) => counts[kind].count > 0 || counts[kind].active);
}

/**
 * The reactions of an answer or a reply: the ones used, as toggle buttons with their
 * counts (aria-pressed; mine drawn solid), and a "+" opening a small picker of the
 * others. Updated at once and corrected by the server's answer; read-only counts when
 * the viewer cannot react.
 */
export function ReactionBar({
  target,
  reactions,
  mine,
  readOnly = false,
  onChanged,
  toggleRef,
}: {
  target: ReactionTarget;
  reactions: Record<string, number> | undefined;
  mine: readonly string[] | undefined;
  readOnly?: boolean;
  onChanged?: () => void;
  /** Lets the console press a reaction from a keyboard shortcut. */
  toggleRef?: { current: ((kind: ReactionKind) => void) | null };
}) {
  const { t } = useI18n();
  const toast = useToast();
  const toggle = useToggleReaction(target);
  const serverKey = JSON.stringify([reactions ?? {}, mine ?? []]);
  const [counts, setCounts] = useState<Counts>(() => countsFrom(reactions, mine));
  const [picking, setPicking] = useState(false);
  const [focusKind, setFocusKind] = useState<ReactionKind | "add" | null>(null);
  const pickerId = useId();
  const addRef = useRef<HTMLButtonElement>(null);
  const pickerRef = useRef<HTMLDivElement>(null);
  const buttons = useRef<Partial<Record<ReactionKind, HTMLButtonElement | null>>>({});

  // Fresh data from the server (polling) replaces the local state: only when its value
  // changes (serverKey), not on every new array a refetch hands down.
  useEffect(() => {
    setCounts(countsFrom(reactions, mine));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- serverKey is the value of reactions and mine
  }, [serverKey]);

  useEffect(() => {
    if (picking) pickerRef.current?.querySelector("button")?.focus();
  }, [picking]);

  useEffect(() => {
    if (focusKind === null) return;
    (focusKind === "add" ? addRef.current : (buttons.current[focusKind] ?? addRef.current))?.focus();
    setFocusKind(null);
  }, [focusKind, counts]);

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

  useEffect(() => {
    if (!toggleRef) return;
    toggleRef.current = press;
    return () => {
      toggleRef.current = null;
    };
  });

  const shown = usedReactions(counts);
  const label = (kind: ReactionKind) =>
    t("reaction.name", { label: reactionLabel(t, kind), count: counts[kind].count });

  if (readOnly) {
    const counted = REACTION_KINDS.filter((kind) => counts[kind].count > 0);
    if (counted.length === 0) return null;
    return (
      <ul className="reactions reactions--static" aria-label={t("reaction.group")}>
        {counted.map((kind) => (
          <li key={kind} className="reaction reaction--static">
            <ReactionIcon kind={kind} />
            <span className="reaction__count" aria-hidden="true">
              {counts[kind].count}
            </span>
            <span className="visually-hidden">{label(kind)}</span>
          </li>
        ))}
      </ul>
    );
  }

  const available = REACTION_KINDS.filter((kind) => !shown.includes(kind));

  function pick(kind: ReactionKind) {
    setPicking(false);
    press(kind);
    setFocusKind(kind);
  }

  function onPickerKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = Array.from(pickerRef.current?.querySelectorAll("button") ?? []);
    const index = all.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setPicking(false);
      setFocusKind("add");
    } else if (step !== undefined) {
      event.preventDefault();
      all[(index + step + all.length) % all.length]?.focus();
    }
  }

  return (
    <div className="reactions" role="group" aria-label={t("reaction.group")}>
      {shown.map((kind) => (
        <button
          key={kind}
          ref={(el) => {
            buttons.current[kind] = el;
          }}
          type="button"
          className="reaction"
          aria-pressed={counts[kind].active}
          aria-label={label(kind)}
          onClick={() => press(kind)}
        >
          <ReactionIcon kind={kind} />
          <span className="reaction__count">{counts[kind].count}</span>
        </button>
      ))}
      {available.length > 0 && (
        <span className="reaction-add">
          <button
            ref={addRef}
            type="button"
            className="reaction reaction--add"
            aria-label={t("reaction.add")}
            title={t("reaction.add")}
            aria-expanded={picking}
            aria-controls={picking ? pickerId : undefined}
            onClick={() => setPicking((p) => !p)}
          >
            <PlusIcon />
          </button>
          {picking && (
            <div
              id={pickerId}
              ref={pickerRef}
              className="reaction-picker"
              role="group"
              aria-label={t("reaction.pick")}
              onKeyDown={onPickerKeyDown}
              onBlur={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setPicking(false);
              }}
            >
              {available.map((kind) => (
                <button
                  key={kind}
                  type="button"
                  className="reaction reaction--option"
                  aria-label={reactionLabel(t, kind)}
                  title={reactionLabel(t, kind)}
                  onClick={() => pick(kind)}
                >
                  <ReactionIcon kind={kind} />
                </button>
              ))}
            </div>
          )}
        </span>
      )}
    </div>
  );
}
