import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { seriousViolations } from "./axe";
import { json, ME } from "./api";
import { stubApi } from "./api";
import { renderApp } from "./render";

const SPACE_ID = "00000000-0000-0000-0000-0000000000b1";
const MY_SPACE = {
  space_id: SPACE_ID,
  participant_id: "p1",
  title: "Club Lumière",
  description_html: "",
  welcome_html: "",
  accent_color: "#f5d547",
  logo_url: null,
  language: "en",
  space_status: "open",
  organization_name: "Maison Lumière",
  pseudonym: "Rose",
  status: "active",
  email_notifications: "immediate",
  segments: [],
  joined_at: "2025-01-01T00:00:00Z",
};
const base = { key: "k", kind: "discussion", required: true, closes_at: null, entries_done: 0, entries_expected: 1 };
const TIMELINE = {
  at: "2025-06-01T08:00:00Z",
  time_zone: "Europe/Paris",
  answered: 1,
  expected: 3,
  items: [
    { ...base, prompt_id: "q-open", title: "Your first impressions", state: "open", opens_at: "2025-05-30T08:00:00Z" },
    { ...base, prompt_id: "q-done", title: "Welcome", state: "answered", opens_at: "2025-05-01T08:00:00Z" },
    { ...base, prompt_id: "q-next", title: "The new lamp", state: "upcoming", opens_at: "2025-06-03T07:00:00Z" },
  ],
};
const MINE = {
  id: "r1",
  prompt_id: "q-open",
  participant_id: "p1",
  author_pseudonym: "Rose",
  mine: true,
  entry_index: 0,
  text: "Lovely",
  text_html: "<p>Lovely</p>",
  choices: [],
  other_text: null,
  rating: null,
  created_at: "2025-06-01T08:00:00Z",
  updated_at: "2025-06-01T08:00:00Z",
  edited_at: null,
  editable_until: "2999-01-01T00:00:00Z",
};

function routes(state: { answered: boolean; sent?: unknown }) {
  return {
    "POST /api/v1/auth/refresh": () => json({ access_token: "t", token_type: "bearer", expires_in: 900 }),
    "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
    "GET /api/v1/me/notifications": () =>
      json({
        items: [
          {
            id: "n1",
            kind: "prompt.released",
            title: "Your first impressions",
            body: "A new question is waiting for you.",
            space_id: SPACE_ID,
            prompt_id: "q-open",
            created_at: "2025-06-01T08:00:00Z",
            read_at: null,
          },
        ],
        next_cursor: null,
        unread_count: 1,
      }),
    "GET /api/v1/me/spaces/*/timeline": () => json(TIMELINE),
    "GET /api/v1/me/spaces/*/participants": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/me/spaces/*": () => json(MY_SPACE),
    "GET /api/v1/prompts/*/responses": () =>
      json({
        items: state.answered ? [MINE] : [],
        next_cursor: null,
        aggregate: null,
        hidden_until_answered: !state.answered,
      }),
    "POST /api/v1/prompts/*/responses": async (request: Request) => {
      state.sent = await request.json();
      state.answered = true;
      return json(MINE, 201);
    },
  };
}

describe("participant space", () => {
  it("groups prompts into To do now, Coming next and Done with the progress", async () => {
    stubApi(routes({ answered: false }));
    renderApp(`/me/spaces/${SPACE_ID}`);
    const todo = await screen.findByRole("region", { name: "To do now" });
    expect(within(todo).getByRole("link", { name: "Your first impressions" })).toBeInTheDocument();
    const next = screen.getByRole("region", { name: "Coming next" });
    expect(within(next).getByText(/Opens on 3 Jun 2025, 09:00/)).toBeInTheDocument();
    expect(
      within(screen.getByRole("region", { name: "Done" })).getByRole("link", { name: "Welcome" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Your progress: 1 of 3 answered" })).toHaveValue(1);
    expect(await screen.findByRole("button", { name: "Notifications, 1 unread" })).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("answers a discussion, then shows my answer with an edit button", async () => {
    const state: { answered: boolean; sent?: unknown } = { answered: false };
    stubApi(routes(state));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-open`);
    expect(await screen.findByRole("heading", { level: 1, name: "Your first impressions" })).toBeInTheDocument();
    expect(await screen.findByText("Answer first to see the others’ answers.")).toBeInTheDocument();
    await userEvent.type(screen.getByRole("textbox", { name: "Your answer" }), "Lovely");
    await userEvent.click(screen.getByRole("button", { name: "Send my answer" }));
    expect(state.sent).toEqual({ text: "Lovely" });
    const mine = await screen.findByRole("region", { name: "My answer" });
    expect(within(mine).getByText("Lovely")).toBeInTheDocument();
    expect(within(mine).getByRole("button", { name: "Edit my answer" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Send my answer" })).not.toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("tells the brand I came when I open the space or one of its prompts", async () => {
    const visits: string[] = [];
    const visit = (request: Request) => {
      visits.push(`${request.method} ${new URL(request.url).pathname}`);
      return new Response(null, { status: 204 });
    };
    stubApi({ ...routes({ answered: false }), "POST /api/v1/me/spaces/*/visit": visit });
    const spacePage = renderApp(`/me/spaces/${SPACE_ID}`);
    await screen.findByRole("region", { name: "To do now" });
    await waitFor(() => expect(visits).toEqual([`POST /api/v1/me/spaces/${SPACE_ID}/visit`]));

    spacePage.unmount();
    visits.length = 0;
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-open`);
    await waitFor(() => expect(visits).toEqual([`POST /api/v1/me/spaces/${SPACE_ID}/visit`]));
  });

  it("lists notifications from the bell with a link to the prompt", async () => {
    stubApi(routes({ answered: false }));
    renderApp(`/me/spaces/${SPACE_ID}`);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    const panel = screen.getByRole("region", { name: "Notifications" });
    expect(within(panel).getByRole("link", { name: "Your first impressions" })).toHaveAttribute(
      "href",
      `/me/spaces/${SPACE_ID}/prompts/q-open`,
    );
    expect(within(panel).getByRole("button", { name: "Mark all as read" })).toBeInTheDocument();
  });
});
