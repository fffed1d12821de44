import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { TextForm } from "../src/features/conversations/components/TextForm";
import { renderWithProviders } from "./wrap";

function form(onSubmit: (text: string) => Promise<unknown>) {
  renderWithProviders(
    <TextForm label="Your reply" submitLabel="Reply" onSubmit={onSubmit} pending={false} error={null} />,
  );
  return screen.getByRole("textbox", { name: "Your reply" });
}

describe("Ctrl/⌘+Enter in a reply, probe or note", () => {
  it.each([
    ["Ctrl", "{Control>}{Enter}{/Control}"],
    ["⌘", "{Meta>}{Enter}{/Meta}"],
  ])("sends what was written with %s+Enter", async (_name, keys) => {
    const sent = vi.fn(() => Promise.resolve());
    const field = form(sent);
    await userEvent.type(field, "Merci pour ce retour");
    await userEvent.keyboard(keys);
    expect(sent).toHaveBeenCalledWith("Merci pour ce retour");
    expect(field).toHaveAttribute("aria-keyshortcuts", "Control+Enter Meta+Enter");
  });

  it("keeps Enter alone for a new line, and sends nothing empty", async () => {
    const sent = vi.fn(() => Promise.resolve());
    const field = form(sent);
    await userEvent.type(field, "Line one{Enter}line two");
    expect(field).toHaveValue("Line one\nline two");
    expect(sent).not.toHaveBeenCalled();
    await userEvent.clear(field);
    await userEvent.keyboard("{Control>}{Enter}{/Control}");
    expect(sent).not.toHaveBeenCalled();
  });
});
