import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { getAccessToken } from "../src/lib/session";
import { problem, stubApi } from "./api";
import { renderApp } from "./render";

describe("e-mail change confirmation", () => {
  it("confirms the new address on request and signs no one in", async () => {
    const bodies: unknown[] = [];
    stubApi({
      "POST /api/v1/auth/email-change/confirm": async (request) => {
        bodies.push(await request.json());
        return new Response(null, { status: 204 });
      },
    });
    renderApp("/change-email#token=move-abc");
    await userEvent.click(await screen.findByRole("button", { name: "Confirm the new address" }));
    expect(await screen.findByText(/Your account now uses its new address/)).toBeInTheDocument();
    expect(bodies).toEqual([{ token: "move-abc", language: "en" }]);
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
    expect(getAccessToken()).toBeNull();
  });

  it("explains a used link", async () => {
    stubApi({ "POST /api/v1/auth/email-change/confirm": () => problem(410, "auth.link_expired") });
    renderApp("/change-email#token=old");
    await userEvent.click(await screen.findByRole("button", { name: "Confirm the new address" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This link has expired or was already used.");
  });
});
