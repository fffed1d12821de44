import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";

export type Email = Schemas["EmailRead"];
export type EmailCategory = Email["category"];
export type EmailStatus = Email["status"];

export const emailKeys = {
  list: (orgId: string) => ["emails", orgId] as const,
  detail: (orgId: string, emailId: string) => ["emails", orgId, emailId] as const,
};

export function emailsQuery(orgId: string) {
  return infiniteQueryOptions({
    queryKey: emailKeys.list(orgId),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/emails", {
          params: { path: { organization_id: orgId }, query: { cursor: pageParam, limit: 50 } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useEmails(orgId: string) {
  return useInfiniteQuery(emailsQuery(orgId));
}

export function emailQuery(orgId: string, emailId: string) {
  return queryOptions({
    queryKey: emailKeys.detail(orgId, emailId),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/emails/{email_id}", {
          params: { path: { organization_id: orgId, email_id: emailId } },
        }),
      ),
  });
}

export function useEmail(orgId: string, emailId: string) {
  return useQuery(emailQuery(orgId, emailId));
}
