import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { Prompt } from "../src/features/script/api";
import { seriousViolations } from "./axe";
import { ACME, json, ME, studioRoutes, stubApi } from "./api";
import { LAMP, SPACE_ID } from "./fixtures";
import { renderApp } from "./render";

// Uploads go through XMLHttpRequest (for progress); record them instead.
const uploads = vi.hoisted(() => [] as { method: string; path: string; file: FormDataEntryValue | null }[]);
vi.mock("../src/lib/upload", () => ({
  uploadForm: vi.fn(async (method: string, path: string, form: FormData) => {
    uploads.push({ method, path, file: form.get("file") });
    return { ...LAMP, image_url: "/media/prompts/p-lamp.png" } satisfies Prompt;
  }),
}));

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

function studio(calls: string[]) {
  return {
    ...studioRoutes,
    "GET /api/v1/spaces/*/prompts": () => json({ items: [LAMP] }),
    "GET /api/v1/spaces/*/segments": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/spaces/*/participants": () => json({ items: [], next_cursor: null }),
    "GET /api/v1/spaces/*/timeline": () =>
      json({ at: "2025-06-01T08:00:00Z", time_zone: "Europe/Paris", answered: 0, expected: 0, items: [] }),
    "GET /api/v1/organizations/*/spaces": () => json({ items: [SPACE], next_cursor: null }),
    "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread_count: 0 }),
    "GET /api/v1/spaces/*": () => json(SPACE),
    "DELETE /api/v1/prompts/*/image": (request: Request) => {
      calls.push(`DELETE ${new URL(request.url).pathname}`);
      return json({ ...LAMP, image_url: null });
    },
  };
}

async function openLamp() {
  renderApp(`/spaces/${SPACE_ID}?tab=script`);
  await userEvent.click(await screen.findByRole("button", { name: "Edit: “The new lamp”" }));
  return screen.getByRole("dialog", { name: "Edit “The new lamp”" });
}

const png = (bytes = 10) => new File([new Uint8Array(bytes)], "lamp.png", { type: "image/png" });

beforeEach(() => {
  uploads.length = 0;
});

describe("prompt image in the script editor", () => {
  it("uploads an image for a saved prompt, shows it, then removes it", async () => {
    const calls: string[] = [];
    stubApi(studio(calls));
    const dialog = await openLamp();
    expect(within(dialog).getByText("No image.")).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: /^Remove the image/ })).not.toBeInTheDocument();
    const input = within(dialog).getByLabelText("Image");
    expect(input).toHaveAttribute("accept", "image/png,image/jpeg,image/webp,image/gif");
    const file = png();
    await userEvent.upload(input, file);
    expect(uploads).toEqual([{ method: "PUT", path: `/api/v1/prompts/${LAMP.id}/image`, file }]);
    const image = await within(dialog).findByRole("img", { name: "Image of “The new lamp”" });
    expect(image).toHaveAttribute("src", "/media/prompts/p-lamp.png");
    expect(await screen.findByText("The image was saved.")).toBeInTheDocument();
    expect(await seriousViolations(dialog)).toEqual([]);

    await userEvent.click(within(dialog).getByRole("button", { name: "Remove the image" }));
    expect(await within(dialog).findByText("No image.")).toBeInTheDocument();
    expect(calls).toEqual([`DELETE /api/v1/prompts/${LAMP.id}/image`]);
    expect(within(dialog).queryByRole("img")).not.toBeInTheDocument();
  });

  it("refuses a file over 4 MiB or of another type before sending it", async () => {
    stubApi(studio([]));
    const dialog = await openLamp();
    const input = within(dialog).getByLabelText("Image");
    await userEvent.upload(input, png(4 * 1024 * 1024 + 1));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("This image is larger than 4 MiB.");
    await userEvent.setup({ applyAccept: false }).upload(input, new File(["x"], "notes.txt", { type: "text/plain" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("This file is not a PNG, JPEG, WebP or GIF image.");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(uploads).toEqual([]);
  });

  it("asks to save a new prompt first, in French too", async () => {
    stubApi(studio([]));
    renderApp(`/spaces/${SPACE_ID}?tab=script`, "fr");
    await userEvent.click(await screen.findByRole("button", { name: "Nouvelle activité" }));
    const dialog = screen.getByRole("dialog", { name: "Nouvelle activité" });
    expect(within(dialog).getByText("Enregistrez l’activité pour y ajouter une image.")).toBeInTheDocument();
    expect(within(dialog).queryByLabelText("Image")).not.toBeInTheDocument();
  });
});

describe("prompt image for participants", () => {
  it("shows the image above the question, decorative beside the visible title", async () => {
    const MY_SPACE_ID = "00000000-0000-0000-0000-0000000000b1";
    stubApi({
      "POST /api/v1/auth/refresh": () => json({ access_token: "t", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
      "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread_count: 0 }),
      "GET /api/v1/me/spaces/*/timeline": () =>
        json({
          at: "2025-06-01T08:00:00Z",
          time_zone: "Europe/Paris",
          answered: 0,
          expected: 1,
          items: [
            {
              prompt_id: "q-open",
              key: "k",
              title: "Your first impressions",
              body_html: "<p>What do you think of the lamp?</p>",
              image_url: "/media/prompts/q-open.png",
              kind: "discussion",
              required: true,
              state: "open",
              opens_at: "2025-05-30T08:00:00Z",
              closes_at: null,
              entries_done: 0,
              entries_expected: 1,
            },
          ],
        }),
      "GET /api/v1/me/spaces/*": () =>
        json({
          space_id: MY_SPACE_ID,
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
        }),
      "GET /api/v1/prompts/*/responses": () =>
        json({ items: [], next_cursor: null, aggregate: null, hidden_until_answered: true }),
    });
    const { container } = renderApp(`/me/spaces/${MY_SPACE_ID}/prompts/q-open`);
    expect(await screen.findByRole("heading", { level: 1, name: "Your first impressions" })).toBeInTheDocument();
    const image = container.querySelector("img.prompt-image");
    expect(image).toHaveAttribute("src", "/media/prompts/q-open.png");
    expect(image).toHaveAttribute("alt", "");
    const question = screen.getByText("What do you think of the lamp?");
    expect(image!.compareDocumentPosition(question) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(await seriousViolations()).toEqual([]);
  });
});
