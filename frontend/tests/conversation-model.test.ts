import { describe, expect, it } from "vitest";

import { isOpenNow, shortcutFor } from "../src/features/conversations/model";
import { prompt } from "./fixtures";

const NOW = Date.parse("2025-06-10T00:00:00Z");
describe("open prompts", () => {
  it("treats unreleased, closed and draft prompts as not open", () => {
    expect(isOpenNow(prompt({ id: "m", title: "m" }), NOW)).toBe(false);
    expect(isOpenNow(prompt({ id: "d", title: "d", status: "draft" }), NOW)).toBe(false);
    const released = {
      kind: "manual" as const,
      at: null,
      at_local: null,
      delay_minutes: 0,
      prompt_id: null,
      option_keys: [],
      released_at: "2025-06-01T00:00:00Z",
    };
    expect(isOpenNow(prompt({ id: "r", title: "r", release: released }), NOW)).toBe(true);
    expect(
      isOpenNow(
        prompt({
          id: "c",
          title: "c",
          release: released,
          close: { kind: "manual", at: null, at_local: null, delay_minutes: 0, closed_at: "2025-06-02T00:00:00Z" },
        }),
        NOW,
      ),
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
