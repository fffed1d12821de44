import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { client, refreshSession, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";
import { clearAccessToken, getAccessToken, setAccessToken } from "../../lib/session";

export type Me = Schemas["MeRead"];
export type Membership = Schemas["MembershipRead"];
export type LoginRequest = Schemas["LoginRequest"];

/** True when a session exists, restoring it from the refresh cookie if needed (after a reload). */
export async function ensureSession(): Promise<boolean> {
  return getAccessToken() !== null || (await refreshSession());
}

export const meQuery = queryOptions({
  queryKey: ["me"],
  queryFn: async (): Promise<Me> => unwrap(await client.GET("/api/v1/me")),
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export async function login(body: LoginRequest): Promise<void> {
  const token = unwrap(await client.POST("/api/v1/auth/login", { body }));
  setAccessToken(token.access_token);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: () => queryClient.removeQueries(),
  });
}

/**
 * Ends the session on the server (best effort), forgets the token, lets the caller
 * leave the studio, and only then drops the cached data (so nothing refetches).
 */
export function useSignOut(leave: () => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await client.POST("/api/v1/auth/logout");
      } catch {
        // Offline: the local session is cleared anyway.
      }
      clearAccessToken();
      await leave();
      queryClient.clear();
    },
  });
}

/** Asks for a one-time sign-in link; the answer is the same whether the address is known or not. */
export function useRequestMagicLink() {
  return useMutation({
    mutationFn: async (body: Schemas["MagicLinkRequest"]) => unwrap(await client.POST("/api/v1/auth/magic-link", { body })),
  });
}

/** The token of a sign-in link, read from the URL fragment (`#token=…`), which never reaches a server log. */
export function readFragmentToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.trim() !== "" ? token.trim() : null;
}

export async function consumeMagicLink(token: string): Promise<void> {
  const issued = unwrap(await client.POST("/api/v1/auth/magic-link/consume", { body: { token } }));
  setAccessToken(issued.access_token);
}
