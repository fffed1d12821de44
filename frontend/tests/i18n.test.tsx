import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { LanguageSwitcher } from "../src/components/LanguageSwitcher";
import { browserLanguage, I18nProvider, initialLanguage, STORAGE_KEY, useI18n } from "../src/lib/i18n";

function Heading() {
  const { t } = useI18n();
  return <h1>{t("home.title")}</h1>;
}

describe("language", () => {
  it("defaults to French only when the browser prefers French", () => {
    expect(browserLanguage(["fr-CA", "en"])).toBe("fr");
    expect(browserLanguage(["fr"])).toBe("fr");
    expect(browserLanguage(["en-GB", "fr"])).toBe("en");
    expect(browserLanguage(["de-DE"])).toBe("en");
  });

  it("prefers the stored choice over the browser language", () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["fr-FR"]);
    expect(initialLanguage()).toBe("fr");
    localStorage.setItem(STORAGE_KEY, "en");
    expect(initialLanguage()).toBe("en");
  });

  it("switches the text, <html lang> and remembers the choice", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["en-US"]);
    render(
      <I18nProvider>
        <LanguageSwitcher />
        <Heading />
      </I18nProvider>,
    );
    expect(screen.getByRole("heading", { name: "Your organizations" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Language" }), "Français");

    expect(screen.getByRole("heading", { name: "Vos organisations" })).toBeInTheDocument();
    expect(screen.getByRole("combobox", { name: "Langue" })).toHaveValue("fr");
    expect(document.documentElement.lang).toBe("fr");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("fr");
  });
});
