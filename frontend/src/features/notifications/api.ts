import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { useLivePoll } from "../../lib/live";
import { unwrap } from "../../lib/problem";

export type Notification = Schemas["NotificationRead"];
export type NotificationPage = Schemas["NotificationPage"];
export type Unsubscribed = Schemas["Unsubscribed"];

export const POLL_MS = 30_000;

export const notificationKeys = {
  all: ["notifications"] as const,
};

export const notificationsQuery = infiniteQueryOptions({
  queryKey: notificationKeys.all,
  queryFn: async ({ pageParam }) =>
    unwrap(await client.GET("/api/v1/me/notifications", { params: { query: { cursor: pageParam, limit: 20 } } })),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.next_cursor ?? undefined,
  // The unread count comes with the first page: poll it.
  refetchInterval: POLL_MS,
});

export function useNotifications() {
  const poll = useLivePoll(POLL_MS);
  return useInfiniteQuery({ ...notificationsQuery, refetchInterval: poll });
}

/** Marks read in the cache at once (the badge drops), then refreshes from the server. */
function markInCache(data: InfiniteData<NotificationPage> | undefined, id: string | null, readAt: string) {
  if (!data) return data;
  let dropped = 0;
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((n) => {
      if ((id === null || n.id === id) && n.read_at === null) {
        dropped += 1;
        return { ...n, read_at: readAt };
      }
      return n;
    }),
  }));
  return {
    ...data,
    pages: pages.map((page, index) =>
      index === 0 ? { ...page, unread_count: id === null ? 0 : Math.max(0, page.unread_count - dropped) } : page,
    ),
  };
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string | null) => {
      if (id === null) unwrap(await client.POST("/api/v1/me/notifications/read-all"));
      else
        unwrap(
          await client.POST("/api/v1/me/notifications/{notification_id}/read", {
            params: { path: { notification_id: id } },
          }),
        );
    },
    onMutate: (id) => {
      queryClient.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.all, (data) =>
        markInCache(data, id, new Date().toISOString()),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

/** Public: the signed link of an e-mail stops that space's e-mails for its participant. */
export async function unsubscribe(token: string): Promise<Unsubscribed> {
  return unwrap(await client.POST("/api/v1/unsubscribe", { body: { token } }));
}
