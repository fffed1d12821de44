import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import en from "../i18n/en.json";
import fr from "../i18n/fr.json";

export type Lang = "en" | "fr";
export type MessageKey = keyof typeof en;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Every language must define every English key (checked by the compiler). */
const catalogs: Record<Lang, Record<MessageKey, string>> = { en, fr };

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

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, vars) => {
    const pluralKey = `${key}_one`;
    const template = vars?.count === 1 && pluralKey in catalog ? catalog[pluralKey as MessageKey] : catalog[key];
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
  };
}

type I18nValue = { lang: Lang; setLang: (lang: Lang) => void; t: Translate };

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => forced ?? initialLanguage());

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);

  const value = useMemo(() => ({ lang, setLang, t: translator(lang) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (value === null) throw new Error("useI18n must be used inside <I18nProvider>");
  return value;
}
