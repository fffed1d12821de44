import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { seriousViolations } from "./axe";
import { ACME, json, problem, studioRoutes, stubApi } from "./api";
import { LAMP, prompt, SPACE_ID } from "./fixtures";
import { zoneLabel } from "../src/features/spaces/components/SpaceForm";
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
  participant_count: 1,
  accent_color: "#3446b0",
  logo_url: null,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
};

const FOLLOW_UP = prompt({
  id: "p-why",
  title: "Why too expensive?",
  release: {
    kind: "when_answer",
    at: null,
    at_local: null,
    delay_minutes: 0,
    prompt_id: LAMP.id,
    option_keys: ["expensive"],
    released_at: null,
  },
});

function routes(extra = {}) {
  return {
    ...studioRoutes,
    "GET /api/v1/spaces/*/prompts": () => json({ items: [LAMP, FOLLOW_UP] }),
    "GET /api/v1/spaces/*/segments": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/spaces/*/participants": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/spaces/*/timeline": () =>
      json({
        at: "2025-06-01T08:00:00Z",
        time_zone: "Europe/Paris",
        answered: 0,
        expected: 1,
        items: [
          {
            prompt_id: LAMP.id,
            key: "lamp",
            title: "The new lamp",
            kind: "poll",
            required: true,
            state: "open",
            opens_at: "2025-06-01T07:00:00Z",
            closes_at: null,
            entries_done: 0,
            entries_expected: 1,
          },
        ],
      }),
    "GET /api/v1/organizations/*/spaces": () => json({ items: [SPACE], next_cursor: null }),
    "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread_count: 0 }),
    "GET /api/v1/spaces/*": () => json(SPACE),
    ...extra,
  };
}

describe("script tab", () => {
  it("lists the script with readable rules and a preview, without serious axe violations", async () => {
    stubApi(routes());
    renderApp(`/spaces/${SPACE_ID}?tab=script`);
    const list = await screen.findByRole("list", { name: "Prompts of the script" });
    expect(screen.getByRole("tab", { name: "Script" })).toHaveAttribute("aria-selected", "true");
    expect(within(list).getByText("Opens when “The new lamp” is answered with “Too expensive”")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Move up: “The new lamp”" })).toBeDisabled();
    const preview = await screen.findByRole("list", { name: "What they would see" });
    expect(within(preview).getByText("Open")).toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("saves a new order with the Move down button", async () => {
    let sent: unknown = null;
    stubApi(
      routes({
        "PUT /api/v1/spaces/*/prompts/order": async (request: Request) => {
          sent = await request.json();
          return json({ items: [FOLLOW_UP, LAMP] });
        },
      }),
    );
    renderApp(`/spaces/${SPACE_ID}?tab=script`);
    await userEvent.click(await screen.findByRole("button", { name: "Move down: “The new lamp”" }));
    expect(sent).toEqual({ prompt_ids: [FOLLOW_UP.id, LAMP.id] });
  });

  it("shows a refused rule beside the rule builder", async () => {
    stubApi(
      routes({
        "POST /api/v1/spaces/*/prompts": () =>
          problem(422, "script.invalid_rule", { detail: "“Loop” cannot depend on a prompt that opens after it." }),
      }),
    );
    renderApp(`/spaces/${SPACE_ID}?tab=script`);
    await userEvent.click(await screen.findByRole("button", { name: "New prompt" }));
    const dialog = screen.getByRole("dialog", { name: "New prompt" });
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Title" }), "Loop");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: "Opens" }), "after_prompt");
    await userEvent.selectOptions(within(dialog).getByRole("combobox", { name: "Depends on" }), FOLLOW_UP.id);
    await userEvent.click(within(dialog).getByRole("button", { name: "Save the prompt" }));
    const rule = within(dialog).getByRole("group", { name: "Release" });
    expect(await within(rule).findByRole("alert")).toHaveTextContent(
      "This release rule is not possible. “Loop” cannot depend on a prompt that opens after it.",
    );
    expect(await seriousViolations(dialog)).toEqual([]);
  });
});

describe("archiving", () => {
  it("sits in the settings' danger zone, not beside the everyday actions of every tab", async () => {
    const patched: unknown[] = [];
    stubApi(
      routes({
        "PATCH /api/v1/spaces/*": async (request: Request) => {
          patched.push(await request.json());
          return json({ ...SPACE, status: "archived" });
        },
      }),
    );
    renderApp(`/spaces/${SPACE_ID}?tab=script`);
    expect(await screen.findByRole("button", { name: "Close the space" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Archive the space" })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("tab", { name: "Settings" }));
    const zone = await screen.findByRole("region", { name: "Danger zone" });
    await userEvent.click(within(zone).getByRole("button", { name: "Archive the space" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Archive the space" }));
    await vi.waitFor(() => expect(patched).toEqual([{ status: "archived" }]));
    expect(await seriousViolations(document.body)).toEqual([]);
  });
});

describe("the time zone", () => {
  it("is picked from the list, found by city with its offset, and a made-up one is refused here", async () => {
    expect(zoneLabel("America/New_York", new Date("2025-01-15T12:00:00Z"))).toBe("New York · GMT-5");
    const patched: unknown[] = [];
    stubApi(
      routes({
        "PATCH /api/v1/spaces/*": async (request: Request) => {
          patched.push(await request.json());
          return json(SPACE);
        },
      }),
    );
    renderApp(`/spaces/${SPACE_ID}`);
    const zone = await screen.findByRole("combobox", { name: "Time zone" });
    await userEvent.clear(zone);
    await userEvent.type(zone, "Paris");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Pick a time zone from the list, e.g. Europe/Paris.")).toBeInTheDocument();
    expect(patched).toEqual([]);
    expect(document.querySelector(`option[value="Europe/Paris"]`)?.getAttribute("label")).toMatch(
      /^Paris · GMT\+[12]$/,
    );

    await userEvent.clear(zone);
    await userEvent.type(zone, "Europe/Paris");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await vi.waitFor(() => expect(patched).toHaveLength(1));
    expect(patched[0]).toMatchObject({ time_zone: "Europe/Paris" });
  });
});
