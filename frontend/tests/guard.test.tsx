import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { getAccessToken } from "../src/lib/session";
import { problem, studioRoutes, stubApi } from "./api";
import { renderApp } from "./render";

describe("studio guard", () => {
  it("sends a visitor without a session to /login, remembering where they were going", async () => {
    stubApi({ "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated") });
    const { history } = renderApp("/organizations/00000000-0000-0000-0000-0000000000a1");

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/login");
    expect(new URLSearchParams(history.location.search).get("redirect")).toBe(
      "/organizations/00000000-0000-0000-0000-0000000000a1",
    );
  });

  it("restores the session from the refresh cookie after a reload", async () => {
    const fetchMock = stubApi(studioRoutes);
    renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: "Your organizations" })).toBeInTheDocument();
    expect(getAccessToken()).toBe("token-1");
    const me = fetchMock.mock.calls.map(([r]) => r as Request).find((r) => r.url.endsWith("/api/v1/me"));
    expect(me?.headers.get("Authorization")).toBe("Bearer token-1");
    expect(me?.credentials).toBe("include");
    // Owners see the members of their organization on the home page.
    expect(await screen.findByRole("table", { name: "Members of Acme" })).toBeInTheDocument();
  });

  it("signs out: calls logout, forgets the token and returns to /login", async () => {
    const fetchMock = stubApi({
      ...studioRoutes,
      "POST /api/v1/auth/logout": () => new Response(null, { status: 204 }),
    });
    const { history } = renderApp("/");
    const banner = await screen.findByRole("banner");
    await waitFor(() => expect(banner).toHaveTextContent("Olivia Owner"));

    await userEvent.click(within(banner).getByRole("button", { name: "Olivia Owner" }));
    await userEvent.click(within(banner).getByRole("menuitem", { name: "Sign out" }));

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/login");
    expect(getAccessToken()).toBeNull();
    expect(fetchMock.mock.calls.some(([r]) => (r as Request).url.endsWith("/api/v1/auth/logout"))).toBe(true);
  });

  it("shows a not-found page for unknown paths", async () => {
    stubApi(studioRoutes);
    renderApp("/nowhere");
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeInTheDocument();
  });
});
