import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useEffect } from "react";

import { client, type Schemas } from "../../api/client";
import { useLivePoll } from "../../lib/live";
import { unwrap } from "../../lib/problem";

export type Reply = Schemas["ReplyRead"];
export type Probe = Schemas["ProbeRead"];
export type ProbeVisibility = Schemas["ProbeVisibility"];
export type ProbeStatus = Probe["status"];
export type Note = Schemas["NoteRead"];
export type ReactionKind = Schemas["ReactionKind"];
export type ReactionState = Schemas["ReactionState"];
export type Answer = Schemas["ResponseRead"];
export type Role = Schemas["Role"];
export type Waiting = Schemas["WaitingRead"];
export type NudgeResult = Schemas["NudgeResult"];
export type ProbeTemplate = Schemas["TemplateRead"];
export type MyProbe = Schemas["MyProbeRead"];

export const REACTION_KINDS: readonly ReactionKind[] = ["thumbs_up", "heart", "idea", "thinking"];
export const PROBE_STATUSES: readonly ProbeStatus[] = ["open", "overdue", "answered"];

/** Participants see new replies and probes without a reload (slowly while the live stream runs). */
export const THREAD_POLL_MS = 10_000;
/** The animator console refreshes its feed faster. */
export const CONSOLE_POLL_MS = 5_000;
/** Who has not answered an open prompt yet changes as answers come in. */
export const WAITING_POLL_MS = 15_000;
/** The probe queue's refresh. */
export const QUEUE_POLL_MS = 30_000;
/** Answers read per prompt for the console (the API's maximum page). */
export const FEED_PAGE = 200;

export type NoteTarget = { kind: "response" | "reply"; id: string };

export const conversationKeys = {
  all: ["conversations"] as const,
  replies: (responseId: string) => [...conversationKeys.all, "replies", responseId] as const,
  probes: (responseId: string) => [...conversationKeys.all, "probes", responseId] as const,
  mine: (spaceId?: string) => [...conversationKeys.all, "mine", ...(spaceId ? [spaceId] : [])] as const,
  notes: (target: NoteTarget) => [...conversationKeys.all, "notes", target.kind, target.id] as const,
  queue: (spaceId: string, filters?: ProbeQueueFilters) =>
    [...conversationKeys.all, "queue", spaceId, ...(filters ? [filters] : [])] as const,
  feed: (promptId: string) => [...conversationKeys.all, "feed", promptId] as const,
  waiting: (promptId: string) => [...conversationKeys.all, "waiting", promptId] as const,
  templates: (organizationId: string) => [...conversationKeys.all, "templates", organizationId] as const,
};

/* Replies */

export function repliesQuery(responseId: string) {
  return infiniteQueryOptions({
    queryKey: conversationKeys.replies(responseId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/responses/{response_id}/replies", {
          params: { path: { response_id: responseId }, query: { cursor: pageParam, limit: 100 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    refetchInterval: THREAD_POLL_MS,
  });
}

export function useReplies(responseId: string, poll = THREAD_POLL_MS) {
  const interval = useLivePoll(poll);
  return useInfiniteQuery({ ...repliesQuery(responseId), refetchInterval: interval });
}

/** Replying refreshes the thread, and whatever list shows the reply count (via onChanged). */
export function useAddReply(responseId: string, onChanged?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (text: string) =>
      unwrap(
        await client.POST("/api/v1/responses/{response_id}/replies", {
          params: { path: { response_id: responseId } },
          body: { text },
        }),
      ),
    onSuccess: async () => {
      onChanged?.();
      await queryClient.invalidateQueries({ queryKey: conversationKeys.replies(responseId) });
    },
  });
}

/** My reply, edited within the edit window: the thread shows the new text (and "edited"). */
export function useEditReply(responseId: string, onChanged?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ replyId, text }: { replyId: string; text: string }) =>
      unwrap(
        await client.PATCH("/api/v1/replies/{reply_id}", {
          params: { path: { reply_id: replyId } },
          body: { text },
        }),
      ),
    onSuccess: async () => {
      onChanged?.();
      await queryClient.invalidateQueries({ queryKey: conversationKeys.replies(responseId) });
    },
  });
}

/* Reactions */

export type ReactionTarget = { kind: "response" | "reply"; id: string };

export async function toggleReaction(target: ReactionTarget, kind: ReactionKind): Promise<ReactionState> {
  return target.kind === "response"
    ? unwrap(
        await client.POST("/api/v1/responses/{response_id}/reactions", {
          params: { path: { response_id: target.id } },
          body: { kind },
        }),
      )
    : unwrap(
        await client.POST("/api/v1/replies/{reply_id}/reactions", {
          params: { path: { reply_id: target.id } },
          body: { kind },
        }),
      );
}

export function useToggleReaction(target: ReactionTarget) {
  return useMutation({ mutationFn: (kind: ReactionKind) => toggleReaction(target, kind) });
}

/* Probes */

export function responseProbesQuery(responseId: string) {
  return queryOptions({
    queryKey: conversationKeys.probes(responseId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/responses/{response_id}/probes", {
          params: { path: { response_id: responseId } },
        }),
      ),
    refetchInterval: THREAD_POLL_MS,
  });
}

export function useResponseProbes(responseId: string, { enabled = true, poll = THREAD_POLL_MS } = {}) {
  const interval = useLivePoll(poll);
  return useQuery({ ...responseProbesQuery(responseId), enabled, refetchInterval: interval });
}

export function useCreateProbe(responseId: string, onChanged?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { text: string; visibility: ProbeVisibility }) =>
      unwrap(
        await client.POST("/api/v1/responses/{response_id}/probes", {
          params: { path: { response_id: responseId } },
          body,
        }),
      ),
    onSuccess: async () => {
      onChanged?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: conversationKeys.probes(responseId) }),
        queryClient.invalidateQueries({ queryKey: [...conversationKeys.all, "queue"] }),
      ]);
    },
  });
}

/** The brand's questions to me in a space that still wait for my answer (a first page is plenty). */
export function myOpenProbesQuery(spaceId: string) {
  return queryOptions({
    queryKey: conversationKeys.mine(spaceId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/me/spaces/{space_id}/probes", {
          params: { path: { space_id: spaceId }, query: { limit: 50 } },
        }),
      ).items,
    refetchInterval: THREAD_POLL_MS,
  });
}

export function useMyOpenProbes(spaceId: string, enabled = true) {
  const interval = useLivePoll(THREAD_POLL_MS);
  return useQuery({ ...myOpenProbesQuery(spaceId), enabled, refetchInterval: interval });
}

/** The probed participant answers: the answer lands in the thread and the probe is answered. */
export function useAnswerProbe(responseId: string, onChanged?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ probeId, text }: { probeId: string; text: string }) =>
      unwrap(
        await client.POST("/api/v1/probes/{probe_id}/answer", {
          params: { path: { probe_id: probeId } },
          body: { text },
        }),
      ),
    onSuccess: async () => {
      onChanged?.();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: conversationKeys.probes(responseId) }),
        queryClient.invalidateQueries({ queryKey: conversationKeys.replies(responseId) }),
        queryClient.invalidateQueries({ queryKey: conversationKeys.mine() }),
      ]);
    },
  });
}

/* Saved probe texts of the organization (staff) */

export function probeTemplatesQuery(organizationId: string) {
  return infiniteQueryOptions({
    queryKey: conversationKeys.templates(organizationId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/probe-templates", {
          params: { path: { organization_id: organizationId }, query: { cursor: pageParam, limit: 200 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** Every saved probe text (pages are read to the end), sorted by title. */
export function useProbeTemplates(organizationId: string | undefined) {
  const query = useInfiniteQuery({ ...probeTemplatesQuery(organizationId ?? ""), enabled: !!organizationId });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const items = (query.data?.pages ?? []).flatMap((page) => page.items).sort((a, b) => a.title.localeCompare(b.title));
  return { items, error: query.error };
}

export function useCreateProbeTemplate(organizationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { title: string; text: string }) =>
      unwrap(
        await client.POST("/api/v1/organizations/{organization_id}/probe-templates", {
          params: { path: { organization_id: organizationId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationKeys.templates(organizationId) }),
  });
}

export type ProbeQueueFilters = { status: ProbeStatus; promptId?: string; segmentId?: string };

export function probeQueueQuery(spaceId: string, filters: ProbeQueueFilters) {
  return infiniteQueryOptions({
    queryKey: conversationKeys.queue(spaceId, filters),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/spaces/{space_id}/probes", {
          params: {
            path: { space_id: spaceId },
            query: {
              status: filters.status,
              prompt_id: filters.promptId || undefined,
              segment_id: filters.segmentId || undefined,
              cursor: pageParam,
              limit: 50,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: QUEUE_POLL_MS,
  });
}

export function useProbeQueue(spaceId: string, filters: ProbeQueueFilters) {
  const poll = useLivePoll(QUEUE_POLL_MS);
  return useInfiniteQuery({ ...probeQueueQuery(spaceId, filters), refetchInterval: poll });
}

/* Backroom notes (staff only) */

export function notesQuery(target: NoteTarget) {
  return queryOptions({
    queryKey: conversationKeys.notes(target),
    queryFn: async () =>
      unwrap(
        target.kind === "response"
          ? await client.GET("/api/v1/responses/{response_id}/notes", {
              params: { path: { response_id: target.id }, query: { limit: 100 } },
            })
          : await client.GET("/api/v1/replies/{reply_id}/notes", {
              params: { path: { reply_id: target.id }, query: { limit: 100 } },
            }),
      ),
  });
}

export function useNotes(target: NoteTarget, enabled = true) {
  return useQuery({ ...notesQuery(target), enabled });
}

export function useAddNote(target: NoteTarget) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (text: string) =>
      unwrap(
        target.kind === "response"
          ? await client.POST("/api/v1/responses/{response_id}/notes", {
              params: { path: { response_id: target.id } },
              body: { text },
            })
          : await client.POST("/api/v1/replies/{reply_id}/notes", {
              params: { path: { reply_id: target.id } },
              body: { text },
            }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationKeys.notes(target) }),
  });
}

/* The console feed: the latest answers of several prompts */

export function feedQuery(promptId: string) {
  return queryOptions({
    queryKey: conversationKeys.feed(promptId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/prompts/{prompt_id}/responses", {
          params: { path: { prompt_id: promptId }, query: { order: "newest", limit: FEED_PAGE } },
        }),
      ),
    refetchInterval: CONSOLE_POLL_MS,
  });
}

export type FeedPage = { promptId: string; items: Answer[]; truncated: boolean };

/** One query per prompt, refreshed every 5 s (slowly while live); pages in the prompts' order. */
export function useFeed(promptIds: readonly string[]) {
  const poll = useLivePoll(CONSOLE_POLL_MS);
  return useQueries({
    queries: promptIds.map((id) => ({ ...feedQuery(id), refetchInterval: poll })),
    combine: (results) => ({
      pages: results.flatMap((r, index): FeedPage[] => {
        const promptId = promptIds[index];
        return r.data && promptId ? [{ promptId, items: r.data.items, truncated: r.data.next_cursor !== null }] : [];
      }),
      isPending: results.some((r) => r.isPending),
      error: results.find((r) => r.error)?.error ?? null,
    }),
  });
}

export function useInvalidateFeed() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: [...conversationKeys.all, "feed"] });
}

/* Who has not answered an open prompt yet, and the nudge */

export function waitingQuery(promptId: string) {
  return queryOptions({
    queryKey: conversationKeys.waiting(promptId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/prompts/{prompt_id}/waiting", {
          params: { path: { prompt_id: promptId } },
        }),
      ),
    refetchInterval: WAITING_POLL_MS,
  });
}

/** The participants for whom the prompt is open now and who have not answered it. */
export function useWaiting(promptId: string) {
  const poll = useLivePoll(WAITING_POLL_MS);
  return useQuery({ ...waitingQuery(promptId), refetchInterval: poll });
}

/** Reminds those still waiting (each person at most once a day), then refreshes the list. */
export function useNudge(promptId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<NudgeResult> =>
      unwrap(
        await client.POST("/api/v1/prompts/{prompt_id}/nudge", {
          params: { path: { prompt_id: promptId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationKeys.waiting(promptId) }),
  });
}
