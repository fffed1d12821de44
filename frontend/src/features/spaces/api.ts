import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";
import { uploadForm } from "../../lib/upload";

export type Space = Schemas["SpaceRead"];
export type SpaceCreate = Schemas["SpaceCreate"];
export type SpaceUpdate = Schemas["SpaceUpdate"];
export type SpaceStatus = Schemas["SpaceStatus"];
export type SpaceObjective = Schemas["SpaceObjective"];
export type SpaceLanguage = Schemas["SpaceLanguage"];
export type Segment = Schemas["SegmentRead"];
export type Participant = Schemas["ParticipantRead"];
export type ParticipantStatus = Schemas["ParticipantStatus"];

export const OBJECTIVES: readonly SpaceObjective[] = ["relationship", "image", "product_feedback"];
export const SPACE_LANGUAGES: readonly SpaceLanguage[] = ["fr", "en"];
export const PARTICIPANT_STATUSES: readonly ParticipantStatus[] = ["active", "suspended", "left"];
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

const PAGE_SIZE = 50;

export const spaceKeys = {
  all: ["spaces"] as const,
  list: (orgId: string) => [...spaceKeys.all, "org", orgId] as const,
  detail: (spaceId: string) => [...spaceKeys.all, spaceId] as const,
  segments: (spaceId: string) => [...spaceKeys.all, spaceId, "segments"] as const,
  participants: (spaceId: string, filters?: ParticipantFilters) =>
    [...spaceKeys.all, spaceId, "participants", ...(filters ? [filters] : [])] as const,
};

export function spacesQuery(orgId: string) {
  return infiniteQueryOptions({
    queryKey: spaceKeys.list(orgId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/spaces", {
          params: { path: { organization_id: orgId }, query: { cursor: pageParam, limit: PAGE_SIZE } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useSpaces(orgId: string) {
  return useInfiniteQuery(spacesQuery(orgId));
}

export function spaceQuery(spaceId: string) {
  return queryOptions({
    queryKey: spaceKeys.detail(spaceId),
    queryFn: async () =>
      unwrap(await client.GET("/api/v1/spaces/{space_id}", { params: { path: { space_id: spaceId } } })),
  });
}

export function useSpace(spaceId: string) {
  return useQuery(spaceQuery(spaceId));
}

export function useCreateSpace(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SpaceCreate) =>
      unwrap(
        await client.POST("/api/v1/organizations/{organization_id}/spaces", {
          params: { path: { organization_id: orgId } },
          body,
        }),
      ),
    onSuccess: (space) => {
      queryClient.setQueryData(spaceKeys.detail(space.id), space);
      return queryClient.invalidateQueries({ queryKey: spaceKeys.list(orgId) });
    },
  });
}

/** Any change to a space (fields, status, logo) refreshes its cached copy and the list. */
function useSpaceMutation<V>(spaceId: string, run: (variables: V) => Promise<Space>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (space) => {
      queryClient.setQueryData(spaceKeys.detail(spaceId), space);
      return queryClient.invalidateQueries({ queryKey: spaceKeys.list(space.organization_id) });
    },
  });
}

export function useUpdateSpace(spaceId: string) {
  return useSpaceMutation(spaceId, async (body: SpaceUpdate) =>
    unwrap(await client.PATCH("/api/v1/spaces/{space_id}", { params: { path: { space_id: spaceId } }, body })),
  );
}

export function useUploadLogo(spaceId: string) {
  return useSpaceMutation(spaceId, async (file: File) => {
    const form = new FormData();
    form.append("file", file);
    return uploadForm<Space>("PUT", `/api/v1/spaces/${encodeURIComponent(spaceId)}/logo`, form);
  });
}

export function useRemoveLogo(spaceId: string) {
  return useSpaceMutation(spaceId, async () =>
    unwrap(await client.DELETE("/api/v1/spaces/{space_id}/logo", { params: { path: { space_id: spaceId } } })),
  );
}

/* Segments */

export function segmentsQuery(spaceId: string) {
  return queryOptions({
    queryKey: spaceKeys.segments(spaceId),
    // Segments are few per space: read them all (200 per page) so names can be shown anywhere.
    queryFn: async () => {
      const items: Segment[] = [];
      let cursor: string | undefined;
      do {
        const page = unwrap(
          await client.GET("/api/v1/spaces/{space_id}/segments", {
            params: { path: { space_id: spaceId }, query: { cursor, limit: 200 } },
          }),
        );
        items.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return items;
    },
  });
}

export function useSegments(spaceId: string) {
  return useQuery(segmentsQuery(spaceId));
}

function useSegmentMutation<V, R>(spaceId: string, run: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: spaceKeys.segments(spaceId) }),
  });
}

export function useCreateSegment(spaceId: string) {
  return useSegmentMutation(spaceId, async (name: string) =>
    unwrap(
      await client.POST("/api/v1/spaces/{space_id}/segments", {
        params: { path: { space_id: spaceId } },
        body: { name },
      }),
    ),
  );
}

export function useRenameSegment(spaceId: string) {
  return useSegmentMutation(spaceId, async ({ segmentId, name }: { segmentId: string; name: string }) =>
    unwrap(
      await client.PATCH("/api/v1/spaces/{space_id}/segments/{segment_id}", {
        params: { path: { space_id: spaceId, segment_id: segmentId } },
        body: { name },
      }),
    ),
  );
}

export function useDeleteSegment(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (segmentId: string) => {
      unwrap(
        await client.DELETE("/api/v1/spaces/{space_id}/segments/{segment_id}", {
          params: { path: { space_id: spaceId, segment_id: segmentId } },
        }),
      );
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: spaceKeys.segments(spaceId) }),
        queryClient.invalidateQueries({ queryKey: spaceKeys.participants(spaceId) }),
      ]),
  });
}

/* Participants */

export type ParticipantFilters = { status?: ParticipantStatus; segmentId?: string; q?: string };

export function participantsQuery(spaceId: string, filters: ParticipantFilters) {
  return infiniteQueryOptions({
    queryKey: spaceKeys.participants(spaceId, filters),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/spaces/{space_id}/participants", {
          params: {
            path: { space_id: spaceId },
            query: {
              cursor: pageParam,
              limit: PAGE_SIZE,
              status: filters.status,
              segment_id: filters.segmentId,
              q: filters.q || undefined,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useParticipants(spaceId: string, filters: ParticipantFilters) {
  return useInfiniteQuery(participantsQuery(spaceId, filters));
}

export function useUpdateParticipant(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ participantId, body }: { participantId: string; body: Schemas["ParticipantUpdate"] }) =>
      unwrap(
        await client.PATCH("/api/v1/spaces/{space_id}/participants/{participant_id}", {
          params: { path: { space_id: spaceId, participant_id: participantId } },
          body,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: spaceKeys.participants(spaceId) }),
        queryClient.invalidateQueries({ queryKey: spaceKeys.segments(spaceId) }),
      ]),
  });
}
