import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { isNew, LastVisitContext, NewMarker } from "../src/components/NewMarker";
import { lastVisitBefore } from "../src/features/participation/visits";
import { I18nProvider } from "../src/lib/i18n";

const VISIT = new Date("2026-12-01T10:00:00Z");

describe("new since my last visit", () => {
  it("marks what others wrote after my last visit, never my own, and nothing without a visit", () => {
    expect(isNew("2026-12-01T10:05:00Z", false, VISIT)).toBe(true);
    expect(isNew("2026-12-01T09:55:00Z", false, VISIT)).toBe(false);
    expect(isNew("2026-12-01T10:05:00Z", true, VISIT)).toBe(false);
    expect(isNew("2026-12-01T10:05:00Z", false, null)).toBe(false);
  });

  it("shows the marker in the reader's language inside the prompt page's context only", () => {
    render(
      <I18nProvider lang="fr">
        <LastVisitContext.Provider value={VISIT}>
          <NewMarker createdAt="2026-12-01T11:00:00Z" mine={false} />
        </LastVisitContext.Provider>
        <NewMarker createdAt="2026-12-01T11:00:00Z" mine={false} />
      </I18nProvider>,
    );
    expect(screen.getAllByText("Nouveau")).toHaveLength(1);
  });

  it("measures from the visit known when the page first read the space, not the one it records", () => {
    expect(lastVisitBefore("space-a", "2026-12-01T10:00:00Z")).toEqual(VISIT);
    expect(lastVisitBefore("space-a", "2026-12-02T08:00:00Z")).toEqual(VISIT);
    expect(lastVisitBefore("space-b", null)).toBeNull();
  });
});
