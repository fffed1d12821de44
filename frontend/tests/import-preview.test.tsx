import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { countRows, type ImportPreview } from "../src/features/invitations/api";
import { ImportPreviewTable } from "../src/features/invitations/components/ImportPreviewTable";
import { I18nProvider } from "../src/lib/i18n";

const PREVIEW: ImportPreview = {
  id: "imp-1",
  total: 5,
  valid: 2,
  committed: false,
  counts: { ok: 2, duplicate: 1, already_participant: 0, already_invited: 1, invalid: 1 },
  rows: [
    {
      line: 2,
      email: "anna@example.com",
      display_name: "Anna",
      segments: ["VIP", "Paris"],
      status: "ok",
      reason: null,
    },
    {
      line: 3,
      email: "not-an-email",
      display_name: null,
      segments: [],
      status: "invalid",
      reason: "Not an e-mail address.",
    },
    {
      line: 4,
      email: "anna@example.com",
      display_name: null,
      segments: [],
      status: "duplicate",
      reason: "Same address on line 2.",
    },
    {
      line: 5,
      email: "claire@example.com",
      display_name: null,
      segments: [],
      status: "already_invited",
      reason: "Invitation pending.",
    },
    { line: 6, email: "bob@example.com", display_name: "Bob", segments: ["Paris"], status: "ok", reason: null },
  ],
};

describe("CSV import preview", () => {
  it("counts every status, zero included", () => {
    expect(countRows(PREVIEW.rows)).toEqual({
      ok: 2,
      duplicate: 1,
      already_participant: 0,
      already_invited: 1,
      invalid: 1,
    });
    expect(countRows([])).toEqual({ ok: 0, duplicate: 0, already_participant: 0, already_invited: 0, invalid: 0 });
  });

  it("shows every row with its line, segments and reason, and highlights the rejected ones", () => {
    render(
      <I18nProvider lang="en">
        <ImportPreviewTable preview={PREVIEW} />
      </I18nProvider>,
    );
    const table = screen.getByRole("table", { name: "Import preview: 5 rows" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toHaveTextContent("VIP, Paris");
    expect(rows[0]).not.toHaveClass("row--error");
    expect(rows[1]).toHaveClass("row--error");
    expect(rows[1]).toHaveTextContent("Invalid");
    expect(rows[1]).toHaveTextContent("Not an e-mail address.");
    expect(rows[2]).toHaveClass("row--error");
    expect(rows[4]).not.toHaveClass("row--error");

    const counts = screen.getByRole("list", { name: "Rows per status" });
    expect(within(counts).getByText("Ready").closest("li")).toHaveTextContent("2 Ready");
    expect(within(counts).getByText("Already a participant").closest("li")).toHaveTextContent(
      "0 Already a participant",
    );
    expect(within(counts).getByText("Duplicate in file").closest("li")).toHaveTextContent("1 Duplicate in file");
  });
});
