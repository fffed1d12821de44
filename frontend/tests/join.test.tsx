import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { joinBody, validateJoin } from "../src/features/invitations/api";
import { getAccessToken } from "../src/lib/session";
import { json, ME, problem, stubApi } from "./api";
import { renderApp } from "./render";

const SPACE_ID = "00000000-0000-0000-0000-0000000000s1";
const INVITATION = {
  kind: "participant",
  email: "claire@example.com",
  organization_name: "Acme",
  role: null,
  space: {
    id: SPACE_ID,
    title: "Cercle Acme",
    description_html: "<p>Private circle</p>",
    welcome_html: "<p>Welcome <em>friends</em></p>",
    terms_html: "<p>Be kind.</p>",
    terms_version: 1,
    accent_color: "#f5d547",
    logo_url: null,
    language: "en",
  },
  expires_at: "2030-01-01T00:00:00Z",
  account_exists: false,
  personal_message: null,
};
const MY_SPACE = {
  space_id: SPACE_ID,
  participant_id: "p1",
  title: "Cercle Acme",
  description_html: "",
  welcome_html: "<p>Welcome</p>",
  accent_color: "#f5d547",
  logo_url: null,
  language: "en",
  space_status: "open",
  organization_name: "Acme",
  pseudonym: "Clairette",
  status: "active",
  email_notifications: "immediate",
  segments: ["VIP"],
  joined_at: "2025-01-01T00:00:00Z",
};
const NEEDS = { pseudonym: true, terms: true, password: true };
const EMPTY = { pseudonym: "", password: "", displayName: "", acceptTerms: false };

describe("join form validation", () => {
  it("requires a 2–40 character pseudonym and the terms", () => {
    expect(validateJoin(EMPTY, NEEDS)).toEqual({ pseudonym: "required", acceptTerms: "required" });
    expect(validateJoin({ ...EMPTY, pseudonym: " a ", acceptTerms: true }, NEEDS)).toEqual({ pseudonym: "too_short" });
    expect(validateJoin({ ...EMPTY, pseudonym: "x".repeat(41), acceptTerms: true }, NEEDS)).toEqual({
      pseudonym: "too_long",
    });
    expect(validateJoin({ ...EMPTY, pseudonym: "Clairette", acceptTerms: true }, NEEDS)).toEqual({});
  });

  it("accepts no password, but not a short one", () => {
    const ok = { ...EMPTY, pseudonym: "Clairette", acceptTerms: true };
    expect(validateJoin({ ...ok, password: "short" }, NEEDS)).toEqual({ password: "too_short" });
    expect(validateJoin({ ...ok, password: "long enough!" }, NEEDS)).toEqual({});
    expect(validateJoin({ ...ok, password: "short" }, { ...NEEDS, password: false })).toEqual({});
  });

  it("staff invitations need neither pseudonym nor terms", () => {
    const needs = { pseudonym: false, terms: false, password: true };
    expect(validateJoin(EMPTY, needs)).toEqual({});
    expect(joinBody(EMPTY, needs)).toEqual({ pseudonym: null, display_name: null, password: null, accept_terms: true });
  });
});

describe("invitation landing", () => {
  it.each([
    [410, "invitation.expired", "This invitation has expired", "Ask the brand that invited you to send it again."],
    [410, "invitation.used", "This invitation was already used", "sign in to continue"],
    [410, "invitation.revoked", "This invitation was withdrawn", "Contact them"],
    [404, "not_found", "This invitation link is not valid", "ask the brand for a new invitation"],
  ])("explains a %s %s", async (status, code, title, body) => {
    stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated"),
      "GET /api/v1/invitations/*": () => problem(status, code),
    });
    renderApp("/invitations/tok-1");
    expect(await screen.findByRole("heading", { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByText(new RegExp(body))).toBeInTheDocument();
  });

  it("validates, joins, keeps the token in memory and opens the participant's space", async () => {
    let sent: unknown = null;
    stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated"),
      "GET /api/v1/invitations/*": () => json(INVITATION),
      "POST /api/v1/invitations/*": async (request) => {
        sent = await request.json();
        return json({
          access_token: "tok-joined",
          token_type: "bearer",
          expires_in: 900,
          signed_in: true,
          space_id: SPACE_ID,
          organization_id: "org",
        });
      },
      "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
      "GET /api/v1/me/spaces/*/participants": () =>
        json({ items: [{ id: "p1", pseudonym: "Clairette", joined_at: "2025-01-01T00:00:00Z" }], next_cursor: null }),
      "GET /api/v1/me/spaces/*/timeline": () =>
        json({ at: "2025-01-01T00:00:00Z", time_zone: "Europe/Paris", items: [], answered: 0, expected: 0 }),
      "GET /api/v1/me/spaces/*": () => json(MY_SPACE),
    });
    renderApp("/invitations/tok-1");
    expect(
      await screen.findByRole("heading", { level: 1, name: "You are invited to Cercle Acme" }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Join the space" }));
    expect(screen.getByText("Choose a pseudonym.")).toBeInTheDocument();
    expect(screen.getByText("Accept the terms to join.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Pseudonym" })).toHaveFocus();
    expect(sent).toBeNull();

    await userEvent.type(screen.getByRole("textbox", { name: "Pseudonym" }), "Clairette");
    await userEvent.type(screen.getByLabelText("Password"), "short");
    await userEvent.click(screen.getByRole("checkbox", { name: "I accept the terms of participation" }));
    await userEvent.click(screen.getByRole("button", { name: "Join the space" }));
    expect(screen.getByText("A password has at least 10 characters.")).toBeInTheDocument();
    expect(sent).toBeNull();

    await userEvent.clear(screen.getByLabelText("Password"));
    await userEvent.click(screen.getByRole("button", { name: "Join the space" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Cercle Acme" })).toBeInTheDocument();
    expect(sent).toEqual({ pseudonym: "Clairette", display_name: null, password: null, accept_terms: true });
    expect(getAccessToken()).toBe("tok-joined");
    expect(await screen.findByRole("heading", { level: 2, name: "To do now" })).toBeInTheDocument();
  });

  it("shows a taken pseudonym next to the field", async () => {
    stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated"),
      "GET /api/v1/invitations/*": () => json(INVITATION),
      "POST /api/v1/invitations/*": () => problem(409, "participant.pseudonym_taken"),
    });
    renderApp("/invitations/tok-1");
    await userEvent.type(await screen.findByRole("textbox", { name: "Pseudonym" }), "Taken");
    await userEvent.click(screen.getByRole("checkbox", { name: "I accept the terms of participation" }));
    await userEvent.click(screen.getByRole("button", { name: "Join the space" }));
    expect(
      await screen.findByText("This pseudonym is already taken in this space; choose another one."),
    ).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Pseudonym" })).toHaveAttribute("aria-invalid", "true");
  });

  it("asks someone who already has an account to sign in as themselves, and sends nothing", async () => {
    const fetchMock = stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated"),
      "GET /api/v1/invitations/*": () => json({ ...INVITATION, account_exists: true }),
    });
    renderApp("/invitations/tok-1");
    expect(await screen.findByRole("heading", { level: 2, name: "Sign in to accept" })).toBeInTheDocument();
    expect(screen.getByText(/claire@example.com already has a Causerie account/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Join the space" })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Password")).not.toBeInTheDocument();
    const signIn = screen.getByRole("link", { name: "Sign in with my password" });
    expect(signIn).toHaveAttribute("href", "/login?redirect=%2Finvitations%2Ftok-1");
    expect(screen.getByRole("link", { name: "E-mail me a sign-in link" }).getAttribute("href")).toContain(
      "method=link",
    );
    expect(
      fetchMock.mock.calls.some(
        ([input]) =>
          String(input instanceof Request ? input.method : "") === "POST" &&
          String((input as Request).url).includes("/invitations/"),
      ),
    ).toBe(false);
  });

  it("lets the invited person, once signed in, join with their account and no password field", async () => {
    let sent: unknown = null;
    let authorization: string | null = null;
    stubApi({
      "POST /api/v1/auth/refresh": () => json({ access_token: "tok-claire", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/me": () => json({ ...ME, email: "claire@example.com", memberships: [] }),
      "GET /api/v1/invitations/*": () => json({ ...INVITATION, account_exists: true }),
      "POST /api/v1/invitations/*": async (request) => {
        sent = await request.json();
        authorization = request.headers.get("Authorization");
        return json({
          access_token: null,
          token_type: "bearer",
          expires_in: null,
          signed_in: false,
          space_id: SPACE_ID,
          organization_id: "org",
        });
      },
      "GET /api/v1/me/spaces/*/participants": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/me/spaces/*/timeline": () =>
        json({ at: "2025-01-01T00:00:00Z", time_zone: "Europe/Paris", items: [], answered: 0, expected: 0 }),
      "GET /api/v1/me/spaces/*": () => json(MY_SPACE),
    });
    renderApp("/invitations/tok-1");
    expect(await screen.findByText("You will join with your account claire@example.com.")).toBeInTheDocument();
    expect(screen.queryByLabelText("Password")).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Your name" })).not.toBeInTheDocument();
    await userEvent.type(screen.getByRole("textbox", { name: "Pseudonym" }), "Clairette");
    await userEvent.click(screen.getByRole("checkbox", { name: "I accept the terms of participation" }));
    await userEvent.click(screen.getByRole("button", { name: "Join the space" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Cercle Acme" })).toBeInTheDocument();
    expect(sent).toEqual({ pseudonym: "Clairette", display_name: null, password: null, accept_terms: true });
    expect(authorization).toBe("Bearer tok-claire");
  });

  it("tells someone signed in with another address to sign out first", async () => {
    stubApi({
      "POST /api/v1/auth/refresh": () => json({ access_token: "tok-olivia", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/me": () => json(ME),
      "GET /api/v1/invitations/*": () => json(INVITATION),
      "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    renderApp("/invitations/tok-1");
    expect(
      await screen.findByRole("heading", { level: 2, name: "This invitation is for another address" }),
    ).toBeInTheDocument();
    expect(screen.getByText(/you are signed in as olivia@example.com/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Join the space" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Join the space" })).toBeInTheDocument();
    expect(getAccessToken()).toBeNull();
  });
});
