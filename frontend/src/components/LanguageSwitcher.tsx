import { LANGUAGES, useI18n, type Lang } from "../lib/i18n";
import { SelectField } from "./Field";

export function LanguageSwitcher({ className }: { className?: string }) {
  const { lang, setLang, t } = useI18n();
  return (
    <SelectField
      label={t("language.label")}
      value={lang}
      className={["field--inline", className].filter(Boolean).join(" ")}
      onChange={(event) => setLang(event.target.value as Lang)}
    >
      {LANGUAGES.map((language) => (
        <option key={language.code} value={language.code} lang={language.code}>
          {language.name}
        </option>
      ))}
    </SelectField>
  );
}
