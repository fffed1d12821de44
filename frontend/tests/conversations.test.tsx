import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { ReactionBar } from "../src/features/conversations/components/Reactions";
import { seriousViolations } from "./axe";
import { json, problem, stubApi } from "./api";
import { renderApp } from "./render";
import { renderWithProviders } from "./wrap";
import { ME } from "./api";

const SPACE_ID = "00000000-0000-0000-0000-0000000000b1";
const MY_SPACE = {
  space_id: SPACE_ID,
  participant_id: "p1",
  title: "Club Lumière",
  description_html: "",
  welcome_html: "",
  accent_color: "#3446b0",
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
const TIMELINE = {
  at: "2025-06-01T08:00:00Z",
  time_zone: "Europe/Paris",
  answered: 1,
  expected: 1,
  items: [
    {
      key: "k",
      kind: "discussion",
      required: true,
      closes_at: null,
      entries_done: 1,
      entries_expected: 1,
      prompt_id: "q-welcome",
      title: "Welcome",
      state: "answered",
      opens_at: "2025-05-01T08:00:00Z",
    },
  ],
};
const MINE = {
  id: "r1",
  prompt_id: "q-welcome",
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
  editable_until: null,
  reply_count: 0,
  brand_replied: false,
  reactions: { heart: 2 },
  my_reactions: [],
};
const PROBE = {
  id: "probe-1",
  response_id: "r1",
  prompt_id: "q-welcome",
  participant_pseudonym: "Rose",
  text_html: "<p>Which lamp did you buy first?</p>",
  visibility: "private",
  status: "open",
  due_at: "2999-01-01T00:00:00Z",
  answered_at: null,
  created_by_name: "Léa Martin",
  created_at: "2025-06-01T09:00:00Z",
};

describe("reactions", () => {
  it("toggles a reaction: pressed state and count follow the server", async () => {
    const sent: unknown[] = [];
    stubApi({
      "POST /api/v1/responses/*/reactions": async (request) => {
        sent.push(await request.json());
        return json({ kind: "heart", active: true, count: 3 });
      },
    });
    renderWithProviders(<ReactionBar target={{ kind: "response", id: "r1" }} reactions={{ heart: 2 }} mine={[]} />);
    const heart = screen.getByRole("button", { name: "Heart, 2" });
    expect(heart).toHaveAttribute("aria-pressed", "false");
    // Unused reactions wait in the picker, behind "+".
    expect(screen.queryByRole("button", { name: "Thumbs up, 0" })).not.toBeInTheDocument();
    await userEvent.click(heart);
    expect(await screen.findByRole("button", { name: "Heart, 3" })).toHaveAttribute("aria-pressed", "true");
    expect(sent).toEqual([{ kind: "heart" }]);
  });

  it("shows only the used reactions, as drawn icons, and a + that adds one from a picker", async () => {
    const sent: unknown[] = [];
    stubApi({
      "POST /api/v1/responses/*/reactions": async (request) => {
        sent.push(await request.json());
        return json({ kind: "idea", active: true, count: 1 });
      },
    });
    const { container } = renderWithProviders(
      <ReactionBar target={{ kind: "response", id: "r1" }} reactions={{ heart: 2, thumbs_up: 0 }} mine={[]} />,
    );
    const group = screen.getByRole("group", { name: "Reactions" });
    expect(
      within(group)
        .getAllByRole("button")
        .map((b) => b.getAttribute("aria-label")),
    ).toEqual(["Heart, 2", "Add a reaction"]);
    // Icons are SVG, never emoji glyphs (empty boxes without an emoji font).
    expect(container.querySelector('svg[data-reaction="heart"]')).not.toBeNull();
    expect(group.textContent).not.toMatch(/\p{Extended_Pictographic}/u);

    const add = screen.getByRole("button", { name: "Add a reaction" });
    await userEvent.click(add);
    expect(add).toHaveAttribute("aria-expanded", "true");
    const picker = screen.getByRole("group", { name: "Choose a reaction" });
    expect(
      within(picker)
        .getAllByRole("button")
        .map((b) => b.getAttribute("aria-label")),
    ).toEqual(["Thumbs up", "Idea", "Thinking"]);
    expect(within(picker).getByRole("button", { name: "Thumbs up" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("group", { name: "Choose a reaction" })).not.toBeInTheDocument();
    expect(add).toHaveFocus();

    await userEvent.click(add);
    await userEvent.click(
      within(screen.getByRole("group", { name: "Choose a reaction" })).getByRole("button", { name: "Idea" }),
    );
    const idea = await screen.findByRole("button", { name: "Idea, 1" });
    expect(idea).toHaveAttribute("aria-pressed", "true");
    expect(idea).toHaveFocus();
    expect(sent).toEqual([{ kind: "idea" }]);
  });

  it("hides the + once every reaction is used", () => {
    renderWithProviders(
      <ReactionBar
        target={{ kind: "response", id: "r1" }}
        reactions={{ heart: 1, thumbs_up: 1, idea: 1, thinking: 1 }}
        mine={["heart"]}
      />,
    );
    expect(screen.getAllByRole("button")).toHaveLength(4);
    expect(screen.getByRole("button", { name: "Heart, 1" })).toHaveAttribute("aria-pressed", "true");
  });

  it("restores the previous state and explains a refusal", async () => {
    stubApi({ "POST /api/v1/replies/*/reactions": () => problem(403, "forbidden") });
    renderWithProviders(<ReactionBar target={{ kind: "reply", id: "x1" }} reactions={{ idea: 1 }} mine={["idea"]} />);
    await userEvent.click(screen.getByRole("button", { name: "Idea, 1" }));
    expect(await screen.findByText("You are not allowed to do this.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Idea, 1" })).toHaveAttribute("aria-pressed", "true");
  });

  it("shows counts without buttons when the viewer cannot react", () => {
    renderWithProviders(
      <ReactionBar target={{ kind: "response", id: "r1" }} reactions={{ heart: 2 }} mine={[]} readOnly />,
    );
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Reactions" })).toHaveTextContent("Heart, 2");
  });
});

function participantRoutes(state: { answered: boolean; sent?: unknown; conflict?: boolean }) {
  return {
    "POST /api/v1/auth/refresh": () => json({ access_token: "t", token_type: "bearer", expires_in: 900 }),
    "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
    "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread_count: 0 }),
    "GET /api/v1/me/spaces/*/timeline": () => json(TIMELINE),
    "GET /api/v1/me/spaces/*": () => json(MY_SPACE),
    "GET /api/v1/prompts/*/responses": () =>
      json({ items: [MINE], next_cursor: null, aggregate: null, hidden_until_answered: false }),
    "GET /api/v1/responses/*/probes": () =>
      json([{ ...PROBE, ...(state.answered ? { status: "answered", answered_at: "2025-06-01T10:00:00Z" } : {}) }]),
    "GET /api/v1/responses/*/replies": () => json({ items: [], next_cursor: null }),
    "POST /api/v1/probes/*/answer": async (request: Request) => {
      if (state.conflict) return problem(409, "probe.answered");
      state.sent = await request.json();
      state.answered = true;
      return json(
        {
          id: "reply-1",
          response_id: "r1",
          author_kind: "participant",
          author_name: "Rose",
          author_role: null,
          mine: true,
          text_html: "<p>The Opaline</p>",
          private: true,
          probe_id: "probe-1",
          reactions: {},
          my_reactions: [],
          created_at: "2025-06-01T10:00:00Z",
          edited_at: null,
        },
        201,
      );
    },
  };
}

describe("participant probes", () => {
  it("shows a private probe under my answer and answers it in place", async () => {
    const state: { answered: boolean; sent?: unknown } = { answered: false };
    stubApi(participantRoutes(state));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-welcome`);
    const notice = await screen.findByRole("region", { name: "The brand asks you" });
    expect(within(notice).getByText("Which lamp did you buy first?")).toBeInTheDocument();
    expect(within(notice).getByText("Only you and the brand see this")).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
    const submit = within(notice).getByRole("button", { name: "Answer" });
    expect(submit).toBeDisabled();
    await userEvent.type(within(notice).getByRole("textbox", { name: "Your answer to the brand" }), "The Opaline");
    await userEvent.click(submit);
    expect(state.sent).toEqual({ text: "The Opaline" });
    expect(await screen.findByText("Thank you, your answer was sent to the brand.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("region", { name: "The brand asks you" })).not.toBeInTheDocument());
  });

  it("explains readably when the probe was already answered", async () => {
    stubApi(participantRoutes({ answered: false, conflict: true }));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-welcome`);
    const notice = await screen.findByRole("region", { name: "The brand asks you" });
    await userEvent.type(within(notice).getByRole("textbox", { name: "Your answer to the brand" }), "Again");
    await userEvent.click(within(notice).getByRole("button", { name: "Answer" }));
    expect(await within(notice).findByRole("alert")).toHaveTextContent("You already answered this question.");
  });

  it("expands the thread from the reply count", async () => {
    stubApi(participantRoutes({ answered: true }));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-welcome`);
    const toggle = await screen.findByRole("button", { name: "Reply" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const thread = await screen.findByRole("region", { name: "Replies to Rose" });
    expect(within(thread).getByText("The brand asks you")).toBeInTheDocument();
    expect(within(thread).getByRole("textbox", { name: "Your reply" })).toBeInTheDocument();
  });
});
