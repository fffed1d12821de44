import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useEffect } from "react";

import { client, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";

export type MySpace = Schemas["MySpaceRead"];
export type MySpaceCard = Schemas["MySpaceCard"];
export type EmailPreference = Schemas["EmailPreference"];
export const EMAIL_PREFERENCES: readonly EmailPreference[] = ["immediate", "digest", "off"];

export const mySpaceKeys = {
  all: ["my-spaces"] as const,
  list: () => [...mySpaceKeys.all, "list"] as const,
  first: () => [...mySpaceKeys.all, "first"] as const,
  firstTwo: () => [...mySpaceKeys.all, "first-two"] as const,
  detail: (spaceId: string) => [...mySpaceKeys.all, spaceId] as const,
  peers: (spaceId: string) => [...mySpaceKeys.all, spaceId, "peers"] as const,
};

export const mySpacesQuery = infiniteQueryOptions({
  queryKey: mySpaceKeys.list(),
  queryFn: async ({ pageParam }) =>
    unwrap(await client.GET("/api/v1/me/spaces", { params: { query: { cursor: pageParam, limit: 50 } } })),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.next_cursor ?? undefined,
});

export function useMySpaces() {
  return useInfiniteQuery(mySpacesQuery);
}

/** Whether the signed-in person takes part in at least one space (one row is enough to know). */
export const hasSpacesQuery = queryOptions({
  queryKey: mySpaceKeys.first(),
  queryFn: async () =>
    unwrap(await client.GET("/api/v1/me/spaces", { params: { query: { limit: 1 } } })).items.length > 0,
  staleTime: 60_000,
});

/** My first two spaces: enough to know whether I take part in exactly one. */
export const firstTwoSpacesQuery = queryOptions({
  queryKey: mySpaceKeys.firstTwo(),
  queryFn: async () =>
    unwrap(await client.GET("/api/v1/me/spaces", { params: { query: { limit: 2 } } })).items.map(
      (space) => space.space_id,
    ),
});

/**
 * Where someone lands once signed in without a destination: in their space when they take
 * part in exactly one, among their spaces when in several, in the studio when they only
 * work for organizations.
 */
export function landingAfterSignIn(isStaff: boolean, spaceIds: readonly string[]): string {
  if (spaceIds.length === 1) return `/me/spaces/${spaceIds[0]}`;
  return isStaff && spaceIds.length === 0 ? "/" : "/me/spaces";
}

export function useHasSpaces(enabled = true) {
  return useQuery({ ...hasSpacesQuery, enabled });
}

export function mySpaceQuery(spaceId: string) {
  return queryOptions({
    queryKey: mySpaceKeys.detail(spaceId),
    queryFn: async () =>
      unwrap(await client.GET("/api/v1/me/spaces/{space_id}", { params: { path: { space_id: spaceId } } })),
  });
}

export function useMySpace(spaceId: string) {
  return useQuery(mySpaceQuery(spaceId));
}

/** Tells the brand I opened the space (its staff see when I last came). */
export async function recordVisit(spaceId: string): Promise<void> {
  unwrap(await client.POST("/api/v1/me/spaces/{space_id}/visit", { params: { path: { space_id: spaceId } } }));
}

/** Records my visit once the space has opened (`opened`); a failed record is only a missed "last seen". */
export function useRecordVisit(spaceId: string, opened: boolean) {
  useEffect(() => {
    if (opened) recordVisit(spaceId).catch(() => undefined);
  }, [spaceId, opened]);
}

export function peersQuery(spaceId: string) {
  return infiniteQueryOptions({
    queryKey: mySpaceKeys.peers(spaceId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/me/spaces/{space_id}/participants", {
          params: { path: { space_id: spaceId }, query: { cursor: pageParam, limit: 100 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function usePeers(spaceId: string) {
  return useInfiniteQuery(peersQuery(spaceId));
}

export function useUpdateMySpace(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["MySpaceUpdate"]) =>
      unwrap(await client.PATCH("/api/v1/me/spaces/{space_id}", { params: { path: { space_id: spaceId } }, body })),
    onSuccess: (space) => {
      queryClient.setQueryData(mySpaceKeys.detail(spaceId), space);
      return queryClient.invalidateQueries({ queryKey: mySpaceKeys.all });
    },
  });
}

export function useLeaveSpace(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      unwrap(await client.POST("/api/v1/me/spaces/{space_id}/leave", { params: { path: { space_id: spaceId } } }));
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: mySpaceKeys.detail(spaceId) });
      return queryClient.invalidateQueries({ queryKey: mySpaceKeys.all });
    },
  });
}
