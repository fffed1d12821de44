import type { QueryKey } from "@tanstack/react-query";
import { useEffect } from "react";

import { answerKeys } from "./features/answers/api";
import { conversationKeys } from "./features/conversations/api";
import type { LiveEventData } from "./features/live/events";
import { useLiveEvents } from "./features/live/useLiveEvents";
import { notificationKeys } from "./features/notifications/api";
import type { LiveStatus } from "./lib/live";

function id(data: LiveEventData, name: string): string | null {
  const value = data[name];
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * The queries a live event makes stale, across the features that show its items
 * (the live stream is a feature of its own and knows none of them: the app hands it
 * this). Events carry ids only: the client reads the items again through the API,
 * which applies visibility.
 */
export function keysForEvent(type: string, data: LiveEventData): QueryKey[] {
  const promptId = id(data, "prompt_id");
  const responseId = id(data, "response_id");
  const spaceId = id(data, "space_id");
  const answersOf = (prompt: string) => [answerKeys.responses(prompt), conversationKeys.feed(prompt)];
  switch (type) {
    case "notification":
      return [notificationKeys.all];
    case "response.created":
      return promptId ? [...answersOf(promptId), conversationKeys.waiting(promptId)] : [];
    case "reply.created":
    case "reaction.changed":
      // The thread, and the reply and reaction counts shown with the prompt's answers.
      return [...(responseId ? [conversationKeys.replies(responseId)] : []), ...(promptId ? answersOf(promptId) : [])];
    case "probe.created":
    case "probe.answered":
      return [
        ...(responseId ? [conversationKeys.probes(responseId)] : []),
        ...(spaceId ? [[...conversationKeys.all, "queue", spaceId], conversationKeys.mine(spaceId)] : []),
      ];
    default:
      return [];
  }
}

/**
 * The signed-in person's live stream, reporting its state. A chunk of its own (app.tsx
 * loads it lazily): no screen waits for it, and a visitor who is signed out never fetches it.
 */
export default function LiveStream({ onStatus }: { onStatus: (status: LiveStatus) => void }): null {
  const status = useLiveEvents(keysForEvent);
  useEffect(() => onStatus(status), [status, onStatus]);
  return null;
}
