import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Answer, Reply } from "../src/features/conversations/api";
import { Thread } from "../src/features/conversations/components/Thread";
import { isReplyEditable, templateTitle } from "../src/features/conversations/model";
import { seriousViolations } from "./axe";
import { json, problem, stubApi } from "./api";
import { renderWithProviders } from "./wrap";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const ANSWER = {
  id: "r1",
  prompt_id: "q-welcome",
  participant_id: "p1",
  author_pseudonym: "Rose",
  mine: false,
  entry_index: 0,
  text: "Lovely",
  text_html: "<p>Lovely</p>",
  choices: [],
  other_text: null,
  rating: null,
  created_at: minutesAgo(60),
  updated_at: minutesAgo(60),
  edited_at: null,
  editable_until: null,
  reply_count: 3,
  brand_replied: false,
  reactions: {},
  my_reactions: [],
} satisfies Answer;

function reply(overrides: Partial<Reply> & Pick<Reply, "id">): Reply {
  return {
    response_id: "r1",
    author_kind: "participant",
    author_name: "Jules",
    author_role: null,
    mine: false,
    text: "Nice",
    text_html: "<p>Nice</p>",
    private: false,
    probe_id: null,
    reactions: {},
    my_reactions: [],
    created_at: minutesAgo(30),
    edited_at: null,
    ...overrides,
  };
}

const FRESH = reply({
  id: "mine-fresh",
  author_name: "Inès",
  mine: true,
  text: "I love the **Opaline**, see [the shop](https://example.com/o).",
  text_html: '<p>I love the <strong>Opaline</strong>, see <a href="https://example.com/o">the shop</a>.</p>',
  created_at: minutesAgo(2),
});
const OLD = reply({
  id: "mine-old",
  author_name: "Inès",
  mine: true,
  text: "Earlier",
  text_html: "<p>Earlier</p>",
  created_at: minutesAgo(20),
});
const OTHER = reply({ id: "other", created_at: minutesAgo(1) });

function routes(state: { replies: Reply[]; sent: unknown[]; over?: boolean }) {
  return {
    "GET /api/v1/responses/*/replies": () => json({ items: state.replies, next_cursor: null }),
    "GET /api/v1/responses/*/probes": () => json([]),
    "PATCH /api/v1/replies/*": async (request: Request) => {
      if (state.over) return problem(409, "response.edit_window_over");
      const body = (await request.json()) as { text: string };
      state.sent.push({ path: new URL(request.url).pathname, body });
      const edited = {
        ...FRESH,
        text: body.text,
        text_html: `<p>${body.text}</p>`,
        edited_at: new Date().toISOString(),
      };
      state.replies = state.replies.map((r) => (r.id === FRESH.id ? edited : r));
      return json(edited);
    },
  };
}

const renderThread = (lang: "en" | "fr" = "en") =>
  renderWithProviders(<Thread id="thread" answer={ANSWER} viewer="participant" canWrite canReact={false} />, lang);

describe("editing my reply", () => {
  it("offers Edit only on my replies of the last 15 minutes, saves the new text and marks it edited", async () => {
    const state = { replies: [OLD, FRESH, OTHER], sent: [] as unknown[] };
    stubApi(routes(state));
    renderThread();
    await screen.findAllByRole("article", { name: "Reply by Inès" });
    const [old, fresh] = screen.getAllByRole("article", { name: "Reply by Inès" });
    expect(within(old!).queryByRole("button", { name: /^Edit/ })).not.toBeInTheDocument();
    expect(
      within(screen.getByRole("article", { name: "Reply by Jules" })).queryByRole("button", { name: /^Edit/ }),
    ).not.toBeInTheDocument();

    const edit = within(fresh!).getByRole("button", { name: "Edit my reply" });
    expect(edit).toHaveTextContent(/^Edit/);
    await userEvent.click(edit);
    const field = within(fresh!).getByRole("textbox", { name: "My reply" });
    expect(field).toHaveFocus();
    expect(field).toHaveValue("I love the **Opaline**, see [the shop](https://example.com/o).");
    expect(await seriousViolations()).toEqual([]);
    await userEvent.clear(field);
    await userEvent.type(field, "I love the Opaline");
    await userEvent.click(within(fresh!).getByRole("button", { name: "Save my reply" }));

    expect(await screen.findByText("Your reply was updated.")).toBeInTheDocument();
    expect(state.sent).toEqual([{ path: `/api/v1/replies/${FRESH.id}`, body: { text: "I love the Opaline" } }]);
    const updated = screen.getAllByRole("article", { name: "Reply by Inès" })[1]!;
    expect(await within(updated).findByText("(edited)", { exact: false })).toBeInTheDocument();
    expect(within(updated).getByText("I love the Opaline")).toBeInTheDocument();
    expect(within(updated).queryByRole("textbox")).not.toBeInTheDocument();
    await waitFor(() => expect(within(updated).getByRole("button", { name: "Edit my reply" })).toHaveFocus());
  });

  it("explains readably, in French, when the edit window is over", async () => {
    const state = { replies: [FRESH], sent: [] as unknown[], over: true };
    stubApi(routes(state));
    renderThread("fr");
    const mine = await screen.findByRole("article", { name: "Réponse de Inès" });
    const edit = within(mine).getByRole("button", { name: "Modifier ma réponse" });
    await userEvent.click(edit);
    await userEvent.type(within(mine).getByRole("textbox", { name: "Ma réponse" }), " !");
    await userEvent.click(within(mine).getByRole("button", { name: "Enregistrer ma réponse" }));
    expect(await within(mine).findByRole("alert")).toHaveTextContent(
      "Une réponse n’est modifiable que pendant les 15 minutes qui suivent son envoi ; celle-ci ne peut plus être changée.",
    );
    expect(within(mine).getByRole("button", { name: "Enregistrer ma réponse" })).toBeDisabled();
    await userEvent.click(within(mine).getByRole("button", { name: "Annuler" }));
    expect(within(mine).queryByRole("button", { name: "Modifier ma réponse" })).not.toBeInTheDocument();
    expect(within(mine).getByText("I love the", { exact: false })).toBeInTheDocument();
  });
});

describe("reply and saved question helpers", () => {
  it("knows the edit window and titles saved questions", () => {
    const now = Date.parse("2025-06-01T10:00:00Z");
    expect(isReplyEditable({ mine: true, created_at: "2025-06-01T09:46:00Z" }, now)).toBe(true);
    expect(isReplyEditable({ mine: true, created_at: "2025-06-01T09:45:00Z" }, now)).toBe(false);
    expect(isReplyEditable({ mine: false, created_at: "2025-06-01T09:59:00Z" }, now)).toBe(false);
    expect(templateTitle("  Why\nthat  one? ")).toBe("Why that one?");
    expect(templateTitle("x".repeat(80))).toHaveLength(60);
  });
});
