import { describe, expect, it } from "vitest";

import { emailCategoryLabel, emailStatusLabel } from "../src/features/emails/labels";
import { importReasonLabel } from "../src/features/invitations/components/labels";
import en from "../src/i18n/en.json";
import fr from "../src/i18n/fr.json";
import { translator, type MessageKey } from "../src/lib/i18n";

const t = { en: translator("en"), fr: translator("fr") };

describe("the catalogs", () => {
  it("hold the same keys in both languages", () => {
    const english = Object.keys(en).sort();
    const french = Object.keys(fr).sort();
    expect(french.filter((key) => !(key in en))).toEqual([]);
    expect(english.filter((key) => !(key in fr))).toEqual([]);
  });

  it("number the singular wherever it also stands for zero (French: “0 participant”)", () => {
    for (const [lang, catalog] of [
      ["en", en],
      ["fr", fr],
    ] as [string, Record<string, string>][]) {
      if (new Intl.PluralRules(lang).select(0) !== "one") continue;
      for (const [key, text] of Object.entries(catalog)) {
        const base = key.endsWith("_one") ? catalog[key.slice(0, -4)] : undefined;
        if (base?.includes("{count}")) expect(text, `${lang} ${key}`).toContain("{count}");
      }
    }
  });

  it("never leave a literal parenthesised plural such as “ligne(s)”", () => {
    for (const catalog of [en, fr] as Record<string, string>[]) {
      const offenders = Object.entries(catalog).filter(([, text]) => /\w\((s|es|x)\)/.test(text));
      expect(offenders).toEqual([]);
    }
  });
});

describe("distinct actions have distinct words", () => {
  it("in French, probing an answer is not nudging someone (“Relancer”)", () => {
    const probeWords = ["console.probe_public", "console.probe_private", "probe.dialog_title", "probe.submit"];
    for (const key of probeWords) expect((fr as Record<string, string>)[key], key).not.toMatch(/relanc/i);
    expect(fr["console.nudge"]).toMatch(/relanc/i);
  });
});

describe("plural forms follow each language's rules", () => {
  const key = "space.participant_count" as MessageKey;

  it("in English, 0 is plural and 1 singular", () => {
    expect(t.en(key, { count: 0 })).toBe("0 participants");
    expect(t.en(key, { count: 1 })).toBe("1 participant");
    expect(t.en(key, { count: 2 })).toBe("2 participants");
  });

  it("in French, 0 and 1 are singular", () => {
    expect(t.fr(key, { count: 0 })).toBe("0 participant");
    expect(t.fr(key, { count: 1 })).toBe("1 participant");
    expect(t.fr(key, { count: 2 })).toBe("2 participants");
  });
});

describe("values from the API are worded, never shown raw", () => {
  it("names e-mail categories and statuses", () => {
    expect(emailCategoryLabel(t.en, "prompt_opened")).toBe("New prompt open");
    expect(emailCategoryLabel(t.fr, "prompt_opened")).toBe("Nouvelle question ouverte");
    expect(emailStatusLabel(t.en, "kept")).toBe("Kept (no mail server)");
    expect(emailStatusLabel(t.fr, "kept")).toBe("Conservé (pas de serveur de messagerie)");
  });

  it("explains CSV import rows in the reader's language", () => {
    const row = { reason: "Unknown segment: VIP", reason_code: "unknown_segment" as const, reason_value: "VIP" };
    expect(importReasonLabel(t.fr, row)).toBe("Segment inconnu : VIP");
    expect(importReasonLabel(t.en, row)).toBe("Unknown segment: VIP");
    expect(importReasonLabel(t.fr, { reason: "Old preview", reason_code: null, reason_value: null })).toBe(
      "Old preview",
    );
  });
});
