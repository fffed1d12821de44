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
import { setAccessToken } from "../../lib/session";
import { uploadForm, type UploadProgress } from "../../lib/upload";

export type Invitation = Schemas["InvitationRead"];
export type InvitationStatus = Invitation["status"];
export type PublicInvitation = Schemas["PublicInvitationRead"];
export type InvitationAccept = Schemas["InvitationAccept"];
export type InvitationAccepted = Schemas["InvitationAccepted"];
export type ImportPreview = Schemas["ImportPreview"];
export type ImportRow = Schemas["ImportRow"];
export type ImportRowStatus = ImportRow["status"];
export type ImportReasonCode = NonNullable<ImportRow["reason_code"]>;
export type ImportCommitted = Schemas["ImportCommitted"];
export type Role = Schemas["Role"];

export const INVITATION_STATUSES: readonly InvitationStatus[] = ["pending", "accepted", "revoked", "expired"];
export const IMPORT_STATUSES: readonly ImportRowStatus[] = [
  "ok",
  "duplicate",
  "already_participant",
  "already_invited",
  "invalid",
];
export const CSV_MAX_BYTES = 2 * 1024 * 1024;

const PAGE_SIZE = 50;

export const invitationKeys = {
  all: ["invitations"] as const,
  space: (spaceId: string, status?: InvitationStatus) =>
    [...invitationKeys.all, "space", spaceId, ...(status ? [status] : [])] as const,
  staff: (orgId: string, status?: InvitationStatus) =>
    [...invitationKeys.all, "staff", orgId, ...(status ? [status] : [])] as const,
  public: (token: string) => ["public-invitation", token] as const,
};

export function spaceInvitationsQuery(spaceId: string, status?: InvitationStatus) {
  return infiniteQueryOptions({
    queryKey: invitationKeys.space(spaceId, status),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/spaces/{space_id}/invitations", {
          params: { path: { space_id: spaceId }, query: { cursor: pageParam, limit: PAGE_SIZE, status } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useSpaceInvitations(spaceId: string, status?: InvitationStatus) {
  return useInfiniteQuery(spaceInvitationsQuery(spaceId, status));
}

export function staffInvitationsQuery(orgId: string, status?: InvitationStatus) {
  return infiniteQueryOptions({
    queryKey: invitationKeys.staff(orgId, status),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await client.GET("/api/v1/organizations/{organization_id}/invitations", {
          params: { path: { organization_id: orgId }, query: { cursor: pageParam, limit: PAGE_SIZE, status } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export function useStaffInvitations(orgId: string, status?: InvitationStatus) {
  return useInfiniteQuery(staffInvitationsQuery(orgId, status));
}

function useInvitationMutation<V, R>(run: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.all }),
  });
}

export function useInviteParticipant(spaceId: string) {
  return useInvitationMutation(async (body: Schemas["InvitationCreate"]) =>
    unwrap(
      await client.POST("/api/v1/spaces/{space_id}/invitations", { params: { path: { space_id: spaceId } }, body }),
    ),
  );
}

export function useInviteStaff(orgId: string) {
  return useInvitationMutation(async (body: Schemas["StaffInvitationCreate"]) =>
    unwrap(
      await client.POST("/api/v1/organizations/{organization_id}/invitations", {
        params: { path: { organization_id: orgId } },
        body,
      }),
    ),
  );
}

export function useRevokeInvitation() {
  return useInvitationMutation(async (invitationId: string) =>
    unwrap(
      await client.POST("/api/v1/invitations/{invitation_id}/revoke", {
        params: { path: { invitation_id: invitationId } },
      }),
    ),
  );
}

export function useResendInvitation() {
  return useInvitationMutation(async (invitationId: string) =>
    unwrap(
      await client.POST("/api/v1/invitations/{invitation_id}/resend", {
        params: { path: { invitation_id: invitationId } },
      }),
    ),
  );
}

/* CSV import: upload (with progress) → preview → commit */

export function usePreviewImport(spaceId: string) {
  return useMutation({
    mutationFn: async ({ file, onProgress }: { file: File; onProgress: (progress: UploadProgress) => void }) => {
      const form = new FormData();
      form.append("file", file);
      return uploadForm<ImportPreview>(
        "POST",
        `/api/v1/spaces/${encodeURIComponent(spaceId)}/invitations/import`,
        form,
        onProgress,
      );
    },
  });
}

export function useCommitImport(spaceId: string) {
  return useInvitationMutation(async (importId: string) =>
    unwrap(
      await client.POST("/api/v1/spaces/{space_id}/invitations/import/{import_id}/commit", {
        params: { path: { space_id: spaceId, import_id: importId } },
      }),
    ),
  );
}

/** Counts per row status, computed from the rows (every status present, zero when absent). */
export function countRows(rows: readonly ImportRow[]): Record<ImportRowStatus, number> {
  const counts = Object.fromEntries(IMPORT_STATUSES.map((status) => [status, 0])) as Record<ImportRowStatus, number>;
  for (const row of rows) counts[row.status] += 1;
  return counts;
}

/* Public side: the invitation link */

export function publicInvitationQuery(token: string) {
  return queryOptions({
    queryKey: invitationKeys.public(token),
    queryFn: async () => unwrap(await client.GET("/api/v1/invitations/{token}", { params: { path: { token } } })),
    retry: false,
    staleTime: Infinity,
  });
}

export function usePublicInvitation(token: string) {
  return useQuery(publicInvitationQuery(token));
}

/** Accepting as a newcomer signs the new account in: keep its token in memory like login does. */
export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: InvitationAccept) => {
      const accepted = unwrap(await client.POST("/api/v1/invitations/{token}", { params: { path: { token } }, body }));
      if (accepted.access_token) setAccessToken(accepted.access_token);
      return accepted;
    },
    onSuccess: () => queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "public-invitation" }),
  });
}

/* Join form validation (mirrors the API's limits, so mistakes show before sending) */

export type JoinValues = { pseudonym: string; password: string; displayName: string; acceptTerms: boolean };
export type JoinErrors = Partial<Record<keyof JoinValues, "required" | "too_short" | "too_long">>;

export type JoinNeeds = { pseudonym: boolean; terms: boolean; password: boolean; displayName?: boolean };

export function validateJoin(values: JoinValues, needs: JoinNeeds): JoinErrors {
  const errors: JoinErrors = {};
  const pseudonym = values.pseudonym.trim();
  if (needs.pseudonym) {
    if (pseudonym === "") errors.pseudonym = "required";
    else if ([...pseudonym].length < 2) errors.pseudonym = "too_short";
    else if ([...pseudonym].length > 40) errors.pseudonym = "too_long";
  }
  if (needs.password && values.password !== "" && values.password.length < 10) errors.password = "too_short";
  if (values.displayName.trim().length > 120) errors.displayName = "too_long";
  if (needs.terms && !values.acceptTerms) errors.acceptTerms = "required";
  return errors;
}

export function joinBody(values: JoinValues, needs: JoinNeeds): InvitationAccept {
  return {
    pseudonym: needs.pseudonym ? values.pseudonym.trim() : null,
    display_name: needs.displayName === false ? null : values.displayName.trim() || null,
    password: needs.password && values.password ? values.password : null,
    accept_terms: needs.terms ? values.acceptTerms : true,
  };
}
