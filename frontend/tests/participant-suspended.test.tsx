import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { translator } from "../src/lib/i18n";
import { isSuspended, problemMessage, toApiError } from "../src/lib/problem";
import { seriousViolations } from "./axe";
import { json, ME, problem, stubApi } from "./api";
import { renderApp } from "./render";

const SPACE_ID = "00000000-0000-0000-0000-0000000000b1";
const SUSPENDED = "participant.suspended";
const EXPLANATION =
  "Your participation in this space has been suspended by the brand. Contact them if you think this is a mistake.";

function suspendedRoutes() {
  const refused = () => problem(403, SUSPENDED, { title: "Your participation in this space is suspended" });
  return {
    "POST /api/v1/auth/refresh": () => json({ access_token: "t", token_type: "bearer", expires_in: 900 }),
    "GET /api/v1/me": () => json({ ...ME, memberships: [] }),
    "GET /api/v1/me/notifications": () => json({ items: [], next_cursor: null, unread_count: 0 }),
    "GET /api/v1/me/spaces/*/timeline": refused,
    "GET /api/v1/me/spaces/*/participants": refused,
    "GET /api/v1/me/spaces/*": refused,
    "GET /api/v1/prompts/*/responses": refused,
  };
}

describe("a suspended participant", () => {
  it("is told on the space page that the brand suspended them, not shown a generic error", async () => {
    stubApi(suspendedRoutes());
    renderApp(`/me/spaces/${SPACE_ID}`);
    expect(await screen.findByRole("heading", { level: 1, name: "Participation suspended" })).toBeInTheDocument();
    expect(screen.getByText(EXPLANATION)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to my spaces" })).toHaveAttribute("href", "/me/spaces");
    expect(screen.queryByText("You are not allowed to do this.")).not.toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });

  it("is told the same on a prompt page", async () => {
    stubApi(suspendedRoutes());
    renderApp(`/me/spaces/${SPACE_ID}/prompts/q-open`);
    expect(await screen.findByRole("heading", { level: 1, name: "Participation suspended" })).toBeInTheDocument();
    expect(screen.getByText(EXPLANATION)).toBeInTheDocument();
  });

  it("is told the same on the profile page, in French", async () => {
    stubApi(suspendedRoutes());
    renderApp(`/me/spaces/${SPACE_ID}/profile`, "fr");
    expect(await screen.findByRole("heading", { level: 1, name: "Participation suspendue" })).toBeInTheDocument();
    expect(
      screen.getByText(
        "Votre participation à cet espace a été suspendue par la marque. Contactez-la si vous pensez qu’il s’agit d’une erreur.",
      ),
    ).toBeInTheDocument();
  });

  it("gets the explanation from any failed action, and other 403s stay generic", () => {
    const response = new Response(null, { status: 403 });
    const suspended = toApiError({ type: "x", title: "t", status: 403, detail: "", code: SUSPENDED }, response);
    expect(isSuspended(suspended)).toBe(true);
    expect(problemMessage(suspended, translator("en"))).toBe(EXPLANATION);
    const forbidden = toApiError({ type: "x", title: "t", status: 403, detail: "", code: "forbidden" }, response);
    expect(isSuspended(forbidden)).toBe(false);
    expect(problemMessage(forbidden, translator("en"))).toBe("You are not allowed to do this.");
  });
});
