import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";

export type Organization = Schemas["OrganizationRead"];
export type Member = Schemas["MemberRead"];
export type Role = Member["role"];
export const ROLES: readonly Role[] = ["owner", "animator", "observer"];

const PAGE_SIZE = 50;

export const organizationKeys = {
  all: ["organizations"] as const,
  list: () => [...organizationKeys.all, "list"] as const,
  detail: (orgId: string) => [...organizationKeys.all, orgId] as const,
  members: (orgId: string) => [...organizationKeys.all, orgId, "members"] as const,
};

export const organizationsQuery = infiniteQueryOptions({
  queryKey: organizationKeys.list(),
  queryFn: async ({ pageParam }) =>
    unwrap(await client.GET("/api/v1/organizations", { params: { query: { cursor: pageParam, limit: PAGE_SIZE } } })),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.next_cursor ?? undefined,
});

export function useOrganizations() {
  return useInfiniteQuery(organizationsQuery);
}

export function organizationQuery(orgId: string) {
  return queryOptions({
    queryKey: organizationKeys.detail(orgId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}", { params: { path: { organization_id: orgId } } }),
      ),
  });
}

export function useOrganization(orgId: string) {
  return useQuery(organizationQuery(orgId));
}

export function membersQuery(orgId: string) {
  return infiniteQueryOptions({
    queryKey: organizationKeys.members(orgId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/members", {
          params: { path: { organization_id: orgId }, query: { cursor: pageParam, limit: PAGE_SIZE } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useMembers(orgId: string) {
  return useInfiniteQuery(membersQuery(orgId));
}

/** Organization names and roles also appear in /me (the switcher): refresh both. */
function invalidate(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: organizationKeys.all }),
    queryClient.invalidateQueries({ queryKey: ["me"] }),
  ]);
}

export function useRenameOrganization(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["OrganizationUpdate"]) =>
      unwrap(
        await client.PATCH("/api/v1/organizations/{organization_id}", {
          params: { path: { organization_id: orgId } },
          body,
        }),
      ),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useAddMember(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas["MemberCreate"]) =>
      unwrap(
        await client.POST("/api/v1/organizations/{organization_id}/members", {
          params: { path: { organization_id: orgId } },
          body,
        }),
      ),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useChangeRole(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(
        await client.PATCH("/api/v1/organizations/{organization_id}/members/{user_id}", {
          params: { path: { organization_id: orgId, user_id: userId } },
          body: { role },
        }),
      ),
    onSuccess: () => invalidate(queryClient),
  });
}

export function useRemoveMember(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      unwrap(
        await client.DELETE("/api/v1/organizations/{organization_id}/members/{user_id}", {
          params: { path: { organization_id: orgId, user_id: userId } },
        }),
      );
    },
    onSuccess: () => invalidate(queryClient),
  });
}
