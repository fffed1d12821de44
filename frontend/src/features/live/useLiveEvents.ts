import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";

import { getAccessToken, subscribeSession } from "../../lib/session";
import { startLiveEvents, type LiveStatus } from "./connection";
import { applyLiveEvent } from "./events";

const isSignedIn = () => getAccessToken() !== null;

/**
 * The signed-in person's live stream (mount once, above the routes): each event
 * refreshes the queries it concerns. Returns the connection state, "offline" while
 * signed out.
 */
export function useLiveEvents(): LiveStatus {
  const queryClient = useQueryClient();
  const signedIn = useSyncExternalStore(subscribeSession, isSignedIn, isSignedIn);
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    if (!signedIn) return;
    return startLiveEvents({ onStatus: setStatus, onEvent: (event) => void applyLiveEvent(queryClient, event) });
  }, [signedIn, queryClient]);

  return signedIn ? status : "offline";
}
