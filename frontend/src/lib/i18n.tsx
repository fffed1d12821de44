import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import type { Area } from "../i18n/areas";
import type en from "../i18n/en.json";

export type Lang = "en" | "fr";
export type MessageKey = keyof typeof en;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;
type Catalog = Record<MessageKey, string>;

/**
 * Each language's catalog is a chunk of its own, fetched when that language is first
 * shown: a visitor downloads one language, not both. It comes in two parts (see
 * src/i18n/areas.ts): the base, which every screen needs, and the studio's words, fetched
 * only once a studio screen is shown (`loadStudioWords`). Every language must define every
 * English key (checked by the compiler, and both ways by tests/words.test.ts).
 */
const loaders: Record<Lang, Record<Area, () => Promise<Record<string, string>>>> = {
  en: {
    base: () => import("../i18n/en.json?area=base").then((module) => module.default),
    studio: () => import("../i18n/en.json?area=studio").then((module) => module.default),
  },
  fr: {
    base: () => import("../i18n/fr.json?area=base").then((module) => module.default),
    studio: () => import("../i18n/fr.json?area=studio").then((module) => module.default),
  },
};
const catalogs: Partial<Record<Lang, Catalog>> = {};
const loading: Partial<Record<Lang, Promise<Catalog>>> = {};
const wanted = new Set<Area>(["base"]);
const loadedParts: Record<Lang, Set<Area>> = { en: new Set(), fr: new Set() };

async function fetchParts(lang: Lang): Promise<Catalog> {
  const areas = [...wanted].filter((area) => !loadedParts[lang].has(area));
  const parts = await Promise.all(areas.map((area) => loaders[lang][area]()));
  // One object per language, completed in place: translators already handed out see the
  // studio's words as soon as they arrive.
  const catalog = (catalogs[lang] ??= {} as Catalog);
  areas.forEach((area, index) => {
    Object.assign(catalog, parts[index]);
    loadedParts[lang].add(area);
  });
  return catalog;
}

/** Fetches a language's catalog once (again after a failure); `translator` can then use it. */
export function loadCatalog(lang: Lang): Promise<Catalog> {
  const known = catalogs[lang];
  if (known && [...wanted].every((area) => loadedParts[lang].has(area))) return Promise.resolve(known);
  loading[lang] ??= fetchParts(lang).finally(() => {
    delete loading[lang];
  });
  return loading[lang];
}

/** The studio's words too, in every language already shown (a studio screen awaits this). */
export function loadStudioWords(): Promise<unknown> {
  wanted.add("studio");
  const shown = (Object.keys(catalogs) as Lang[]).filter((lang) => catalogs[lang]);
  return Promise.all(shown.map((lang) => loadCatalog(lang)));
}

export const LANGUAGES: readonly { code: Lang; name: string }[] = [
  { code: "en", name: "English" },
  { code: "fr", name: "Français" },
];

export const STORAGE_KEY = "causerie.lang";

function isLang(value: unknown): value is Lang {
  return value === "en" || value === "fr";
}

/** The browser's language: French if it starts with "fr", English otherwise. */
export function browserLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): Lang {
  const first = languages[0] ?? navigator.language ?? "";
  return first.toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function initialLanguage(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy modes); fall back to the browser.
  }
  return browserLanguage();
}

/** The translate function of a language whose catalog is loaded (`loadCatalog`). */
export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  if (!catalog) throw new Error(`the "${lang}" catalog is not loaded (loadCatalog)`);
  // Plural forms follow the language's CLDR rules (the browser's ICU data, Intl.PluralRules):
  // `key` is the "other" form and `key_one`, `key_few`, `key_many`… the language's others,
  // chosen by the `count` variable. In French 0 and 1 are singular ("0 entrée", "1 entrée").
  const plural = new Intl.PluralRules(lang);
  return (key, vars) => {
    let template = catalog[key];
    if (typeof vars?.count === "number") {
      const form = plural.select(vars.count);
      const variant = `${key}_${form}`;
      if (form !== "other" && variant in catalog) template = catalog[variant as MessageKey];
    }
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
  };
}

/** `ready` is false until the language's catalog has arrived; `t` gives "" until then. */
type I18nValue = { lang: Lang; setLang: (lang: Lang) => void; t: Translate; ready: boolean };

const untranslated: Translate = () => "";

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLanguage());
  // Bumped when a catalog arrives, so the text is rendered again with it.
  const [, setLoaded] = useState(0);
  const ready = catalogs[lang] !== undefined;

  useEffect(() => {
    document.documentElement.lang = lang;
    if (ready) return;
    let current = true;
    let retry: number | undefined;
    const load = (delayMs: number): void => {
      loadCatalog(lang).then(
        () => {
          if (current) setLoaded((n) => n + 1);
        },
        () => {
          // Offline for a moment: try again, less and less often.
          if (current) retry = window.setTimeout(() => load(Math.min(delayMs * 2, 30_000)), delayMs);
        },
      );
    };
    load(1_000);
    return () => {
      current = false;
      window.clearTimeout(retry);
    };
  }, [lang, ready]);

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
    // The text changes once the new language's catalog is here (it stays as it is if that fails).
    if (catalogs[next]) setLangState(next);
    else
      loadCatalog(next).then(
        () => setLangState(next),
        () => undefined,
      );
  }, []);

  const value = useMemo(
    () => ({ lang, setLang, t: ready ? translator(lang) : untranslated, ready }),
    [lang, setLang, ready],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (value === null) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}
