import type { Prompt } from "../src/features/script/api";

export const SPACE_ID = "00000000-0000-0000-0000-0000000000s1";

export function prompt(overrides: Partial<Prompt> & Pick<Prompt, "id" | "title">): Prompt {
  return {
    space_id: SPACE_ID,
    key: overrides.id,
    position: 0,
    kind: "discussion",
    body: "",
    body_html: "",
    image_url: null,
    required: false,
    status: "published",
    visibility: "uninfluenced",
    segment_ids: [],
    poll: null,
    rating: null,
    diary: null,
    release: {
      kind: "manual",
      at: null,
      at_local: null,
      delay_minutes: 0,
      prompt_id: null,
      option_keys: [],
      released_at: null,
    },
    close: { kind: "never", at: null, at_local: null, delay_minutes: 0, closed_at: null },
    response_count: 0,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

export const LAMP = prompt({
  id: "p-lamp",
  title: "The new lamp",
  kind: "poll",
  poll: {
    multiple: false,
    allow_other: true,
    options: [
      { key: "love", label: "I love it" },
      { key: "expensive", label: "Too expensive" },
    ],
  },
});
