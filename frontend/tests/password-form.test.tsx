import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { safeNextPath } from "../src/features/auth/api";
import { json, ME, problem, stubApi } from "./api";
import { renderApp } from "./render";

const TOKEN = { access_token: "tok", token_type: "bearer", expires_in: 900 };

function stubAccount(hasPassword: boolean, onChange: (body: unknown) => Response) {
  return stubApi({
    "POST /api/v1/auth/refresh": () => json(TOKEN),
    "GET /api/v1/me": () => json({ ...ME, has_password: hasPassword }),
    "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread: 0 }),
    "POST /api/v1/me/password": async (request) => onChange(await request.json()),
  });
}

describe("password form", () => {
  it("changes the password with the current one", async () => {
    const bodies: unknown[] = [];
    stubAccount(true, (body) => {
      bodies.push(body);
      return new Response(null, { status: 204 });
    });
    renderApp("/me/account");
    expect(await screen.findByRole("heading", { level: 2, name: "Password" })).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "Password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old passphrase");
    await userEvent.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "a brand new passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("Your password is saved. Every other device was signed out.")).toBeInTheDocument();
    expect(bodies).toEqual([{ current_password: "old passphrase", new_password: "a brand new passphrase" }]);
  });

  it("lets an account without password set a first one", async () => {
    const bodies: unknown[] = [];
    stubAccount(false, (body) => {
      bodies.push(body);
      return new Response(null, { status: 204 });
    });
    renderApp("/me/account");
    expect(await screen.findByRole("heading", { level: 2, name: "Set a password" })).toBeInTheDocument();
    expect(screen.queryAllByLabelText("Current password")).toEqual([]);
    await userEvent.type(screen.getByLabelText("New password"), "a first passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "a first passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Set password" }));
    expect(await screen.findByText("Your password is saved. Every other device was signed out.")).toBeInTheDocument();
    expect(bodies).toEqual([{ new_password: "a first passphrase" }]);
  });

  it("says when the current password is wrong", async () => {
    stubAccount(true, () => problem(422, "auth.wrong_password"));
    renderApp("/me/account", "fr");
    const form = await screen.findByRole("form", { name: "Mot de passe" });
    await userEvent.type(within(form).getByLabelText("Mot de passe actuel"), "guess");
    await userEvent.type(screen.getByLabelText("Nouveau mot de passe"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Répétez le nouveau mot de passe"), "a brand new passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Changer le mot de passe" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Le mot de passe actuel est incorrect.");
  });
});

describe("sign-in link return path", () => {
  it("accepts only paths on this site", () => {
    expect(safeNextPath("/invitations/abc?step=join")).toBe("/invitations/abc?step=join");
    expect(safeNextPath("/")).toBe("/");
    for (const bad of [
      "//evil.example.com",
      "/\\evil.example.com",
      "https://evil.example.com",
      "evil",
      "/a//b",
      "/a\nb",
      "",
      null,
      "/" + "a".repeat(500),
    ]) {
      expect(safeNextPath(bad)).toBeNull();
    }
  });

  it("goes to the return path after signing in", async () => {
    stubApi({
      "POST /api/v1/auth/magic-link/consume": () => json(TOKEN),
      "GET /api/v1/me": () => json({ ...ME, has_password: false }),
      "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread: 0 }),
    });
    const { history } = renderApp("/sign-in/link#token=abc&next=%2Fme%2Faccount");
    expect(await screen.findByRole("heading", { level: 1, name: "My account" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/me/account");
  });

  it("ignores a return path off this site", async () => {
    stubApi({
      "POST /api/v1/auth/magic-link/consume": () => json(TOKEN),
      "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
      "GET /api/v1/me/spaces": () => json({ items: [], next_cursor: null }),
    });
    const { history } = renderApp("/sign-in/link#token=abc&next=%2F%2Fevil.example.com");
    expect(await screen.findByRole("heading", { level: 1, name: "My spaces" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/me/spaces");
  });
});
