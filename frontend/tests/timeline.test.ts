import { describe, expect, it } from "vitest";

import type { TimelineItem } from "../src/features/answers/api";
import { groupTimeline, progressPercent } from "../src/features/answers/model";

function item(id: string, state: TimelineItem["state"], opens_at: string | null = null): TimelineItem {
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
  };
}

describe("participant timeline grouping", () => {
  it("puts open prompts in To do, upcoming in Coming next (soonest first), answered and closed in Done", () => {
    const groups = groupTimeline([
      item("a", "answered"),
      item("b", "open"),
      item("c", "upcoming", null),
      item("d", "upcoming", "2025-06-10T08:00:00Z"),
      item("e", "closed"),
      item("f", "upcoming", "2025-06-05T08:00:00Z"),
      item("g", "hidden"),
    ]);
    expect(groups.todo.map((i) => i.prompt_id)).toEqual(["b"]);
    expect(groups.next.map((i) => i.prompt_id)).toEqual(["f", "d", "c"]);
    expect(groups.done.map((i) => i.prompt_id)).toEqual(["a", "e"]);
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
