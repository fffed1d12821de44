import { describe, expect, it } from "vitest";

import { avatarColors, initials } from "../src/lib/avatar";
import { contrastRatio } from "../src/lib/contrast";

const NAMES = ["Rose des vents", "Inès B.", "Jules", "Marc-Antoine", "Sophie L.", "Léa Martin", "Ω", "", "  x  "];

describe("avatar", () => {
  it("takes the first and last words' initials", () => {
    expect(initials("Rose des vents")).toBe("RV");
    expect(initials("Inès B.")).toBe("IB");
    expect(initials("Marc-Antoine")).toBe("MA");
    expect(initials("jules")).toBe("J");
    expect(initials("  ")).toBe("?");
  });

  it("gives a name the same colour every time, and different names different hues", () => {
    for (const name of NAMES) expect(avatarColors(name)).toEqual(avatarColors(name));
    const backgrounds = new Set(NAMES.slice(0, 6).map((name) => avatarColors(name).background));
    expect(backgrounds.size).toBeGreaterThan(3);
  });

  it("keeps the initials readable (WCAG AA, ≥ 4.5:1) on every hue", () => {
    const names = [...NAMES, ...Array.from({ length: 500 }, (_, i) => `Participant ${i}`)];
    for (const name of names) {
      const { background, color } = avatarColors(name);
      expect(background).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastRatio(background, color)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
