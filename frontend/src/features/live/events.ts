import type { QueryClient, QueryKey } from "@tanstack/react-query";

import { answerKeys } from "../answers/api";
import { conversationKeys } from "../conversations/api";
import { notificationKeys } from "../notifications/api";
import type { SseEvent } from "./sse";

type Ids = Record<string, unknown>;

function id(data: Ids, name: string): string | null {
  const value = data[name];
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * The queries an event makes stale. Events carry ids only: the client reads the
 * items again through the API, which applies visibility.
 */
export function keysForEvent(type: string, data: Ids): QueryKey[] {
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
        ...(spaceId ? [[...conversationKeys.all, "queue", spaceId]] : []),
      ];
    default:
      return [];
  }
}

/** Refreshes what an event changed (only queries on screen refetch; the others go stale). */
export async function applyLiveEvent(queryClient: QueryClient, event: SseEvent): Promise<void> {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  if (typeof data !== "object" || data === null) return;
  await Promise.all(
    keysForEvent(event.type, data as Ids).map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}
