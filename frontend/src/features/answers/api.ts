import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { useLivePoll } from "../../lib/live";
import { unwrap } from "../../lib/problem";

export type Timeline = Schemas["TimelineRead"];
export type TimelineItem = Schemas["TimelineItem"];
export type PromptKind = Schemas["PromptKind"];
export type Response = Schemas["ResponseRead"];
export type ResponsePage = Schemas["ResponsePage"];
export type Aggregate = Schemas["Aggregate"];
export type ResponseWrite = Schemas["ResponseWrite"];
export type ResponseOrder = "newest" | "oldest";

export const TEXT_MAX = 20000;
export const RESPONSES_POLL_MS = 10_000;

export const answerKeys = {
  all: ["answers"] as const,
  timeline: (spaceId: string) => [...answerKeys.all, "timeline", spaceId] as const,
  responses: (promptId: string, order?: ResponseOrder) =>
    [...answerKeys.all, "responses", promptId, ...(order ? [order] : [])] as const,
};

export function myTimelineQuery(spaceId: string) {
  return queryOptions({
    queryKey: answerKeys.timeline(spaceId),
    queryFn: async () =>
      unwrap(await client.GET("/api/v1/me/spaces/{space_id}/timeline", { params: { path: { space_id: spaceId } } })),
    // Prompts open with time: keep the home fresh without a reload.
    refetchInterval: 60_000,
  });
}

export function useMyTimeline(spaceId: string) {
  return useQuery(myTimelineQuery(spaceId));
}

export function responsesQuery(promptId: string, order: ResponseOrder) {
  return infiniteQueryOptions({
    queryKey: answerKeys.responses(promptId, order),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/prompts/{prompt_id}/responses", {
          params: { path: { prompt_id: promptId }, query: { order, cursor: pageParam, limit: 50 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    // New answers, reply counts and reactions appear without a reload (slowly while the live stream runs).
    refetchInterval: RESPONSES_POLL_MS,
  });
}

export function useResponses(promptId: string, order: ResponseOrder) {
  const poll = useLivePoll(RESPONSES_POLL_MS);
  return useInfiniteQuery({ ...responsesQuery(promptId, order), refetchInterval: poll });
}

/** Answering changes the prompt's answers and the participant's timeline (state, progress). */
function useAnswerMutation<V>(spaceId: string, promptId: string, run: (variables: V) => Promise<Response>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: answerKeys.responses(promptId) }),
        queryClient.invalidateQueries({ queryKey: answerKeys.timeline(spaceId) }),
      ]),
  });
}

export function useRespond(spaceId: string, promptId: string) {
  return useAnswerMutation(spaceId, promptId, async (body: ResponseWrite) =>
    unwrap(
      await client.POST("/api/v1/prompts/{prompt_id}/responses", { params: { path: { prompt_id: promptId } }, body }),
    ),
  );
}

/** Refreshes a prompt's answers (after a reply or a reaction changed their counts). */
export function useRefreshResponses(promptId: string) {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: answerKeys.responses(promptId) });
}

export function useEditResponse(spaceId: string, promptId: string) {
  return useAnswerMutation(
    spaceId,
    promptId,
    async ({ responseId, body }: { responseId: string; body: ResponseWrite }) =>
      unwrap(
        await client.PATCH("/api/v1/responses/{response_id}", { params: { path: { response_id: responseId } }, body }),
      ),
  );
}
