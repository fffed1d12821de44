import { formatDateTimeIn, toDateTimeLocal } from "../../lib/format";
import type { Lang, MessageKey, Translate } from "../../lib/i18n";
import type { CloseKind, Prompt, PromptKind, PromptStatus, PromptWrite, ReleaseKind, Visibility } from "./api";

/* Delays: the API speaks minutes, people speak days and hours. */

export type DelayUnit = "days" | "hours";
export const DAY = 24 * 60;

export function splitDelay(minutes: number): { value: string; unit: DelayUnit } {
  if (minutes > 0 && minutes % DAY === 0) return { value: String(minutes / DAY), unit: "days" };
  if (minutes === 0) return { value: "0", unit: "days" };
  return { value: String(Math.round((minutes / 60) * 100) / 100), unit: "hours" };
}

export function toMinutes(value: string, unit: DelayUnit): number {
  const number = Number(value.replace(",", "."));
  if (!Number.isFinite(number) || number < 0) return 0;
  return Math.round(number * (unit === "days" ? DAY : 60));
}

/** "3 days", "2 hours", "1 day and 6 hours", "45 minutes". */
export function formatDelay(t: Translate, minutes: number): string {
  const days = Math.floor(minutes / DAY);
  const hours = Math.floor((minutes % DAY) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(t("duration.days", { count: days }));
  if (hours) parts.push(t("duration.hours", { count: hours }));
  if (rest) parts.push(t("duration.minutes", { count: rest }));
  if (parts.length === 0) return t("duration.minutes", { count: 0 });
  return parts.length === 1
    ? (parts[0] as string)
    : `${parts.slice(0, -1).join(", ")} ${t("common.and")} ${parts.at(-1)}`;
}

/* Readable rule sentences */

type RuleLike = {
  kind: ReleaseKind;
  at?: string | null;
  delay_minutes?: number;
  prompt_id?: string | null;
  option_keys?: readonly string[];
  released_at?: string | null;
};
type CloseLike = { kind: CloseKind; at?: string | null; delay_minutes?: number; closed_at?: string | null };
type PromptRef = Pick<Prompt, "id" | "title" | "poll">;
type Context = { t: Translate; lang: Lang; timeZone: string; prompts: readonly PromptRef[] };

function quoted(t: Translate, text: string): string {
  return t("common.quoted", { text });
}

/** "Opens 3 days after joining", "Opens when “The new lamp” is answered with “Too expensive”". */
export function releaseSentence(rule: RuleLike, { t, lang, timeZone, prompts }: Context): string {
  const delay = rule.delay_minutes ?? 0;
  const source = prompts.find((p) => p.id === rule.prompt_id);
  const title = source ? quoted(t, source.title) : t("rule.unknown_prompt");
  switch (rule.kind) {
    case "manual":
      return rule.released_at
        ? t("rule.release.manual_done", { date: formatDateTimeIn(rule.released_at, lang, timeZone) })
        : t("rule.release.manual");
    case "at":
      return rule.at
        ? t("rule.release.at", { date: formatDateTimeIn(rule.at, lang, timeZone), zone: timeZone })
        : t("rule.release.at_unset");
    case "after_join":
      return delay === 0 ? t("rule.release.on_join") : t("rule.release.after_join", { delay: formatDelay(t, delay) });
    case "after_prompt":
      return delay === 0
        ? t("rule.release.after_prompt", { title })
        : t("rule.release.after_prompt_delay", { title, delay: formatDelay(t, delay) });
    case "when_answer": {
      const labels = (rule.option_keys ?? []).map((key) => {
        const option = source?.poll?.options.find((o) => o.key === key);
        return quoted(t, option?.label ?? key);
      });
      const options = labels.join(` ${t("common.or")} `) || t("rule.no_option");
      return delay === 0
        ? t("rule.release.when_answer", { title, options })
        : t("rule.release.when_answer_delay", { title, options, delay: formatDelay(t, delay) });
    }
  }
}

export function closeSentence(rule: CloseLike, { t, lang, timeZone }: Omit<Context, "prompts">): string {
  if (rule.closed_at) return t("rule.close.closed", { date: formatDateTimeIn(rule.closed_at, lang, timeZone) });
  switch (rule.kind) {
    case "never":
      return t("rule.close.never");
    case "manual":
      return t("rule.close.manual");
    case "at":
      return rule.at
        ? t("rule.close.at", { date: formatDateTimeIn(rule.at, lang, timeZone), zone: timeZone })
        : t("rule.close.at_unset");
    case "after_open":
      return t("rule.close.after_open", { delay: formatDelay(t, rule.delay_minutes ?? 0) });
  }
}

/* Labels */

const KIND: Record<PromptKind, MessageKey> = {
  discussion: "prompt.kind.discussion",
  poll: "prompt.kind.poll",
  rating: "prompt.kind.rating",
  diary: "prompt.kind.diary",
};
const STATUS: Record<PromptStatus, MessageKey> = { draft: "prompt.status.draft", published: "prompt.status.published" };
const VISIBILITY: Record<Visibility, MessageKey> = {
  open: "prompt.visibility.open",
  uninfluenced: "prompt.visibility.uninfluenced",
  private: "prompt.visibility.private",
};
const VISIBILITY_HINT: Record<Visibility, MessageKey> = {
  open: "prompt.visibility.open_hint",
  uninfluenced: "prompt.visibility.uninfluenced_hint",
  private: "prompt.visibility.private_hint",
};
const RELEASE: Record<ReleaseKind, MessageKey> = {
  manual: "rule.kind.manual",
  at: "rule.kind.at",
  after_join: "rule.kind.after_join",
  after_prompt: "rule.kind.after_prompt",
  when_answer: "rule.kind.when_answer",
};
const CLOSE: Record<CloseKind, MessageKey> = {
  never: "rule.close_kind.never",
  at: "rule.close_kind.at",
  after_open: "rule.close_kind.after_open",
  manual: "rule.close_kind.manual",
};

export const kindLabel = (t: Translate, kind: PromptKind) => t(KIND[kind]);
export const promptStatusLabel = (t: Translate, status: PromptStatus) => t(STATUS[status]);
export const visibilityLabel = (t: Translate, visibility: Visibility) => t(VISIBILITY[visibility]);
export const visibilityHint = (t: Translate, visibility: Visibility) => t(VISIBILITY_HINT[visibility]);
export const releaseKindLabel = (t: Translate, kind: ReleaseKind) => t(RELEASE[kind]);
export const closeKindLabel = (t: Translate, kind: CloseKind) => t(CLOSE[kind]);

/* The prompt form's state, and its conversion to and from the API's shapes */

export type OptionDraft = { uid: string; key?: string; label: string };

export type PromptDraft = {
  kind: PromptKind;
  title: string;
  body: string;
  required: boolean;
  status: PromptStatus;
  visibility: Visibility;
  segmentIds: string[];
  poll: { multiple: boolean; allowOther: boolean; options: OptionDraft[] };
  rating: { min: number; max: number; minLabel: string; maxLabel: string; comment: boolean };
  diary: { entries: number; period: "day" | "week" };
  release: { kind: ReleaseKind; at: string; delay: string; unit: DelayUnit; promptId: string; optionKeys: string[] };
  close: { kind: CloseKind; at: string; delay: string; unit: DelayUnit };
};

let uidCounter = 0;
export const newUid = () => `opt-${++uidCounter}`;

export function emptyDraft(): PromptDraft {
  return {
    kind: "discussion",
    title: "",
    body: "",
    required: false,
    status: "draft",
    visibility: "uninfluenced",
    segmentIds: [],
    poll: {
      multiple: false,
      allowOther: false,
      options: [
        { uid: newUid(), label: "" },
        { uid: newUid(), label: "" },
      ],
    },
    rating: { min: 1, max: 5, minLabel: "", maxLabel: "", comment: true },
    diary: { entries: 5, period: "day" },
    release: { kind: "manual", at: "", delay: "0", unit: "days", promptId: "", optionKeys: [] },
    close: { kind: "never", at: "", delay: "0", unit: "days" },
  };
}

export function draftFromPrompt(prompt: Prompt): PromptDraft {
  const base = emptyDraft();
  const releaseDelay = splitDelay(prompt.release.delay_minutes);
  const closeDelay = splitDelay(prompt.close.delay_minutes);
  return {
    kind: prompt.kind,
    title: prompt.title,
    body: prompt.body,
    required: prompt.required,
    status: prompt.status,
    visibility: prompt.visibility,
    segmentIds: [...prompt.segment_ids],
    poll: prompt.poll
      ? {
          multiple: prompt.poll.multiple ?? false,
          allowOther: prompt.poll.allow_other ?? false,
          options: prompt.poll.options.map((o) => ({
            uid: newUid(),
            label: o.label,
            ...(o.key ? { key: o.key } : {}),
          })),
        }
      : base.poll,
    rating: prompt.rating
      ? {
          min: prompt.rating.min ?? 1,
          max: prompt.rating.max ?? 5,
          minLabel: prompt.rating.min_label ?? "",
          maxLabel: prompt.rating.max_label ?? "",
          comment: prompt.rating.comment ?? true,
        }
      : base.rating,
    diary: prompt.diary ? { entries: prompt.diary.entries ?? 5, period: prompt.diary.period ?? "day" } : base.diary,
    release: {
      kind: prompt.release.kind,
      at: toDateTimeLocal(prompt.release.at_local),
      delay: releaseDelay.value,
      unit: releaseDelay.unit,
      promptId: prompt.release.prompt_id ?? "",
      optionKeys: [...prompt.release.option_keys],
    },
    close: {
      kind: prompt.close.kind,
      at: toDateTimeLocal(prompt.close.at_local),
      delay: closeDelay.value,
      unit: closeDelay.unit,
    },
  };
}

/** Which inputs the release rule builder shows for a rule kind. */
export function releaseFields(kind: ReleaseKind) {
  return {
    at: kind === "at",
    delay: kind === "after_join" || kind === "after_prompt" || kind === "when_answer",
    prompt: kind === "after_prompt" || kind === "when_answer",
    options: kind === "when_answer",
  };
}

export function closeFields(kind: CloseKind) {
  return { at: kind === "at", delay: kind === "after_open" };
}

export function draftToWrite(draft: PromptDraft, key?: string): PromptWrite {
  const release = releaseFields(draft.release.kind);
  const close = closeFields(draft.close.kind);
  return {
    ...(key ? { key } : {}),
    kind: draft.kind,
    title: draft.title.trim(),
    body: draft.body,
    required: draft.required,
    status: draft.status,
    visibility: draft.visibility,
    segment_ids: draft.segmentIds,
    poll:
      draft.kind === "poll"
        ? {
            multiple: draft.poll.multiple,
            allow_other: draft.poll.allowOther,
            options: draft.poll.options.map((o) => ({ label: o.label.trim(), ...(o.key ? { key: o.key } : {}) })),
          }
        : null,
    rating:
      draft.kind === "rating"
        ? {
            min: draft.rating.min,
            max: draft.rating.max,
            min_label: draft.rating.minLabel.trim() || null,
            max_label: draft.rating.maxLabel.trim() || null,
            comment: draft.rating.comment,
          }
        : null,
    diary: draft.kind === "diary" ? { entries: draft.diary.entries, period: draft.diary.period } : null,
    release: {
      kind: draft.release.kind,
      // The datetime-local value as-is: without an offset, the API reads it in the space's zone.
      at: release.at && draft.release.at ? draft.release.at : null,
      delay_minutes: release.delay ? toMinutes(draft.release.delay, draft.release.unit) : 0,
      prompt_id: release.prompt && draft.release.promptId ? draft.release.promptId : null,
      option_keys: release.options ? draft.release.optionKeys : [],
    },
    close: {
      kind: draft.close.kind,
      at: close.at && draft.close.at ? draft.close.at : null,
      delay_minutes: close.delay ? toMinutes(draft.close.delay, draft.close.unit) : 0,
    },
  };
}
