import type { PromptKind, Response, ResponsePage, ResponseWrite, TimelineItem } from "./api";

/* The participant's home: what to do now, what comes next, what is done. */

export type TimelineGroups = { todo: TimelineItem[]; next: TimelineItem[]; done: TimelineItem[] };

/** When an item comes next: its opening date, or a diary's next entry; null when not known. */
function comesAt(item: TimelineItem): string | null {
  return item.state === "open" ? (item.next_entry_at ?? null) : item.opens_at;
}

/**
 * Open prompts are to do, unless a diary's entry for the period is written (its next entry
 * comes next). Coming next lists only what surely comes: a known date, or a step the
 * participant knows (the prompt it follows), soonest first, steps last. Answered and closed
 * ones are done.
 */
export function groupTimeline(items: readonly TimelineItem[]): TimelineGroups {
  const groups: TimelineGroups = { todo: [], next: [], done: [] };
  for (const item of items) {
    if (item.state === "open") (item.next_entry_at ? groups.next : groups.todo).push(item);
    else if (item.state === "upcoming") {
      if (item.opens_at || item.follows_title) groups.next.push(item);
    } else if (item.state === "answered" || item.state === "closed") groups.done.push(item);
  }
  groups.next.sort((a, b) => {
    const [at, bt] = [comesAt(a), comesAt(b)];
    if (at === bt) return 0;
    if (at === null) return 1;
    if (bt === null) return -1;
    return Date.parse(at) - Date.parse(bt);
  });
  return groups;
}

/**
 * What to offer once a prompt is answered: the next prompt to do after it in the script
 * (else the first before it), or null when nothing else is to do now.
 */
export function nextToDo(items: readonly TimelineItem[], currentId: string): TimelineItem | null {
  const todo = groupTimeline(items).todo.filter((item) => item.prompt_id !== currentId);
  const index = items.findIndex((item) => item.prompt_id === currentId);
  const after = todo.find((item) => items.indexOf(item) > index);
  return after ?? todo[0] ?? null;
}

export function progressPercent(answered: number, expected: number): number {
  if (expected <= 0) return 0;
  return Math.min(100, Math.round((answered / expected) * 100));
}

/* What the answer form needs to know about a prompt. */

export type PollShape = { multiple: boolean; allowOther: boolean; options: { key: string; label: string }[] };
export type RatingShape = {
  min: number;
  max: number;
  minLabel: string | null;
  maxLabel: string | null;
  comment: boolean;
};
export type PromptShape = {
  kind: PromptKind;
  poll: PollShape | null;
  rating: RatingShape | null;
  /** False when the shape was guessed (participants cannot read a prompt's settings yet). */
  exact: boolean;
};

/** The shape the timeline gives (poll options, rating scale); null when it does not carry them. */
export function shapeFromItem(item: TimelineItem): PromptShape | null {
  if (item.kind === "poll" && item.poll) {
    return {
      kind: item.kind,
      poll: {
        multiple: item.poll.multiple ?? false,
        allowOther: item.poll.allow_other ?? false,
        options: item.poll.options.filter((o): o is { key: string; label: string } => !!o.key),
      },
      rating: null,
      exact: true,
    };
  }
  if (item.kind === "rating" && item.rating) {
    return {
      kind: item.kind,
      poll: null,
      rating: {
        min: item.rating.min ?? 1,
        max: item.rating.max ?? 5,
        minLabel: item.rating.min_label ?? null,
        maxLabel: item.rating.max_label ?? null,
        comment: item.rating.comment ?? true,
      },
      exact: true,
    };
  }
  if (item.kind === "discussion" || item.kind === "diary")
    return { kind: item.kind, poll: null, rating: null, exact: true };
  return null;
}

/**
 * Fallback when the timeline item lacks the settings: participants cannot read a prompt's poll options or rating scale (GET /prompts/{id}
 * is staff-only), so the shape is inferred from what the answers endpoint returns: the
 * aggregate's options (when visibility lets the participant see it) and the answers read.
 */
export function shapeFromResponses(
  kind: PromptKind,
  page: ResponsePage | undefined,
  responses: readonly Response[],
): PromptShape {
  const aggregate = page?.aggregate ?? null;
  if (kind === "poll") {
    const options = (aggregate?.options ?? []).map((o) => ({ key: o.key, label: o.label }));
    return {
      kind,
      poll: {
        multiple: responses.some((r) => r.choices.length > 1),
        allowOther: (aggregate?.other ?? 0) > 0 || responses.some((r) => !!r.other_text),
        options,
      },
      rating: null,
      exact: false,
    };
  }
  if (kind === "rating") {
    const seen = [
      ...Object.keys(aggregate?.rating_counts ?? {}).map(Number),
      ...responses.map((r) => r.rating).filter((n): n is number => n !== null),
    ];
    return {
      kind,
      poll: null,
      rating: {
        min: seen.includes(0) ? 0 : 1,
        max: Math.max(5, ...seen),
        minLabel: null,
        maxLabel: null,
        comment: true,
      },
      exact: false,
    };
  }
  return { kind, poll: null, rating: null, exact: true };
}

/* The answer form's values, and the body the API expects for each kind. */

export const OTHER = "__other__";

export type AnswerValues = { text: string; choices: string[]; otherText: string; rating: number | null };

export const emptyAnswer = (): AnswerValues => ({ text: "", choices: [], otherText: "", rating: null });

export function answerFromResponse(response: Response): AnswerValues {
  return {
    text: response.text ?? "",
    choices: [...response.choices, ...(response.other_text ? [OTHER] : [])],
    otherText: response.other_text ?? "",
    rating: response.rating,
  };
}

export function answerBody(kind: PromptKind, values: AnswerValues): ResponseWrite {
  switch (kind) {
    case "discussion":
    case "diary":
      return { text: values.text };
    case "poll": {
      const other = values.choices.includes(OTHER) && values.otherText.trim() ? values.otherText.trim() : null;
      return { choices: values.choices.filter((c) => c !== OTHER), ...(other ? { other_text: other } : {}) };
    }
    case "rating":
      return { rating: values.rating, ...(values.text.trim() ? { text: values.text } : {}) };
  }
}

/** Whether the form can be sent: some text, a choice (an "other" needs its text), a rating. */
export function answerComplete(kind: PromptKind, values: AnswerValues): boolean {
  switch (kind) {
    case "discussion":
    case "diary":
      return values.text.trim().length > 0;
    case "poll": {
      const picked = values.choices.filter((c) => c !== OTHER).length;
      const other = values.choices.includes(OTHER);
      return (picked > 0 || other) && (!other || values.otherText.trim().length > 0);
    }
    case "rating":
      return values.rating !== null;
  }
}

export function isEditable(response: Response, now: number = Date.now()): boolean {
  return response.mine && response.editable_until !== null && Date.parse(response.editable_until) > now;
}
