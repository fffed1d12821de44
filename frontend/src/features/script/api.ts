import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { client, type Schemas } from "../../api/client";
import { unwrap } from "../../lib/problem";
import { uploadForm } from "../../lib/upload";

export type Prompt = Schemas["PromptRead"];
export type PromptWrite = Schemas["PromptWrite"];
export type PromptKind = Schemas["PromptKind"];
export type PromptStatus = Schemas["PromptStatus"];
export type Visibility = Schemas["Visibility"];
export type ReleaseKind = Schemas["ReleaseKind"];
export type CloseKind = Schemas["CloseKind"];
export type ReleaseRule = Schemas["ReleaseRule"];
export type CloseRule = Schemas["CloseRule"];
export type Timeline = Schemas["TimelineRead"];
export type TimelineItem = Schemas["TimelineItem"];

export const PROMPT_KINDS: readonly PromptKind[] = ["discussion", "poll", "rating", "diary"];
export const PROMPT_STATUSES: readonly PromptStatus[] = ["draft", "published"];
export const VISIBILITIES: readonly Visibility[] = ["open", "uninfluenced", "private"];
export const RELEASE_KINDS: readonly ReleaseKind[] = ["manual", "at", "after_join", "after_prompt", "when_answer"];
/** Images a prompt can show above its question (re-encoded to PNG by the server). */
export const PROMPT_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export const PROMPT_IMAGE_MAX_BYTES = 4 * 1024 * 1024;
export const CLOSE_KINDS: readonly CloseKind[] = ["never", "at", "after_open", "manual"];

export const scriptKeys = {
  all: ["script"] as const,
  prompts: (spaceId: string) => [...scriptKeys.all, spaceId, "prompts"] as const,
  preview: (spaceId: string, filters?: PreviewFilters) =>
    [...scriptKeys.all, spaceId, "preview", ...(filters ? [filters] : [])] as const,
};

export function promptsQuery(spaceId: string) {
  return queryOptions({
    queryKey: scriptKeys.prompts(spaceId),
    queryFn: async () =>
      unwrap(await client.GET("/api/v1/spaces/{space_id}/prompts", { params: { path: { space_id: spaceId } } })).items,
  });
}

export function usePrompts(spaceId: string) {
  return useQuery(promptsQuery(spaceId));
}

/** Every change to the script refreshes the list and any preview computed from it. */
function useScriptMutation<V, R>(spaceId: string, run: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...scriptKeys.all, spaceId] }),
  });
}

export function useCreatePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async (body: PromptWrite) =>
    unwrap(await client.POST("/api/v1/spaces/{space_id}/prompts", { params: { path: { space_id: spaceId } }, body })),
  );
}

export function useUpdatePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async ({ promptId, body }: { promptId: string; body: PromptWrite }) =>
    unwrap(await client.PUT("/api/v1/prompts/{prompt_id}", { params: { path: { prompt_id: promptId } }, body })),
  );
}

export function useUploadPromptImage(spaceId: string, promptId: string) {
  return useScriptMutation(spaceId, async (file: File) => {
    const form = new FormData();
    form.append("file", file);
    return uploadForm<Prompt>("PUT", `/api/v1/prompts/${encodeURIComponent(promptId)}/image`, form);
  });
}

export function useRemovePromptImage(spaceId: string, promptId: string) {
  return useScriptMutation(spaceId, async () =>
    unwrap(await client.DELETE("/api/v1/prompts/{prompt_id}/image", { params: { path: { prompt_id: promptId } } })),
  );
}

export function useDeletePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async (promptId: string) => {
    unwrap(await client.DELETE("/api/v1/prompts/{prompt_id}", { params: { path: { prompt_id: promptId } } }));
  });
}

export function useDuplicatePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async (promptId: string) =>
    unwrap(await client.POST("/api/v1/prompts/{prompt_id}/duplicate", { params: { path: { prompt_id: promptId } } })),
  );
}

export function useReleasePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async (promptId: string) =>
    unwrap(await client.POST("/api/v1/prompts/{prompt_id}/release", { params: { path: { prompt_id: promptId } } })),
  );
}

export function useClosePrompt(spaceId: string) {
  return useScriptMutation(spaceId, async (promptId: string) =>
    unwrap(await client.POST("/api/v1/prompts/{prompt_id}/close", { params: { path: { prompt_id: promptId } } })),
  );
}

/** Saves a new order; the list is reordered in the cache at once and restored on failure. */
export function useReorderPrompts(spaceId: string) {
  const queryClient = useQueryClient();
  const key = scriptKeys.prompts(spaceId);
  return useMutation({
    mutationFn: async (promptIds: string[]) =>
      unwrap(
        await client.PUT("/api/v1/spaces/{space_id}/prompts/order", {
          params: { path: { space_id: spaceId } },
          body: { prompt_ids: promptIds },
        }),
      ),
    onMutate: async (promptIds) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Prompt[]>(key);
      if (previous) {
        const byId = new Map(previous.map((p) => [p.id, p]));
        queryClient.setQueryData(
          key,
          promptIds.map((id) => byId.get(id)).filter((p): p is Prompt => p !== undefined),
        );
      }
      return { previous };
    },
    onError: (_error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...scriptKeys.all, spaceId] }),
  });
}

/* Preview */

export type PreviewFilters = { participantId?: string; segmentId?: string; at?: string };

export function previewQuery(spaceId: string, filters: PreviewFilters) {
  return queryOptions({
    queryKey: scriptKeys.preview(spaceId, filters),
    queryFn: async () =>
      unwrap(
        await client.GET("/api/v1/spaces/{space_id}/timeline", {
          params: {
            path: { space_id: spaceId },
            query: {
              participant_id: filters.participantId || undefined,
              segment_id: filters.segmentId || undefined,
              // A datetime-local value has no offset: the API reads it in the space's time zone.
              at: filters.at || undefined,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function usePreview(spaceId: string, filters: PreviewFilters) {
  return useQuery(previewQuery(spaceId, filters));
}

/* The script as a document */

export type ScriptDocument = Schemas["ScriptDocument"];

/** The script as YAML text (the API sets the file name; the SPA saves it as a download). */
export async function fetchScriptYaml(spaceId: string): Promise<string> {
  return unwrap(
    await client.GET("/api/v1/spaces/{space_id}/script", {
      params: { path: { space_id: spaceId }, query: { format: "yaml" } },
      parseAs: "text",
    }),
  ) as unknown as string;
}

/** Replaces the script with a file: JSON when it reads as JSON, YAML otherwise. */
export function useImportScript(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (text: string) => {
      const trimmed = text.trimStart();
      if (trimmed.startsWith("{")) {
        let parsed: ScriptDocument | null = null;
        try {
          parsed = JSON.parse(text) as ScriptDocument;
        } catch {
          // Not JSON after all: let the server read it as YAML (JSON is a subset of YAML).
        }
        if (parsed) {
          return unwrap(
            await client.PUT("/api/v1/spaces/{space_id}/script", {
              params: { path: { space_id: spaceId } },
              body: parsed,
            }),
          );
        }
      }
      return unwrap(
        await client.PUT("/api/v1/spaces/{space_id}/script", {
          params: { path: { space_id: spaceId } },
          body: text as unknown as ScriptDocument,
          bodySerializer: (body: unknown) => body as string,
          headers: { "Content-Type": "application/yaml" },
        }),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...scriptKeys.all, spaceId] }),
  });
}

export function useCopyScript(spaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (fromSpaceId: string) =>
      unwrap(
        await client.POST("/api/v1/spaces/{space_id}/script/copy", {
          params: { path: { space_id: spaceId } },
          body: { from_space_id: fromSpaceId },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...scriptKeys.all, spaceId] }),
  });
}
