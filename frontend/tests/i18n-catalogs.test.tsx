import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

type I18nModule = typeof import("../src/lib/i18n");

/** A fresh copy of the i18n module: no catalog fetched yet (the test setup loads both in its own). */
async function freshI18n(): Promise<I18nModule> {
  vi.resetModules();
  return import("../src/lib/i18n");
}

describe("language catalogs", () => {
  beforeEach(() => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["fr-FR"]);
  });

  it("are fetched when first needed, one language at a time", async () => {
    const { I18nProvider, translator, useI18n } = await freshI18n();
    expect(() => translator("fr")).toThrow(/not loaded/);

    function Probe() {
      const { ready, t } = useI18n();
      return <p data-testid="probe">{ready ? t("app.loading") : "not ready"}</p>;
    }
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );

    expect(screen.getByTestId("probe")).toHaveTextContent("not ready");
    expect(await screen.findByText("Chargement…")).toBeInTheDocument();
    expect(translator("fr")("app.loading")).toBe("Chargement…");
    expect(() => translator("en")).toThrow(/not loaded/);
  });

  it("keep the text in the old language until the new catalog is there", async () => {
    const { I18nProvider, loadCatalog, useI18n } = await freshI18n();
    await loadCatalog("fr");
    const shown: string[] = [];

    function Probe() {
      const { lang, setLang, t } = useI18n();
      shown.push(`${lang}: ${t("app.loading")}`);
      return (
        <button type="button" onClick={() => setLang("en")}>
          {lang}: {t("app.loading")}
        </button>
      );
    }
    render(
      <I18nProvider>
        <Probe />
      </I18nProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "fr: Chargement…" }));

    expect(await screen.findByRole("button", { name: "en: Loading…" })).toBeInTheDocument();
    // Never a blank label on the way.
    expect(new Set(shown)).toEqual(new Set(["fr: Chargement…", "en: Loading…"]));
  });
});

describe("the studio's words", () => {
  it("are not in the base part a participant's screens load, and come with loadStudioWords", async () => {
    const { loadCatalog, loadStudioWords, translator } = await freshI18n();
    await loadCatalog("fr");
    const fr = translator("fr");
    expect(fr("app.loading")).toBe("Chargement…");
    expect(fr("emails.heading")).toBeUndefined();
    await loadStudioWords();
    expect(fr("emails.heading")).toBe("E-mails envoyés");
    await loadCatalog("en"); // a language shown afterwards comes with both parts
    expect(translator("en")("emails.heading")).toBe("Sent e-mails");
  });
});
