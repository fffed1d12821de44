import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { landingAfterSignIn } from "../src/features/participation/api";
import { seriousViolations } from "./axe";
import { json, ME, stubApi } from "./api";
import { renderApp } from "./render";

/* A participant never misses what the brand asks: the brand's questions first on the space
   page and counted on My spaces, a notification that opens on the question, what comes next. */

const SPACE_ID = "00000000-0000-0000-0000-0000000000b1";
const OTHER_ID = "00000000-0000-0000-0000-0000000000b2";
const MY_SPACE = {
  space_id: SPACE_ID,
  participant_id: "p1",
  title: "Club Lumière",
  description_html: "",
  welcome_html: "",
  accent_color: "#8a3b12",
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
const CARD = { ...MY_SPACE, to_do: 2, open_probes: 1, unread_replies: 3 };

const base = {
  key: "k",
  kind: "discussion",
  required: false,
  visibility: "open",
  body_html: "<p>Tell us</p>",
  image_url: null,
  poll: null,
  rating: null,
  diary: null,
  closes_at: null,
  entries_done: 0,
  entries_expected: 1,
  follows_title: null,
  next_entry_at: null,
};
const WELCOME = {
  ...base,
  prompt_id: "q-welcome",
  title: "Welcome",
  state: "answered",
  opens_at: "2025-05-01T08:00:00Z",
};
const LAMP = { ...base, prompt_id: "q-lamp", title: "The lamp", state: "open", opens_at: "2025-05-30T08:00:00Z" };
const DIARY = {
  ...base,
  prompt_id: "q-diary",
  title: "Your evenings",
  kind: "diary",
  diary: { entries: 5, period: "day" },
  state: "open",
  opens_at: "2025-05-30T08:00:00Z",
  entries_expected: 5,
};
const TIMELINE = {
  at: "2025-06-01T08:00:00Z",
  time_zone: "Europe/Paris",
  answered: 1,
  expected: 5,
  items: [
    WELCOME,
    LAMP,
    DIARY,
    { ...base, prompt_id: "q-price", title: "What price?", state: "upcoming", opens_at: null, body_html: null },
    {
      ...base,
      prompt_id: "q-after",
      title: "After the lamp",
      state: "upcoming",
      opens_at: null,
      body_html: null,
      follows_title: "The lamp",
    },
  ],
};
const MY_PROBE = {
  id: "pr1",
  response_id: "r1",
  prompt_id: "q-welcome",
  prompt_title: "Welcome",
  text_html: "<p>Which room is your favourite?</p>",
  visibility: "private",
  status: "open",
  due_at: "2999-01-01T00:00:00Z",
  created_at: "2025-06-01T08:00:00Z",
};
const PROBE = {
  ...MY_PROBE,
  participant_pseudonym: "Rose",
  answered_at: null,
  created_by_name: "Léa",
};
const ANSWER = {
  id: "r1",
  prompt_id: "q-welcome",
  participant_id: "p1",
  author_pseudonym: "Rose",
  mine: true,
  entry_index: 0,
  text: "Hello",
  text_html: "<p>Hello</p>",
  choices: [],
  other_text: null,
  rating: null,
  created_at: "2025-06-01T07:00:00Z",
  updated_at: "2025-06-01T07:00:00Z",
  edited_at: null,
  editable_until: null,
  reply_count: 0,
  brand_replied: false,
  reactions: {},
  my_reactions: [],
};

type Timeline = Omit<typeof TIMELINE, "items"> & { items: Record<string, unknown>[] };
type State = { timeline: Timeline; probes: (typeof MY_PROBE)[]; answers: Record<string, unknown[]> };

function routes(state: State) {
  return {
    "POST /api/v1/auth/refresh": () => json({ access_token: "t", token_type: "bearer", expires_in: 900 }),
    "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
    "GET /api/v1/me/notifications": () =>
      json({
        items: [
          {
            id: "n1",
            kind: "probe",
            title: "The brand asks you a question",
            body: "Which room is your favourite?",
            space_id: SPACE_ID,
            prompt_id: "q-welcome",
            probe_id: "pr1",
            created_at: "2025-06-01T08:00:00Z",
            read_at: null,
          },
        ],
        next_cursor: null,
        unread_count: 1,
      }),
    "POST /api/v1/me/notifications/*/read": () => json({}),
    "GET /api/v1/me/spaces": () => json({ items: [CARD], next_cursor: null }),
    "GET /api/v1/me/spaces/*/timeline": () => json(state.timeline),
    "GET /api/v1/me/spaces/*/participants": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/me/spaces/*/probes": () => json({ items: state.probes, next_cursor: null }),
    "POST /api/v1/me/spaces/*/visit": () => new Response(null, { status: 204 }),
    "GET /api/v1/me/spaces/*": () => json(MY_SPACE),
    "GET /api/v1/prompts/*/responses": (request: Request) =>
      json({
        items: state.answers[new URL(request.url).pathname.split("/")[4] ?? ""] ?? [],
        next_cursor: null,
        aggregate: null,
        hidden_until_answered: false,
      }),
    "GET /api/v1/responses/*/probes": () => json(state.probes.length > 0 ? [PROBE] : []),
    "GET /api/v1/responses/*/replies": () => json({ items: [], next_cursor: null }),
  };
}

const fresh = (): State => ({ timeline: TIMELINE, probes: [MY_PROBE], answers: { "q-welcome": [ANSWER] } });

describe("what awaits a participant", () => {
  it("puts the brand's question first on the space page, with a link straight to it", async () => {
    stubApi(routes(fresh()));
    renderApp(`/me/spaces/${SPACE_ID}`);
    const asked = await screen.findByRole("region", { name: "The brand asked you something" });
    expect(within(asked).getByText("Which room is your favourite?")).toBeInTheDocument();
    expect(within(asked).getByRole("link", { name: "Answer, about “Welcome”" })).toHaveAttribute(
      "href",
      `/me/spaces/${SPACE_ID}/prompts/q-welcome#probe-pr1`,
    );
    const regions = screen.getAllByRole("region").map((region) => region.getAttribute("aria-labelledby"));
    expect(regions[0]).toBe(asked.getAttribute("aria-labelledby"));
    // The answered prompt the brand asked about is not silently "Done".
    const done = screen.getByRole("region", { name: "Done" });
    expect(within(done).getByText("The brand asked you something")).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("shows no such section once every question is answered", async () => {
    stubApi(routes({ ...fresh(), probes: [] }));
    renderApp(`/me/spaces/${SPACE_ID}`);
    const done = await screen.findByRole("region", { name: "Done" });
    expect(within(done).getByRole("link", { name: "Welcome" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "The brand asked you something" })).not.toBeInTheDocument();
    expect(within(done).queryByText("The brand asked you something")).not.toBeInTheDocument();
  });

  it("lists under Coming next what surely comes, not what may never", async () => {
    stubApi(routes(fresh()));
    renderApp(`/me/spaces/${SPACE_ID}`);
    const next = await screen.findByRole("region", { name: "Coming next" });
    expect(within(next).getByText("After the lamp")).toBeInTheDocument();
    expect(within(next).getByText(/Opens once you answer “The lamp”/)).toBeInTheDocument();
    expect(screen.queryByText("What price?")).not.toBeInTheDocument();
  });

  it("counts on each card what awaits me, in French too", async () => {
    stubApi(routes(fresh()));
    const { unmount } = renderApp("/me/spaces");
    const list = await screen.findByRole("list", { name: "What awaits you" });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["1 question from the brand", "2 to do", "3 new replies"]);
    expect(await seriousViolations()).toEqual([]);
    unmount();
    renderApp("/me/spaces", "fr");
    const french = await screen.findByRole("list", { name: "Ce qui vous attend" });
    expect(within(french).getByText("1 question de la marque")).toBeInTheDocument();
  });

  it("opens the notification of a question on the question itself", async () => {
    stubApi(routes(fresh()));
    const { history } = renderApp(`/me/spaces/${SPACE_ID}`);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    const link = screen.getByRole("link", { name: "The brand asks you a question" });
    expect(link).toHaveAttribute("href", `/me/spaces/${SPACE_ID}/prompts/q-welcome#probe-pr1`);
    await userEvent.click(link);
    await waitFor(() => expect(history.location.hash).toBe("#probe-pr1"));
    const probe = await screen.findByRole("region", { name: "The brand asks you" });
    await waitFor(() => expect(probe).toHaveFocus());
    expect(probe).toHaveAttribute("id", "probe-pr1");
  });

  it("offers the next prompt once one is answered", async () => {
    stubApi(routes(fresh()));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-welcome`);
    const next = await screen.findByRole("region", { name: "Thank you for your answer" });
    expect(within(next).getByRole("link", { name: "Next: The lamp" })).toHaveAttribute(
      "href",
      `/me/spaces/${SPACE_ID}/prompts/q-lamp`,
    );
  });

  it("says everything is answered when nothing else is to do", async () => {
    stubApi(routes({ ...fresh(), timeline: { ...TIMELINE, items: [WELCOME] } }));
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-welcome`);
    const next = await screen.findByRole("region", { name: "Thank you for your answer" });
    expect(within(next).getByText("You have answered everything for now. Thank you!")).toBeInTheDocument();
    expect(within(next).getByRole("link", { name: "Back to Club Lumière" })).toBeInTheDocument();
  });

  it("confirms a diary entry with the count instead of an empty form", async () => {
    const written = { ...DIARY, entries_done: 1, next_entry_at: "2025-06-02T08:00:00Z" };
    const entry = { ...ANSWER, id: "r2", prompt_id: "q-diary", text: "Day one", text_html: "<p>Day one</p>" };
    stubApi(
      routes({
        ...fresh(),
        timeline: { ...TIMELINE, items: [WELCOME, LAMP, written] },
        answers: { "q-diary": [entry] },
      }),
    );
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-diary`, "fr");
    const saved = await screen.findByRole("region", { name: "Votre entrée est enregistrée" });
    expect(within(saved).getByText(/^1 entrées? sur 5$/)).toBeInTheDocument();
    expect(within(saved).getByText(/Revenez à partir du 2 juin 2025/)).toBeInTheDocument();
    expect(within(saved).getByRole("link", { name: "Suivant : The lamp" })).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("signs someone in straight into their space when they have exactly one", async () => {
    expect(landingAfterSignIn(false, [SPACE_ID])).toBe(`/me/spaces/${SPACE_ID}`);
    expect(landingAfterSignIn(true, [SPACE_ID])).toBe(`/me/spaces/${SPACE_ID}`);
    expect(landingAfterSignIn(false, [SPACE_ID, OTHER_ID])).toBe("/me/spaces");
    expect(landingAfterSignIn(false, [])).toBe("/me/spaces");
    expect(landingAfterSignIn(true, [])).toBe("/");

    stubApi({
      ...routes(fresh()),
      "POST /api/v1/auth/magic-link/consume": () =>
        json({ access_token: "tok-magic", token_type: "bearer", expires_in: 900 }),
    });
    const { history } = renderApp("/sign-in/link#token=abc-123");
    expect(await screen.findByRole("heading", { level: 1, name: "Club Lumière" })).toBeInTheDocument();
    expect(history.location.pathname).toBe(`/me/spaces/${SPACE_ID}`);
  });
});
