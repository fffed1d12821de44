import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";

import type { LiveStatus } from "../../lib/live";
import { getAccessToken, subscribeSession } from "../../lib/session";
import { startLiveEvents } from "./connection";
import { applyLiveEvent, type StaleQueries } from "./events";

const isSignedIn = () => getAccessToken() !== null;

/**
 * The signed-in person's live stream (mount once, above the routes): each event
 * refreshes the queries `staleQueries` names for it (pass a stable function). Returns
 * the connection state, "offline" while signed out.
 */
export function useLiveEvents(staleQueries: StaleQueries): LiveStatus {
  const queryClient = useQueryClient();
  const signedIn = useSyncExternalStore(subscribeSession, isSignedIn, isSignedIn);
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    if (!signedIn) return;
    return startLiveEvents({
      onStatus: setStatus,
      onEvent: (event) => void applyLiveEvent(queryClient, event, staleQueries),
    });
  }, [signedIn, queryClient, staleQueries]);

  return signedIn ? status : "offline";
}
