import { describe, expect, it } from "vitest";

import { areaOf, isStudioFile, STUDIO_PREFIXES } from "../src/i18n/areas";
import en from "../src/i18n/en.json";

// The split of the catalogs (src/i18n/areas.ts) is safe only if no screen outside the studio
// can ask for a studio word: these checks read the sources as text.
const KEYS = Object.keys(en);
// Every source file as text, by its path from frontend/ ("src/…").
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(["../src/**/*.ts", "../src/**/*.tsx", "!../src/**/*.d.ts"], {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  ).map(([path, source]) => [path.replace(/^\.\.\//, ""), source]),
);
const FILES = Object.keys(SOURCES).filter((path) => path !== "src/i18n/areas.ts");
const text = (path: string) => SOURCES[path] ?? "";

/** ``a/b/c.ts`` + ``../d`` → ``a/d``. */
function join(folder: string, target: string): string {
  const parts = folder.split("/");
  for (const part of target.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Keys a file names: whole keys in quotes, and key prefixes starting a template literal. */
function wordsUsed(source: string): string[] {
  const used: string[] = [];
  for (const [, literal] of source.matchAll(/["']([a-z_]+[._][\w.]*)["']/g)) {
    if (literal && KEYS.includes(literal)) used.push(literal);
  }
  for (const [, prefix] of source.matchAll(/`([a-z_]+[._][\w.]*)\$\{/g)) {
    if (prefix) used.push(...KEYS.filter((key) => key.startsWith(prefix)));
  }
  return used;
}

function staticImports(path: string): string[] {
  const found: string[] = [];
  for (const [, target] of text(path).matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gms)) {
    if (!target) continue;
    const base = join(path.slice(0, path.lastIndexOf("/")), target);
    const candidates = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`, base];
    const hit = candidates.find((candidate) => FILES.includes(candidate));
    if (hit) found.push(hit);
  }
  return found;
}

describe("the catalogs' parts", () => {
  it("put some words in the studio part, and every studio prefix names real keys", () => {
    for (const prefix of STUDIO_PREFIXES) {
      expect(
        KEYS.some((key) => areaOf(key) === "studio" && key.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it("leave no studio word to a file outside the studio", () => {
    const leaks = FILES.filter((path) => !isStudioFile(path)).flatMap((path) =>
      wordsUsed(text(path))
        .filter((key) => areaOf(key) === "studio")
        .map((key) => `${path}: ${key}`),
    );
    expect(leaks).toEqual([]);
  });

  it("keep the studio's files to the studio: nothing else imports them but lazily", () => {
    const crossings = FILES.filter((path) => !isStudioFile(path)).flatMap((path) =>
      staticImports(path)
        .filter(isStudioFile)
        .map((target) => `${path} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
