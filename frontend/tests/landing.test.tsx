import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, ME, studioRoutes, stubApi } from "./api";
import { renderApp } from "./render";

const MY_SPACE = {
  space_id: "s1",
  participant_id: "p1",
  title: "Cercle Acme",
  description_html: "",
  welcome_html: "",
  accent_color: "#3344aa",
  logo_url: null,
  language: "en",
  space_status: "open",
  organization_name: "Acme",
  pseudonym: "Clairette",
  status: "active",
  email_notifications: "immediate",
  segments: [],
  joined_at: "2025-01-01T00:00:00Z",
};

describe("where people land after signing in", () => {
  it("sends participants without organizations to their spaces", async () => {
    stubApi({
      ...studioRoutes,
      "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
      "GET /api/v1/me/spaces": () => json({ items: [MY_SPACE], next_cursor: null }),
    });
    renderApp("/");
    expect(await screen.findByRole("heading", { level: 1, name: "My spaces" })).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Cercle Acme" })).toBeInTheDocument();
  });

  it("keeps staff in the studio and shows them a My spaces link when they take part somewhere", async () => {
    stubApi({ ...studioRoutes, "GET /api/v1/me/spaces": () => json({ items: [MY_SPACE], next_cursor: null }) });
    renderApp("/");
    expect(await screen.findByRole("heading", { level: 1, name: "Your organizations" })).toBeInTheDocument();
    await userEvent.click(await screen.findByRole("button", { name: "Olivia Owner" }));
    expect(await screen.findByRole("menuitem", { name: "My spaces" })).toHaveAttribute("href", "/me/spaces");
  });
});
