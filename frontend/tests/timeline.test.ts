import { describe, expect, it } from "vitest";

import type { TimelineItem } from "../src/features/answers/api";
import { groupTimeline, nextToDo, progressPercent } from "../src/features/answers/model";

function item(
  id: string,
  state: TimelineItem["state"],
  opens_at: string | null = null,
  extra: Partial<TimelineItem> = {},
): TimelineItem {
  return {
    prompt_id: id,
    key: id,
    title: id,
    kind: "discussion",
    required: true,
    visibility: "open",
    body_html: null,
    image_url: null,
    poll: null,
    rating: null,
    diary: null,
    state,
    opens_at,
    closes_at: null,
    entries_done: 0,
    entries_expected: 1,
    follows_title: null,
    next_entry_at: null,
    ...extra,
  };
}

describe("participant timeline grouping", () => {
  it("puts open prompts in To do, upcoming in Coming next (soonest first), answered and closed in Done", () => {
    const groups = groupTimeline([
      item("a", "answered"),
      item("b", "open"),
      item("c", "upcoming", null, { follows_title: "b" }),
      item("d", "upcoming", "2025-06-10T08:00:00Z"),
      item("e", "closed"),
      item("f", "upcoming", "2025-06-05T08:00:00Z"),
      item("g", "hidden"),
    ]);
    expect(groups.todo.map((i) => i.prompt_id)).toEqual(["b"]);
    expect(groups.next.map((i) => i.prompt_id)).toEqual(["f", "d", "c"]);
    expect(groups.done.map((i) => i.prompt_id)).toEqual(["a", "e"]);
  });

  it("lists under Coming next only what surely comes: a date or a known step", () => {
    const groups = groupTimeline([
      item("maybe", "upcoming", null),
      item("step", "upcoming", null, { follows_title: "Welcome" }),
      item("dated", "upcoming", "2025-06-05T08:00:00Z"),
    ]);
    expect(groups.next.map((i) => i.prompt_id)).toEqual(["dated", "step"]);
  });

  it("moves a diary whose entry of the day is written to Coming next, at its next entry", () => {
    const groups = groupTimeline([
      item("diary", "open", "2025-06-01T08:00:00Z", { kind: "diary", next_entry_at: "2025-06-03T08:00:00Z" }),
      item("soon", "upcoming", "2025-06-02T08:00:00Z"),
      item("talk", "open"),
    ]);
    expect(groups.todo.map((i) => i.prompt_id)).toEqual(["talk"]);
    expect(groups.next.map((i) => i.prompt_id)).toEqual(["soon", "diary"]);
  });

  it("offers the next prompt to do after the one answered, else the first one left", () => {
    const items = [
      item("a", "open"),
      item("b", "answered"),
      item("c", "open", null, { kind: "diary", next_entry_at: "2025-06-03T08:00:00Z" }),
      item("d", "open"),
    ];
    expect(nextToDo(items, "b")?.prompt_id).toBe("d");
    expect(nextToDo(items, "d")?.prompt_id).toBe("a");
    expect(nextToDo([item("a", "answered"), item("b", "upcoming", "2025-06-05T08:00:00Z")], "a")).toBeNull();
  });

  it("computes the progress without dividing by zero", () => {
    expect(progressPercent(1, 4)).toBe(25);
    expect(progressPercent(0, 0)).toBe(0);
    expect(progressPercent(5, 4)).toBe(100);
  });
});

describe("answer form shape from the timeline", () => {
  it("takes a poll's options and a rating's scale from the timeline item", async () => {
    const { shapeFromItem } = await import("../src/features/answers/model");
    const poll = {
      ...item("p", "open"),
      kind: "poll" as const,
      poll: {
        multiple: true,
        allow_other: false,
        options: [
          { key: "a", label: "A" },
          { key: "b", label: "B" },
        ],
      },
    };
    expect(shapeFromItem(poll)?.poll).toEqual({
      multiple: true,
      allowOther: false,
      options: [
        { key: "a", label: "A" },
        { key: "b", label: "B" },
      ],
    });
    const rating = {
      ...item("r", "open"),
      kind: "rating" as const,
      rating: { min: 0, max: 10, min_label: "No", max_label: "Yes", comment: false },
    };
    expect(shapeFromItem(rating)?.rating).toEqual({ min: 0, max: 10, minLabel: "No", maxLabel: "Yes", comment: false });
  });
});
