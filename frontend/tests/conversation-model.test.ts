import { describe, expect, it } from "vitest";

import type { Answer } from "../src/features/conversations/api";
import { expectedParticipants, isOpenNow, notAnswered, shortcutFor } from "../src/features/conversations/model";
import { LAMP, prompt } from "./fixtures";

const NOW = Date.parse("2025-06-10T00:00:00Z");
const person = (id: string, joined = "2025-06-01T00:00:00Z", segments: string[] = []) => ({
  id,
  user_id: id,
  pseudonym: id,
  email: null,
  segment_ids: segments,
  status: "active" as const,
  joined_at: joined,
  last_seen_at: null,
  created_at: joined,
  updated_at: joined,
});
const answerOf = (participant: string, choices: string[] = []) => ({ participant_id: participant, choices }) as unknown as Answer;

describe("who has not answered yet", () => {
  it("counts only the participants a branching prompt is meant for", () => {
    const branch = prompt({
      id: "why",
      title: "Why?",
      release: { kind: "when_answer", at: null, at_local: null, delay_minutes: 0, prompt_id: LAMP.id, option_keys: ["expensive"], released_at: null },
    });
    const people = [person("a"), person("b"), person("c")];
    const answers = new Map([[LAMP.id, [answerOf("a", ["expensive"]), answerOf("b", ["love"])]], ["why", []]]);
    const expected = expectedParticipants(branch, people, answers, NOW);
    expect(expected.map((p) => p.id)).toEqual(["a"]);
    expect(notAnswered(expected, []).map((p) => p.id)).toEqual(["a"]);
  });

  it("respects target segments and days after joining", () => {
    const later = prompt({
      id: "d3",
      title: "Day 3",
      segment_ids: ["vip"],
      release: { kind: "after_join", at: null, at_local: null, delay_minutes: 3 * 24 * 60, prompt_id: null, option_keys: [], released_at: null },
    });
    const people = [person("old", "2025-06-01T00:00:00Z", ["vip"]), person("new", "2025-06-09T00:00:00Z", ["vip"]), person("other")];
    expect(expectedParticipants(later, people, new Map(), NOW).map((p) => p.id)).toEqual(["old"]);
  });

  it("treats unreleased, closed and draft prompts as not open", () => {
    expect(isOpenNow(prompt({ id: "m", title: "m" }), NOW)).toBe(false);
    expect(isOpenNow(prompt({ id: "d", title: "d", status: "draft" }), NOW)).toBe(false);
    const released = { kind: "manual" as const, at: null, at_local: null, delay_minutes: 0, prompt_id: null, option_keys: [], released_at: "2025-06-01T00:00:00Z" };
    expect(isOpenNow(prompt({ id: "r", title: "r", release: released }), NOW)).toBe(true);
    expect(
      isOpenNow(prompt({ id: "c", title: "c", release: released, close: { kind: "manual", at: null, at_local: null, delay_minutes: 0, closed_at: "2025-06-02T00:00:00Z" } }), NOW),
    ).toBe(false);
  });
});

describe("console shortcuts", () => {
  const press = (key: string, target: EventTarget | null, mods = {}) =>
    shortcutFor({ key, target, ctrlKey: false, metaKey: false, altKey: false, ...mods });

  it("maps keys on an item and ignores fields and modifiers", () => {
    const item = document.createElement("article");
    expect(press("r", item)).toBe("reply");
    expect(press("P", item)).toBe("probe_private");
    expect(press("3", item)).toBe("react_3");
    expect(press("r", item, { ctrlKey: true })).toBeNull();
    expect(press("r", document.createElement("textarea"))).toBeNull();
    expect(press("r", document.createElement("input"))).toBeNull();
    expect(press("r", document.createElement("select"))).toBeNull();
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    expect(press("n", checkbox)).toBe("note");
  });
});
