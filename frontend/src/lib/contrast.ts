import type { CSSProperties } from "react";

/** WCAG 2 colour contrast for "#rrggbb" colours, and the space theme built on it. */

export const BLACK = "#000000";
export const WHITE = "#ffffff";
const DEFAULT_ACCENT = "#3446b0";
/** The darkest light surface accent-coloured text sits on (tokens: --color-accent-soft). */
export const DARKEST_SURFACE = "#eceffb";

export function parseHex(hex: string): [number, number, number] | null {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) return null;
  const value = parseInt(match[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: readonly [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(hex: string): number {
  const rgb = parseHex(hex) ?? [0, 0, 0];
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on the background (always ≥ 4.5:1). */
export function textOn(background: string): typeof BLACK | typeof WHITE {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
}

/** Mixes a colour with black by `amount` (0 → unchanged, 1 → black). */
function darken(hex: string, amount: number): string {
  const rgb = parseHex(hex) ?? [0, 0, 0];
  return toHex([rgb[0] * (1 - amount), rgb[1] * (1 - amount), rgb[2] * (1 - amount)]);
}

/**
 * The accent itself when it reads on `surface` (≥ `min`:1), otherwise the lightest darker
 * shade of it that does: links and buttons keep the brand's hue and stay legible.
 */
export function readableAccent(accent: string, surface: string = DARKEST_SURFACE, min = 4.5): string {
  const base = parseHex(accent) ? accent.toLowerCase() : DEFAULT_ACCENT;
  if (contrastRatio(base, surface) >= min) return base;
  for (let step = 1; step <= 20; step += 1) {
    const shade = darken(base, step * 0.05);
    if (contrastRatio(shade, surface) >= min) return shade;
  }
  return BLACK;
}

/**
 * CSS variables that theme a participant page with a space's accent colour:
 * `--space-accent` (raw, for the banner) with `--space-accent-text` on it, and the
 * design-token accent overridden by a shade legible on every light surface. That shade
 * is ≥ 4.5:1 against near-white, so white text on it (and on its darker hover) is too.
 */
export function spaceTheme(accent: string): CSSProperties {
  const raw = parseHex(accent) ? accent.toLowerCase() : DEFAULT_ACCENT;
  const readable = readableAccent(raw);
  return {
    "--space-accent": raw,
    "--space-accent-text": textOn(raw),
    "--color-accent": readable,
    "--color-accent-hover": darken(readable, 0.2),
    "--color-accent-contrast": WHITE,
  } as CSSProperties;
}
