import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { getAccessToken } from "../src/lib/session";
import { json, problem, studioRoutes, stubApi } from "./api";
import { renderApp } from "./render";

async function signIn(email: string, password: string) {
  await userEvent.type(await screen.findByLabelText("Email"), email);
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("login", () => {
  it("greets a participant arriving from a brand's space with the brand and the space", async () => {
    const spaceId = "0190c5e4-1b2a-7c3d-8e4f-5a6b7c8d9e0f";
    stubApi({
      [`GET /api/v1/spaces/${spaceId}/welcome`]: () =>
        json({
          title: "Club Lumière",
          organization_name: "Maison Lumière",
          accent_color: "#8b3a0e",
          logo_url: null,
          language: "fr",
        }),
    });
    renderApp(`/login?redirect=${encodeURIComponent(`/me/spaces/${spaceId}/prompts/p1`)}`, "fr");
    expect(await screen.findByRole("heading", { level: 1, name: "Connexion à Club Lumière" })).toBeInTheDocument();
    expect(
      screen.getByText("Maison Lumière vous attend dans Club Lumière : connectez-vous pour lire et répondre."),
    ).toBeInTheDocument();
    expect(screen.queryByText(/communautés/)).not.toBeInTheDocument();
  });

  it("keeps the plain greeting when the space is not a live one", async () => {
    const spaceId = "0190c5e4-1b2a-7c3d-8e4f-5a6b7c8d9e0f";
    stubApi({ [`GET /api/v1/spaces/${spaceId}/welcome`]: () => problem(404, "not_found") });
    renderApp(`/login?redirect=/me/spaces/${spaceId}`);
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in to Causerie" })).toBeInTheDocument();
    expect(
      screen.getByText("Welcome back: sign in to pick up the conversation where you left it."),
    ).toBeInTheDocument();
  });

  it("labels its fields in both languages", async () => {
    stubApi({});
    renderApp("/login", "fr");
    expect(await screen.findByLabelText("E-mail")).toHaveAttribute("type", "email");
    expect(screen.getByLabelText("Mot de passe")).toHaveAttribute("type", "password");
    expect(screen.getByRole("button", { name: "Se connecter" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Connexion à Causerie");
  });

  it("shows a readable alert when the credentials are wrong", async () => {
    const fetchMock = stubApi({
      "POST /api/v1/auth/login": () => problem(401, "auth.invalid_credentials"),
    });
    renderApp("/login");
    await signIn("olivia@example.com", "wrong");

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong e-mail or password.");
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(await request.json()).toEqual({ email: "olivia@example.com", password: "wrong" });
    expect(getAccessToken()).toBeNull();
  });

  it("tells how long to wait when rate limited", async () => {
    stubApi({
      "POST /api/v1/auth/login": () => problem(429, "auth.rate_limited", {}, { "Retry-After": "30" }),
    });
    renderApp("/login");
    await signIn("olivia@example.com", "again");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 30 seconds.");
  });

  it("keeps the token in memory and goes to the requested page", async () => {
    stubApi({
      ...studioRoutes,
      "POST /api/v1/auth/login": () => json({ access_token: "token-9", token_type: "bearer", expires_in: 900 }),
    });
    const { history } = renderApp("/login?redirect=%2Forganizations%2F00000000-0000-0000-0000-0000000000a1");
    await signIn("olivia@example.com", "correct horse");

    expect(await screen.findByRole("heading", { level: 1, name: "Acme" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/organizations/00000000-0000-0000-0000-0000000000a1");
    expect(getAccessToken()).toBe("token-9");
    expect(localStorage.length).toBe(0);
    await waitFor(() => expect(screen.getByRole("banner")).toHaveTextContent("Olivia Owner"));
  });
});
