import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createMemoryHistory,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
} from "@tanstack/react-router";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { setAccessToken } from "../src/lib/session";
import { requireSignIn } from "../src/routes/require-sign-in";
import type { RouterContext } from "../src/routes/root";
import { json, ME, problem, stubApi } from "./api";
import { renderApp } from "./render";

const TOKEN = { access_token: "token-1", token_type: "bearer", expires_in: 900 };

/** A bare router: /login, and a signed-in area (guarded by requireSignIn) holding /secret. */
function renderGuarded(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const root = createRootRouteWithContext<RouterContext>()({ component: Outlet });
  const login = createRoute({ getParentRoute: () => root, path: "/login", component: () => <h1>Sign-in page</h1> });
  const area = createRoute({
    getParentRoute: () => root,
    id: "area",
    beforeLoad: requireSignIn,
    component: () => (
      <main aria-label="Signed-in area">
        <Outlet />
      </main>
    ),
  });
  const secret = createRoute({ getParentRoute: () => area, path: "/secret", component: () => <h1>Secret page</h1> });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createRouter({
    routeTree: root.addChildren([login, area.addChildren([secret])]),
    context: { queryClient },
    history,
  });
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { history, queryClient };
}

const redirectOf = (search: string) => new URLSearchParams(search).get("redirect");

describe("the sign-in guard", () => {
  it("sends a signed-out visitor to /login with the path they were going to", async () => {
    const fetchMock = stubApi({ "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated") });
    const { history } = renderGuarded("/secret?tab=answers");

    expect(await screen.findByRole("heading", { name: "Sign-in page" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/login");
    expect(redirectOf(history.location.search)).toBe("/secret?tab=answers");
    expect(screen.queryByRole("heading", { name: "Secret page" })).not.toBeInTheDocument();
    expect(fetchMock.mock.calls.some(([r]) => (r as Request).url.endsWith("/api/v1/me"))).toBe(false);
  });

  it("sends to /login a visitor whose session the server refuses", async () => {
    setAccessToken("expired");
    stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated"),
      "GET /api/v1/me": () => problem(401, "auth.not_authenticated"),
    });
    const { history } = renderGuarded("/secret");

    expect(await screen.findByRole("heading", { name: "Sign-in page" })).toBeInTheDocument();
    expect(redirectOf(history.location.search)).toBe("/secret");
  });

  it("renders the area, with who is signed in loaded, for a signed-in visitor", async () => {
    setAccessToken("token-1");
    stubApi({ "GET /api/v1/me": () => json(ME) });
    const { history, queryClient } = renderGuarded("/secret");

    const area = await screen.findByRole("main", { name: "Signed-in area" });
    expect(area).toHaveTextContent("Secret page");
    expect(history.location.pathname).toBe("/secret");
    expect(queryClient.getQueryData(["me"])).toEqual(ME);
  });

  it("restores the session from the refresh cookie before rendering the area", async () => {
    stubApi({ "POST /api/v1/auth/refresh": () => json(TOKEN), "GET /api/v1/me": () => json(ME) });
    renderGuarded("/secret");

    expect(await screen.findByRole("heading", { name: "Secret page" })).toBeInTheDocument();
  });
});

describe("both signed-in areas use it", () => {
  it("the participant side sends a signed-out visitor to /login, remembering the path", async () => {
    stubApi({ "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated") });
    const { history } = renderApp("/me/account");

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(history.location.pathname).toBe("/login");
    expect(redirectOf(history.location.search)).toBe("/me/account");
  });

  it("the studio sends a signed-out visitor to /login, remembering the path", async () => {
    stubApi({ "POST /api/v1/auth/refresh": () => problem(401, "auth.not_authenticated") });
    const { history } = renderApp("/organizations/00000000-0000-0000-0000-0000000000a1?tab=members");

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(redirectOf(history.location.search)).toBe("/organizations/00000000-0000-0000-0000-0000000000a1?tab=members");
  });
});
