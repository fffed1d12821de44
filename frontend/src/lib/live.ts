import { createContext, useContext } from "react";

/** The state of the signed-in person's event stream (src/features/live keeps it open). */
export type LiveStatus = "connecting" | "live" | "offline";

/** Polling while the stream is live: a slow safety net (for what has no event, such as reactions). */
export const LIVE_POLL_MS = 60_000;

/** Without a provider (tests, signed out) there is no stream: poll as usual. */
export const LiveStatusContext = createContext<LiveStatus>("offline");

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}

/** A query's refetch interval: `fallbackMs` without the stream, slow while it is live. */
export function useLivePoll(fallbackMs: number): number {
  return useLiveStatus() === "live" ? Math.max(fallbackMs, LIVE_POLL_MS) : fallbackMs;
}
