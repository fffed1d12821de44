import { describe, expect, it } from "vitest";

import {
  closeSentence,
  draftToWrite,
  emptyDraft,
  formatDelay,
  releaseSentence,
  splitDelay,
  toMinutes,
} from "../src/features/script/rules";
import { translator } from "../src/lib/i18n";
import { LAMP } from "./fixtures";

const en = translator("en");
const fr = translator("fr");
const ctx = { t: en, lang: "en" as const, timeZone: "Europe/Paris", prompts: [LAMP] };

describe("rule sentences", () => {
  it("says how long after joining a prompt opens", () => {
    expect(releaseSentence({ kind: "after_join", delay_minutes: 3 * 1440 }, ctx)).toBe("Opens 3 days after joining");
    expect(releaseSentence({ kind: "after_join", delay_minutes: 1440 }, ctx)).toBe("Opens 1 day after joining");
    expect(releaseSentence({ kind: "after_join", delay_minutes: 0 }, ctx)).toBe(
      "Opens as soon as the participant joins",
    );
  });

  it("names the poll and the answers a branch depends on", () => {
    expect(releaseSentence({ kind: "when_answer", prompt_id: LAMP.id, option_keys: ["expensive"] }, ctx)).toBe(
      "Opens when “The new lamp” is answered with “Too expensive”",
    );
    expect(
      releaseSentence(
        { kind: "when_answer", prompt_id: LAMP.id, option_keys: ["love", "expensive"], delay_minutes: 120 },
        ctx,
      ),
    ).toBe("Opens 2 hours after “The new lamp” is answered with “I love it” or “Too expensive”");
    expect(releaseSentence({ kind: "after_prompt", prompt_id: LAMP.id }, ctx)).toBe(
      "Opens when “The new lamp” is answered",
    );
  });

  it("shows dates in the space's time zone and names the zone", () => {
    expect(releaseSentence({ kind: "at", at: "2025-06-03T07:00:00Z" }, ctx)).toBe(
      "Opens on 3 Jun 2025, 09:00 (Europe/Paris)",
    );
    expect(closeSentence({ kind: "after_open", delay_minutes: 1440 + 360 }, ctx)).toBe(
      "Closes 1 day and 6 hours after opening",
    );
    expect(closeSentence({ kind: "never" }, ctx)).toBe("Never closes");
  });

  it("speaks French too", () => {
    expect(releaseSentence({ kind: "after_join", delay_minutes: 2880 }, { ...ctx, t: fr, lang: "fr" })).toBe(
      "S’ouvre 2 jours après l’arrivée",
    );
    expect(
      releaseSentence(
        { kind: "when_answer", prompt_id: LAMP.id, option_keys: ["expensive"] },
        { ...ctx, t: fr, lang: "fr" },
      ),
    ).toBe("S’ouvre quand la réponse à « The new lamp » est « Too expensive »");
  });

  it("tells a deleted source prompt", () => {
    expect(releaseSentence({ kind: "after_prompt", prompt_id: "gone" }, ctx)).toBe(
      "Opens when a deleted prompt is answered",
    );
  });
});

describe("delays", () => {
  it("converts days and hours to minutes and back", () => {
    expect(toMinutes("3", "days")).toBe(4320);
    expect(toMinutes("1,5", "hours")).toBe(90);
    expect(toMinutes("-2", "days")).toBe(0);
    expect(splitDelay(4320)).toEqual({ value: "3", unit: "days" });
    expect(splitDelay(90)).toEqual({ value: "1.5", unit: "hours" });
    expect(formatDelay(en, 45)).toBe("45 minutes");
  });
});

describe("prompt form to API", () => {
  it("sends the datetime-local value as-is and drops the fields the rule does not use", () => {
    const draft = emptyDraft();
    draft.title = "  Hello ";
    draft.release = {
      kind: "at",
      at: "2025-06-03T09:00",
      delay: "3",
      unit: "days",
      promptId: "p-lamp",
      optionKeys: ["x"],
    };
    const body = draftToWrite(draft);
    expect(body.title).toBe("Hello");
    expect(body.release).toEqual({
      kind: "at",
      at: "2025-06-03T09:00",
      delay_minutes: 0,
      prompt_id: null,
      option_keys: [],
    });
    expect(body.poll).toBeNull();
  });

  it("sends a poll's options and a branch's option keys", () => {
    const draft = emptyDraft();
    draft.kind = "poll";
    draft.title = "Colour";
    draft.poll.options = [
      { uid: "a", key: "red", label: "Red " },
      { uid: "b", label: "Blue" },
    ];
    draft.release = {
      kind: "when_answer",
      at: "",
      delay: "2",
      unit: "hours",
      promptId: "p-lamp",
      optionKeys: ["expensive"],
    };
    const body = draftToWrite(draft, "colour");
    expect(body.key).toBe("colour");
    expect(body.poll?.options).toEqual([{ key: "red", label: "Red" }, { label: "Blue" }]);
    expect(body.release).toEqual({
      kind: "when_answer",
      at: null,
      delay_minutes: 120,
      prompt_id: "p-lamp",
      option_keys: ["expensive"],
    });
  });
});
