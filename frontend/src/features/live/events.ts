import type { QueryClient, QueryKey } from "@tanstack/react-query";

import type { SseEvent } from "./sse";

/** An event's payload: ids only. */
export type LiveEventData = Record<string, unknown>;

/**
 * The queries an event makes stale. The features own those queries, so the app that
 * composes them supplies this (src/live-events.ts); the stream itself knows none.
 */
export type StaleQueries = (type: string, data: LiveEventData) => QueryKey[];

/** Refreshes what an event changed (only queries on screen refetch; the others go stale). */
export async function applyLiveEvent(
  queryClient: QueryClient,
  event: SseEvent,
  staleQueries: StaleQueries,
): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  if (typeof data !== "object" || data === null) return;
  await Promise.all(
    staleQueries(event.type, data as LiveEventData).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}
