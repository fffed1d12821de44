import { contrastRatio, WHITE } from "./contrast";

/** Initials and colours of a person's avatar, derived from their name alone. */

/** Up to two letters: the first word's initial and the last word's ("Rose des vents" → "RV"). */
export function initials(name: string): string {
  const words = name
    .split(/[\s\-_.]+/u)
    .map((word) => Array.from(word).find((char) => /\p{L}|\p{N}/u.test(char)))
    .filter((char): char is string => char !== undefined);
  if (words.length === 0) return "?";
  const first = words[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1] ?? "") : "";
  return (first + last).toLocaleUpperCase();
}

/** FNV-1a over the name's UTF-16 units: stable across sessions, browsers and languages. */
export function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return `#${[f(0), f(8), f(4)]
    .map((c) =>
      Math.round(c * 255)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

export type AvatarColors = { background: string; color: string };

/**
 * A background whose hue comes from the name's hash, made dark enough for white
 * initials to pass WCAG AA (≥ 4.5:1) whatever the hue: the same name always gets the
 * same colour.
 */
export function avatarColors(name: string): AvatarColors {
  const hue = nameHash(name.trim().toLocaleLowerCase()) % 360;
  for (let lightness = 42; lightness >= 10; lightness -= 2) {
    const background = hslToHex(hue, 60, lightness);
    if (contrastRatio(background, WHITE) >= 4.5) return { background, color: WHITE };
  }
  return { background: "#000000", color: WHITE };
}
