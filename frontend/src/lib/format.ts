import type { Lang } from "./i18n";

const LOCALES: Record<Lang, string> = { en: "en-GB", fr: "fr-FR" };

export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium" }).format(date);
}

export function formatDateTime(value: string | null | undefined, lang: Lang): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A date-time shown in a given IANA time zone (a space's), e.g. "3 Jun 2025, 09:00". */
export function formatDateTimeIn(value: string | null | undefined, lang: Lang, timeZone: string): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  } catch {
    // An unknown zone name: fall back to the browser's zone rather than failing.
    return formatDateTime(value, lang);
  }
}

/** The "YYYY-MM-DDTHH:mm" a datetime-local input takes, from an ISO string already in the right zone. */
export function toDateTimeLocal(isoLocal: string | null | undefined): string {
  if (!isoLocal) return "";
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/.exec(isoLocal);
  return match?.[1] ?? "";
}
