import { vi } from "vitest";

type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

export function problem(status: number, code: string, extra: Record<string, unknown> = {}, headers = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: code, status, detail: code, code, ...extra }), {
    status,
    headers: { "Content-Type": "application/problem+json", ...headers },
  });
}

/**
 * Replaces the network: routes are "METHOD /api/v1/path" (path params as "*");
 * anything else answers 404 problem+json. Returns the fetch mock for inspection.
 */
export function stubApi(routes: Record<string, Handler>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    for (const [route, handler] of Object.entries(routes)) {
      const [method, pattern = ""] = route.split(" ");
      const regex = new RegExp(`^${pattern.replace(/\*/g, "[^/]+")}$`);
      if (method === request.method && regex.test(path)) return handler(request);
    }
    return problem(404, "not_found");
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

export const ME = {
  id: "00000000-0000-0000-0000-000000000001",
  email: "olivia@example.com",
  display_name: "Olivia Owner",
  is_platform_admin: false,
  memberships: [{ organization_id: "00000000-0000-0000-0000-0000000000a1", organization_name: "Acme", role: "owner" }],
};

export const ACME = {
  id: "00000000-0000-0000-0000-0000000000a1",
  name: "Acme",
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
  my_role: "owner",
};

export const MEMBERS = {
  items: [
    {
      user_id: ME.id,
      email: ME.email,
      display_name: ME.display_name,
      role: "owner",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
    },
  ],
  next_cursor: null,
};

/** A signed-in user with one organization they own. */
export const studioRoutes: Record<string, Handler> = {
  "POST /api/v1/auth/refresh": () => json({ access_token: "token-1", token_type: "bearer", expires_in: 900 }),
  "GET /api/v1/me": () => json(ME),
  "GET /api/v1/organizations": () => json({ items: [ACME], next_cursor: null }),
  "GET /api/v1/organizations/*/members": () => json(MEMBERS),
  "GET /api/v1/organizations/*": () => json(ACME),
};
