import { redirect, type ParsedLocation } from "@tanstack/react-router";

import { ensureSession, meQuery } from "../features/auth/api";
import { ApiError } from "../lib/problem";
import type { RouterContext } from "./root";

/**
 * The `beforeLoad` of every signed-in area (studio, participant): without a session, or
 * with one the server no longer accepts, it sends the visitor to /login?redirect=<where
 * they were going>; otherwise it loads who they are before the area renders.
 */
export async function requireSignIn({
  context,
  location,
}: {
  context: RouterContext;
  location: ParsedLocation;
}): Promise<void> {
  const toLogin = redirect({ to: "/login", search: { redirect: location.href } });
  if (!(await ensureSession())) throw toLogin;
  try {
    await context.queryClient.ensureQueryData(meQuery);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw toLogin;
    throw error;
  }
}
