import { createRoute, lazyRouteComponent, redirect } from "@tanstack/react-router";

import { getAccessToken } from "../lib/session";
import { rootRoute } from "./root";

/*
 * The pages anyone can open (sign-in, the links e-mails carry). Each page's code is
 * fetched when it is first shown: the sign-in page needs neither the studio nor the
 * participant's screens.
 */

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeRedirect(target: string | undefined): string {
  return target && target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): { redirect?: string; method?: "link" } => ({
    ...(typeof search.redirect === "string" ? { redirect: search.redirect } : {}),
    ...(search.method === "link" ? { method: "link" as const } : {}),
  }),
  beforeLoad: ({ search }) => {
    if (getAccessToken() !== null) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: lazyRouteComponent(() => import("./login"), "LoginPage"),
});

/**
 * Where the e-mailed sign-in link lands: `/sign-in/link#token=…[&next=/path]`. Once signed in,
 * it goes to `next` when that is a path on this site (checked again there), else home.
 */
export const signInLinkRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in/link",
  component: lazyRouteComponent(() => import("./sign-in-link"), "SignInLinkPage"),
});

/**
 * `/reset-password`: without a token, ask for a reset link; with the e-mailed
 * `#token=…`, choose a new password. Success signs no one in: the person signs in next.
 */
export const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  component: lazyRouteComponent(() => import("./reset-password"), "ResetPasswordPage"),
});

/** `/change-email#token=…`: confirm the new address. It signs no one in; every session ends. */
export const changeEmailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/change-email",
  component: lazyRouteComponent(() => import("./change-email"), "ChangeEmailPage"),
});

/**
 * The page an invitation e-mail links to. Someone new joins from here, which creates their
 * account and signs them in; someone who already has an account signs in as themselves
 * first (the link alone never signs into an existing account).
 */
export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitations/$token",
  component: lazyRouteComponent(() => import("./invitation"), "InvitationPage"),
});

/** Where an e-mail's unsubscribe link lands, `/unsubscribe#token=…`. No session needed. */
export const unsubscribeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/unsubscribe",
  component: lazyRouteComponent(() => import("./unsubscribe"), "UnsubscribePage"),
});
