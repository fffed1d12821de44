import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { getAccessToken } from "../src/lib/session";
import { json, problem, stubApi } from "./api";
import { renderApp } from "./render";

describe("password reset", () => {
  it("offers a reset from the sign-in form", async () => {
    stubApi({});
    const { history } = renderApp("/login");
    await userEvent.click(await screen.findByRole("link", { name: "Forgot your password?" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Reset your password" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/reset-password");
  });

  it("asks for a link and answers the same for any address", async () => {
    const sent: unknown[] = [];
    stubApi({
      "POST /api/v1/auth/password-reset": async (request) => {
        sent.push(await request.json());
        return json({ detail: "If this address has an account, a link is on its way." }, 202);
      },
    });
    renderApp("/reset-password", "fr");
    await userEvent.type(await screen.findByLabelText("E-mail"), " ines@example.com ");
    await userEvent.click(screen.getByRole("button", { name: "Envoyez-moi un lien" }));
    expect(await screen.findByText(/^Si ines@example\.com a un compte/)).toBeInTheDocument();
    expect(sent).toEqual([{ email: "ines@example.com", language: "fr" }]);
  });

  it("sets the new password from the link, then sends the person to sign in", async () => {
    const confirmed: unknown[] = [];
    stubApi({
      "POST /api/v1/auth/password-reset/confirm": async (request) => {
        confirmed.push(await request.json());
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/reset-password#token=reset-abc");
    expect(await screen.findByRole("heading", { level: 1, name: "Choose a new password" })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "a brand new passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Save the new password" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Password changed" })).toBeInTheDocument();
    expect(confirmed).toEqual([{ token: "reset-abc", new_password: "a brand new passphrase" }]);
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
    expect(getAccessToken()).toBeNull();
  });

  it("does not send two different passwords", async () => {
    const fetchMock = stubApi({});
    renderApp("/reset-password#token=reset-abc");
    await userEvent.type(await screen.findByLabelText("New password"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "another passphrase");
    fireEvent.submit(screen.getByRole("button", { name: "Save the new password" }).closest("form")!);
    expect(await screen.findByText("The two passwords differ.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("explains an expired or used link and offers a new one", async () => {
    stubApi({ "POST /api/v1/auth/password-reset/confirm": () => problem(410, "auth.link_expired") });
    renderApp("/reset-password#token=old");
    await userEvent.type(await screen.findByLabelText("New password"), "a brand new passphrase");
    await userEvent.type(screen.getByLabelText("Repeat the new password"), "a brand new passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Save the new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This link has expired or was already used.");
    expect(screen.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute("href", "/reset-password");
  });
});
