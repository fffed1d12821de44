import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { seriousViolations } from "./axe";
import { ACME, json, ME, problem, studioRoutes, stubApi } from "./api";
import { prompt, SPACE_ID } from "./fixtures";
import { renderApp } from "./render";

const SPACE = {
  id: SPACE_ID,
  organization_id: ACME.id,
  title: "Club Lumière",
  description: "",
  description_html: "",
  objective: "product_feedback",
  language: "en",
  time_zone: "Europe/Paris",
  welcome_message: "",
  welcome_html: "",
  terms: "",
  terms_version: 1,
  status: "open",
  invitation_ttl_days: 14,
  participant_count: 3,
  accent_color: "#3446b0",
  logo_url: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
};
const WELCOME = prompt({
  id: "q-welcome",
  title: "Welcome",
  release: {
    kind: "manual",
    at: null,
    at_local: null,
    delay_minutes: 0,
    prompt_id: null,
    option_keys: [],
    released_at: "2025-05-01T08:00:00Z",
  },
});
const VIP = { id: "seg-vip", name: "VIP" };
function participant(id: string, pseudonym: string, segmentIds: string[]) {
  return {
    id,
    user_id: `u-${id}`,
    pseudonym,
    email: `${id}@example.com`,
    segment_ids: segmentIds,
    status: "active",
    joined_at: "2025-01-01T00:00:00Z",
    last_seen_at: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  };
}
const PARTICIPANTS = [
  participant("p-rose", "Rose", [VIP.id]),
  participant("p-jules", "Jules", []),
  participant("p-ines", "Inès", []),
];
function answer(id: string, who: string, pseudonym: string, at: string, brandReplied: boolean) {
  return {
    id,
    prompt_id: WELCOME.id,
    participant_id: who,
    author_pseudonym: pseudonym,
    mine: false,
    entry_index: 0,
    text: `Hello from ${pseudonym}`,
    text_html: `<p>Hello from ${pseudonym}</p>`,
    choices: [],
    other_text: null,
    rating: null,
    created_at: at,
    updated_at: at,
    edited_at: null,
    editable_until: null,
    reply_count: brandReplied ? 1 : 0,
    brand_replied: brandReplied,
    reactions: {},
    my_reactions: [],
  };
}
const ANSWERS = [
  answer("r-rose", "p-rose", "Rose", "2025-06-01T09:00:00Z", false),
  answer("r-jules", "p-jules", "Jules", "2025-06-01T10:00:00Z", true),
];

function routes(role: "owner" | "observer", calls: string[] = [], reminded = 1) {
  let waiting = [{ participant_id: "p-ines", pseudonym: "Inès" }];
  return {
    ...studioRoutes,
    "GET /api/v1/me": () => json({ ...ME, memberships: [{ ...ME.memberships[0], role }] }),
    "GET /api/v1/spaces/*": () => json(SPACE),
    "GET /api/v1/spaces/*/prompts": () =>
      json({ items: [WELCOME, prompt({ id: "q-draft", title: "Draft", status: "draft" })] }),
    "GET /api/v1/spaces/*/segments": () =>
      json({
        items: [
          {
            ...VIP,
            space_id: SPACE_ID,
            participant_count: 1,
            created_at: "2025-01-01T00:00:00Z",
            updated_at: "2025-01-01T00:00:00Z",
          },
        ],
        next_cursor: null,
      }),
    "GET /api/v1/spaces/*/participants": () => json({ items: PARTICIPANTS, next_cursor: null }),
    "GET /api/v1/spaces/*/probes": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/prompts/*/responses": () =>
      json({ items: ANSWERS, next_cursor: null, aggregate: null, hidden_until_answered: false }),
    "GET /api/v1/responses/*/replies": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/responses/*/probes": () => json([]),
    "GET /api/v1/responses/*/notes": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/prompts/*/waiting": () => json(waiting),
    "POST /api/v1/prompts/*/nudge": (request: Request) => {
      calls.push(`nudge ${new URL(request.url).pathname}`);
      const result = { waiting: waiting.length, reminded };
      waiting = [];
      return json(result);
    },
    "POST /api/v1/responses/*/reactions": async (request: Request) => {
      calls.push(`reaction ${JSON.stringify(await request.json())}`);
      return json({ kind: "heart", active: true, count: 1 });
    },
  };
}

const feedItems = () => screen.getAllByRole("article", { name: /^Answer by / });

describe("animator console", () => {
  it("lists the latest answers newest first and filters those the brand has not replied to", async () => {
    stubApi(routes("owner"));
    renderApp(`/spaces/${SPACE_ID}?tab=console`);
    expect(await screen.findByRole("tab", { name: "Console", selected: true })).toBeInTheDocument();
    await screen.findByRole("article", { name: "Answer by Rose to Welcome" });
    expect(feedItems().map((a) => a.getAttribute("aria-label"))).toEqual([
      "Answer by Jules to Welcome",
      "Answer by Rose to Welcome",
    ]);
    await userEvent.click(screen.getByRole("checkbox", { name: "Not yet replied by the brand" }));
    expect(feedItems()).toHaveLength(1);
    expect(within(feedItems()[0]!).getByText("Not yet replied")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("checkbox", { name: "Not yet replied by the brand" }));
    await userEvent.selectOptions(screen.getAllByRole("combobox", { name: "Segment" })[0]!, "VIP");
    expect(feedItems().map((a) => a.getAttribute("aria-label"))).toEqual(["Answer by Rose to Welcome"]);
    const side = screen.getByRole("region", { name: "Who has not answered yet" });
    expect(await within(side).findByText("Inès")).toBeInTheDocument();
    expect(within(side).getByText("1 has not answered")).toBeInTheDocument();
    expect(within(side).getByRole("button", { name: "Nudge: Welcome" })).toBeEnabled();
    expect(screen.getByRole("region", { name: "Keyboard shortcuts" })).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("nudges those still waiting, then refreshes who has not answered", async () => {
    const calls: string[] = [];
    stubApi(routes("owner", calls));
    renderApp(`/spaces/${SPACE_ID}?tab=console`);
    const side = await screen.findByRole("region", { name: "Who has not answered yet" });
    expect(await within(side).findByText("Inès")).toBeInTheDocument();
    const nudge = within(side).getByRole("button", { name: "Nudge: Welcome" });
    expect(nudge).toHaveTextContent(/^Nudge$/);
    await userEvent.click(nudge);
    // Nothing leaves before the count of people is confirmed.
    const confirm = await screen.findByRole("dialog", { name: "Remind 1 person?" });
    expect(calls).toEqual([]);
    await userEvent.click(within(confirm).getByRole("button", { name: "Send the reminder" }));
    expect(await screen.findByText("Reminder sent to 1 person.")).toBeInTheDocument();
    expect(calls).toEqual([`nudge /api/v1/prompts/${WELCOME.id}/nudge`]);
    expect(await within(side).findByText("Everyone has answered.")).toBeInTheDocument();
    expect(within(side).queryByText("Inès")).not.toBeInTheDocument();
    expect(within(side).getByRole("button", { name: "Nudge: Welcome" })).toBeDisabled();
    expect(await seriousViolations()).toEqual([]);
  });

  it("says so when everyone waiting was already reminded today", async () => {
    stubApi(routes("owner", [], 0));
    renderApp(`/spaces/${SPACE_ID}?tab=console`, "fr");
    const nudge = await screen.findByRole("button", { name: "Relancer : Welcome" });
    await waitFor(() => expect(nudge).toBeEnabled());
    await userEvent.click(nudge);
    const confirm = await screen.findByRole("dialog", { name: "Relancer 1 personne ?" });
    await userEvent.click(within(confirm).getByRole("button", { name: "Annuler" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await userEvent.click(nudge);
    await userEvent.click(
      within(await screen.findByRole("dialog", { name: "Relancer 1 personne ?" })).getByRole("button", {
        name: "Envoyer le rappel",
      }),
    );
    expect(
      await screen.findByText("Toutes les personnes en attente ont déjà été relancées aujourd’hui."),
    ).toBeInTheDocument();
  });

  it("acts on the focused answer by keystroke, never while typing in a field", async () => {
    const calls: string[] = [];
    stubApi(routes("owner", calls));
    renderApp(`/spaces/${SPACE_ID}?tab=console`);
    const rose = await screen.findByRole("article", { name: "Answer by Rose to Welcome" });
    rose.focus();
    await userEvent.keyboard("r");
    const reply = within(rose).getByRole("textbox", { name: "Your reply to Rose" });
    expect(reply).toHaveFocus();
    expect(reply).toHaveValue("");
    await userEvent.type(reply, "rpP1n");
    expect(reply).toHaveValue("rpP1n");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(within(rose).queryByRole("region", { name: /^Backroom notes/ })).not.toBeInTheDocument();
    expect(calls).toEqual([]);
    await userEvent.selectOptions(screen.getAllByRole("combobox", { name: "Prompt" })[0]!, "Welcome");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    rose.focus();
    await userEvent.keyboard("2");
    expect(await within(rose).findByRole("button", { name: "Heart, 1" })).toHaveAttribute("aria-pressed", "true");
    expect(calls).toEqual(['reaction {"kind":"heart"}']);

    await userEvent.keyboard("P");
    const dialog = await screen.findByRole("dialog", { name: "Probe Rose" });
    expect(within(dialog).getByRole("radio", { name: "Private" })).toBeChecked();
    const question = within(dialog).getByRole("textbox", { name: "Question" });
    expect(question).toHaveFocus();
    await userEvent.type(question, "n2r");
    expect(question).toHaveValue("n2r");
    expect(calls).toHaveLength(1);
    expect(within(dialog).getByRole("button", { name: "Send probe" })).toBeEnabled();
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));

    rose.focus();
    await userEvent.keyboard("n");
    expect(within(rose).getByRole("textbox", { name: "New note" })).toHaveFocus();
  });

  it("inserts a saved question into the probe, keeps it editable, and saves a new one", async () => {
    const calls: string[] = [];
    const saved: unknown[] = [];
    const TEMPLATE = {
      id: "t-why",
      title: "Why?",
      text: "What made you feel that way?",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
    };
    stubApi({
      ...routes("owner", calls),
      "GET /api/v1/organizations/*/probe-templates": (request: Request) => {
        calls.push(`templates ${new URL(request.url).pathname}`);
        return json({ items: [TEMPLATE], next_cursor: null });
      },
      "POST /api/v1/organizations/*/probe-templates": async (request: Request) => {
        const body = (await request.json()) as { title: string; text: string };
        saved.push(body);
        return json({ ...TEMPLATE, id: "t-new", ...body }, 201);
      },
    });
    renderApp(`/spaces/${SPACE_ID}?tab=console`);
    const rose = await screen.findByRole("article", { name: "Answer by Rose to Welcome" });
    await userEvent.click(within(rose).getByRole("button", { name: /^Public probe/ }));
    const dialog = await screen.findByRole("dialog", { name: "Probe Rose" });
    const question = within(dialog).getByRole("textbox", { name: "Question" });
    expect(question).toHaveFocus();
    const select = await within(dialog).findByRole("combobox", { name: "Saved questions" });
    expect(calls).toContain(`templates /api/v1/organizations/${ACME.id}/probe-templates`);
    await userEvent.selectOptions(select, "Why?");
    expect(question).toHaveValue("What made you feel that way?");
    await userEvent.type(question, " Tell me about the lamp, the shop, the price, anything that comes to mind.");
    expect(question).toHaveValue(
      "What made you feel that way? Tell me about the lamp, the shop, the price, anything that comes to mind.",
    );
    const save = within(dialog).getByRole("button", { name: "Save this question for reuse in your organization" });
    expect(save).toHaveTextContent(/^Save this question/);
    await userEvent.click(save);
    expect(saved).toEqual([
      {
        title: "What made you feel that way? Tell me about the lamp, the sho",
        text: "What made you feel that way? Tell me about the lamp, the shop, the price, anything that comes to mind.",
      },
    ]);
    expect(
      await screen.findByText("Question saved as “What made you feel that way? Tell me about the lamp, the sho”."),
    ).toBeInTheDocument();
    // The dialog stays open with the question, ready to send.
    expect(question).toHaveValue(
      "What made you feel that way? Tell me about the lamp, the shop, the price, anything that comes to mind.",
    );
    expect(within(dialog).getByRole("radio", { name: "Public" })).toBeChecked();
    expect(within(dialog).getByRole("button", { name: "Send probe" })).toBeEnabled();
    expect(await seriousViolations()).toEqual([]);
  });

  it("explains in French why a question could not be saved", async () => {
    stubApi({
      ...routes("owner"),
      "GET /api/v1/organizations/*/probe-templates": () => json({ items: [], next_cursor: null }),
      "POST /api/v1/organizations/*/probe-templates": () => problem(403, "forbidden"),
    });
    renderApp(`/spaces/${SPACE_ID}?tab=console`, "fr");
    const rose = await screen.findByRole("article", { name: "Réponse de Rose à Welcome" });
    rose.focus();
    await userEvent.keyboard("p");
    const dialog = await screen.findByRole("dialog", { name: "Poser une question à Rose" });
    expect(within(dialog).queryByRole("combobox", { name: "Questions enregistrées" })).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Question" }), "Pourquoi ?");
    await userEvent.click(within(dialog).getByRole("button", { name: /^Enregistrer cette question/ }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Vous n’avez pas le droit de faire cela.");
  });

  it("is read-only for observers: no reply, probe or reaction buttons, notes visible", async () => {
    stubApi(routes("observer"));
    renderApp(`/spaces/${SPACE_ID}?tab=console`);
    const rose = await screen.findByRole("article", { name: "Answer by Rose to Welcome" });
    expect(within(rose).queryByRole("button", { name: /^Reply/ })).not.toBeInTheDocument();
    expect(within(rose).queryByRole("button", { name: /probe/ })).not.toBeInTheDocument();
    expect(within(rose).queryByRole("group", { name: "Reactions" })).not.toBeInTheDocument();
    rose.focus();
    await userEvent.keyboard("r");
    await userEvent.keyboard("p");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await userEvent.click(within(rose).getByRole("button", { name: "Notes on the answer by Rose" }));
    expect(await within(rose).findByText("No notes yet.")).toBeInTheDocument();
    const side = screen.getByRole("region", { name: "Who has not answered yet" });
    expect(await within(side).findByText("Inès")).toBeInTheDocument();
    expect(within(side).getByRole("button", { name: "Nudge: Welcome" })).toBeDisabled();
  });
});
