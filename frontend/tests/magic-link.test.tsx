import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { readFragmentToken } from "../src/features/auth/api";
import { getAccessToken } from "../src/lib/session";
import { json, ME, problem, stubApi } from "./api";
import { renderApp } from "./render";

describe("magic-link sign-in", () => {
  it("reads the token from the fragment", () => {
    expect(readFragmentToken("#token=abc-123")).toBe("abc-123");
    expect(readFragmentToken("token=abc")).toBe("abc");
    expect(readFragmentToken("#foo=1&token=x%2By")).toBe("x+y");
    expect(readFragmentToken("")).toBeNull();
    expect(readFragmentToken("#token=")).toBeNull();
  });

  it("consumes the link once and opens the person's spaces", async () => {
    const consumed: unknown[] = [];
    stubApi({
      "POST /api/v1/auth/magic-link/consume": async (request) => {
        consumed.push(await request.json());
        return json({ access_token: "tok-magic", token_type: "bearer", expires_in: 900 });
      },
      "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
      "GET /api/v1/me/spaces": () => json({ items: [], next_cursor: null }),
    });
    renderApp("/sign-in/link#token=abc-123");
    expect(await screen.findByRole("heading", { level: 1, name: "My spaces" })).toBeInTheDocument();
    expect(consumed).toEqual([{ token: "abc-123" }]);
    expect(getAccessToken()).toBe("tok-magic");
  });

  it("sends staff without spaces to the studio", async () => {
    stubApi({
      "POST /api/v1/auth/refresh": () => json({ access_token: "tok-magic", token_type: "bearer", expires_in: 900 }),
      "POST /api/v1/auth/magic-link/consume": () =>
        json({ access_token: "tok-magic", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/me": () => json(ME),
      "GET /api/v1/me/spaces": () => json({ items: [], next_cursor: null }),
      "GET /api/v1/organizations": () => json({ items: [], next_cursor: null }),
    });
    renderApp("/sign-in/link#token=abc");
    expect(await screen.findByRole("heading", { level: 1, name: "Your organizations" })).toBeInTheDocument();
  });

  it("explains an expired link", async () => {
    stubApi({ "POST /api/v1/auth/magic-link/consume": () => problem(410, "auth.link_expired") });
    renderApp("/sign-in/link#token=old");
    expect(
      await screen.findByText("This sign-in link has expired or was already used. Ask for a new one."),
    ).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to sign-in" })).toBeInTheDocument();
  });

  it("says so when the link has no token", async () => {
    stubApi({});
    renderApp("/sign-in/link");
    expect(await screen.findByRole("alert")).toHaveTextContent("This sign-in link is incomplete.");
  });
});
