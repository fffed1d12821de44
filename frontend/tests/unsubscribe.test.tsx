import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";

import { App } from "../src/app";
import { seriousViolations } from "./axe";
import { json, problem, stubApi } from "./api";
import { renderApp } from "./render";

describe("unsubscribe page", () => {
  it("stops the space's e-mails once, even under strict mode, without a session", async () => {
    const sent: unknown[] = [];
    stubApi({
      "POST /api/v1/unsubscribe": async (request) => {
        sent.push(await request.json());
        return json({ space_title: "Club Lumière" });
      },
    });
    const history = createMemoryHistory({ initialEntries: ["/unsubscribe#token=abc-123"] });
    render(
      <StrictMode>
        <App history={history} lang="en" />
      </StrictMode>,
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Unsubscribe from e-mails" })).toBeInTheDocument();
    expect(
      await screen.findByText(
        "You will no longer receive e-mails from Club Lumière. In-app notifications stay; change this any time in your preferences.",
      ),
    ).toBeInTheDocument();
    expect(sent).toEqual([{ token: "abc-123" }]);
    expect(screen.getByRole("link", { name: "Open my spaces" })).toHaveAttribute("href", "/me/spaces");
    expect(await seriousViolations()).toEqual([]);
  });

  it("explains an invalid link (401)", async () => {
    stubApi({ "POST /api/v1/unsubscribe": () => problem(401, "auth.invalid_token") });
    renderApp("/unsubscribe#token=forged");
    expect(await screen.findByRole("alert")).toHaveTextContent("This unsubscribe link is not valid or has expired");
  });

  it("explains an unknown link (404), in French", async () => {
    stubApi({ "POST /api/v1/unsubscribe": () => problem(404, "not_found") });
    renderApp("/unsubscribe#token=gone", "fr");
    expect(await screen.findByRole("heading", { level: 1, name: "Se désabonner des e-mails" })).toBeInTheDocument();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Ce lien de désabonnement n’est pas valide ou a expiré.",
    );
  });

  it("says so when the link has no token, and calls nothing", async () => {
    const fetchMock = stubApi({});
    renderApp("/unsubscribe");
    expect(await screen.findByRole("alert")).toHaveTextContent("This unsubscribe link is incomplete.");
    expect(
      fetchMock.mock.calls.filter(([input]) =>
        String(input instanceof Request ? input.url : input).includes("unsubscribe"),
      ),
    ).toEqual([]);
  });
});
