import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { seriousViolations } from "./axe";
import { studioRoutes, stubApi } from "./api";
import { renderApp } from "./render";

describe("account menu", () => {
  it("opens from the keyboard, moves with the arrows, closes on Escape and gives focus back", async () => {
    stubApi(studioRoutes);
    const { history } = renderApp("/");
    const banner = await screen.findByRole("banner");
    const button = await within(banner).findByRole("button", { name: "Olivia Owner" });
    expect(button).toHaveAttribute("aria-haspopup", "menu");
    expect(button).toHaveAttribute("aria-expanded", "false");
    // Initials, decorative.
    expect(within(button).getByText("OO")).toHaveAttribute("aria-hidden", "true");

    button.focus();
    await userEvent.keyboard("{Enter}");
    const menu = screen.getByRole("menu");
    expect(button).toHaveAttribute("aria-expanded", "true");
    expect(menu).toHaveAccessibleName(/Olivia Owner/);
    const items = Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemradio"]'));
    expect(items[0]).toHaveFocus();
    expect(items[0]).toHaveTextContent("Profile");
    await userEvent.keyboard("{ArrowDown}");
    expect(items[1]).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}{ArrowUp}");
    expect(items[items.length - 1]).toHaveFocus();
    expect(items[items.length - 1]).toHaveTextContent("Sign out");
    expect(within(menu).getByRole("menuitemradio", { name: "English" })).toHaveAttribute("aria-checked", "true");
    expect(within(menu).getByRole("menuitemradio", { name: "Acme" })).toBeInTheDocument();
    expect(await seriousViolations(document.body)).toEqual([]);

    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(button).toHaveFocus();

    // ↑ opens on the last item; choosing French switches the language and closes the menu.
    await userEvent.keyboard("{ArrowUp}");
    expect(within(screen.getByRole("menu")).getByRole("menuitem", { name: "Sign out" })).toHaveFocus();
    await userEvent.keyboard("{ArrowUp}");
    expect(screen.getByRole("menuitemradio", { name: "Français" })).toHaveFocus();
    await userEvent.keyboard(" ");
    await waitFor(() => expect(document.documentElement).toHaveAttribute("lang", "fr"));
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(within(banner).getByRole("button", { name: "Olivia Owner" })).toHaveFocus();
    expect(history.location.pathname).toBe("/");
  });
});
