import { describe, expect, it } from "vitest";

import { contrastRatio, DARKEST_SURFACE, parseHex, readableAccent, spaceTheme, textOn } from "../src/lib/contrast";

describe("contrast helper", () => {
  it("computes WCAG ratios", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 1);
  });

  it("puts black text on light accents and white text on dark ones", () => {
    expect(textOn("#f5d547")).toBe("#000000");
    expect(textOn("#ffffff")).toBe("#000000");
    expect(textOn("#3344aa")).toBe("#ffffff");
    expect(textOn("#000000")).toBe("#ffffff");
  });

  it("always leaves at least 4.5:1 between the banner and its text", () => {
    for (const accent of ["#f5d547", "#00ff00", "#777777", "#808080", "#ff0000", "#0000ff", "#3344aa"]) {
      expect(contrastRatio(accent, textOn(accent))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("darkens a light accent until it reads as text, and keeps a dark one", () => {
    expect(readableAccent("#3344aa")).toBe("#3344aa");
    for (const accent of ["#f5d547", "#ffffff", "#00ff00", "#87ceeb"]) {
      const shade = readableAccent(accent);
      expect(contrastRatio(shade, DARKEST_SURFACE)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(shade, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("themes with white text on the readable accent and falls back on bad input", () => {
    const theme = spaceTheme("#F5D547") as Record<string, string>;
    expect(theme["--space-accent"]).toBe("#f5d547");
    expect(theme["--space-accent-text"]).toBe("#000000");
    expect(contrastRatio(theme["--color-accent"] ?? "", theme["--color-accent-contrast"] ?? "")).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(parseHex("nope")).toBeNull();
    expect((spaceTheme("nope") as Record<string, string>)["--space-accent"]).toBe("#3446b0");
  });
});
