import createClient from "openapi-fetch";

import { clearAccessToken, getAccessToken, setAccessToken } from "../lib/session";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const AUTH_PREFIX = "/api/v1/auth/";

function apiOrigin(): string {
  return globalThis.location?.origin ?? "http://localhost";
}

function withToken(request: Request): Request {
  const token = getAccessToken();
  if (token !== null) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

function isAuthEndpoint(request: Request): boolean {
  return new URL(request.url).pathname.startsWith(AUTH_PREFIX);
}

/**
 * Sends the request with the in-memory token; on a 401 (outside /auth) tries one
 * refresh and replays the request once before giving up.
 */
async function authFetch(request: Request): Promise<Response> {
  const replay = request.clone();
  const response = await globalThis.fetch(withToken(request));
  if (response.status !== 401 || isAuthEndpoint(request)) return response;
  if (!(await refreshSession())) return response;
  return globalThis.fetch(withToken(replay));
}

export const client = createClient<paths>({
  baseUrl: apiOrigin(),
  credentials: "include",
  fetch: authFetch,
});

let pendingRefresh: Promise<boolean> | null = null;

/** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  pendingRefresh ??= (async () => {
    try {
      const { data } = await client.POST("/api/v1/auth/refresh");
      if (data) {
        setAccessToken(data.access_token);
        return true;
      }
    } catch {
      // Network failure: treat as signed out.
    } finally {
      pendingRefresh = null;
    }
    clearAccessToken();
    return false;
  })();
  return pendingRefresh;
}
