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

export type SpaceWelcome = Schemas["SpaceWelcome"];

const SPACE_PATH = /^\/me\/spaces\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?#]|$)/i;

/** The space a path after sign-in leads into (`/me/spaces/<id>/…`), if any. */
export function spaceOfPath(path: string | undefined): string | null {
  return (path && SPACE_PATH.exec(path)?.[1]) || null;
}

/** A live space's brand and title, readable before signing in (null: no such live space). */
export function useSpaceWelcome(spaceId: string | null) {
  return useQuery({
    queryKey: ["space-welcome", spaceId],
    enabled: spaceId !== null,
    retry: false,
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<SpaceWelcome | null> => {
      const { data, response } = await client.GET("/api/v1/spaces/{space_id}/welcome", {
        params: { path: { space_id: spaceId ?? "" } },
      });
      return response.ok && data ? data : null;
    },
  });
}

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
    mutationFn: async (body: Schemas["MagicLinkRequest"]) =>
      unwrap(await client.POST("/api/v1/auth/magic-link", { body })),
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

/**
 * A return path carried by a sign-in link (`#token=…&next=…`): followed only when it is a
 * path on this site (one leading "/", no "//", no backslash, no control characters).
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || next.length > 500 || !next.startsWith("/")) return null;
  if (next.includes("//") || next.includes("\\")) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(next)) return null;
  return next;
}

/** The `next` parameter of a sign-in link's fragment, if it is safe to follow. */
export function readFragmentNext(hash: string): string | null {
  return safeNextPath(new URLSearchParams(hash.replace(/^#/, "")).get("next"));
}

/** Sets a new password (or a first one); every other session of the account ends. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["PasswordChange"]) => unwrap(await client.POST("/api/v1/me/password", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
  });
}

/** Asks for a password reset link; the answer is the same whether the address is known or not. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (body: Schemas["PasswordResetRequest"]) =>
      unwrap(await client.POST("/api/v1/auth/password-reset", { body })),
  });
}

/** Sets the password with a reset link's token. It signs no one in: the person signs in next. */
export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: async (body: Schemas["PasswordResetConfirm"]) =>
      unwrap(await client.POST("/api/v1/auth/password-reset/confirm", { body })),
  });
}

/** Asks to move my account to another address: a confirmation link goes to that address. */
export function useRequestEmailChange() {
  return useMutation({
    mutationFn: async (body: Schemas["EmailChangeRequest"]) => unwrap(await client.POST("/api/v1/me/email", { body })),
  });
}

/** Confirms a new address with the e-mailed token. Every session ends: the person signs in again. */
export function useConfirmEmailChange() {
  return useMutation({
    mutationFn: async (body: Schemas["EmailChangeConfirm"]) =>
      unwrap(await client.POST("/api/v1/auth/email-change/confirm", { body })),
  });
}
