import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { ACME, json, problem, studioRoutes, stubApi } from "./api";
import { renderApp } from "./render";

const ACME_PATH = `/organizations/${ACME.id}`;

describe("organization page", () => {
  it("explains why the last owner cannot be demoted", async () => {
    stubApi({
      ...studioRoutes,
      "PATCH /api/v1/organizations/*/members/*": () => problem(409, "conflict.last_owner"),
    });
    renderApp(ACME_PATH);
    const table = await screen.findByRole("table", { name: "Members of Acme" });

    await userEvent.selectOptions(within(table).getByRole("combobox", { name: "Role of Olivia Owner" }), "observer");

    expect(await screen.findByText("An organization must keep at least one owner.")).toBeInTheDocument();
    expect(within(table).getByRole("combobox", { name: "Role of Olivia Owner" })).toHaveValue("owner");
  });

  it("is read-only for people who are not owners", async () => {
    stubApi({ ...studioRoutes, "GET /api/v1/organizations/*": () => json({ ...ACME, my_role: "observer" }) });
    renderApp(ACME_PATH);
    const table = await screen.findByRole("table", { name: "Members of Acme" });

    expect(within(table).queryByRole("combobox")).not.toBeInTheDocument();
    expect(within(table).getByRole("cell", { name: "Owner" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add a member" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Rename" })).not.toBeInTheDocument();
  });

  it("says so when the organization does not exist", async () => {
    stubApi({ ...studioRoutes, "GET /api/v1/organizations/*": () => problem(404, "not_found") });
    renderApp(ACME_PATH);
    expect(await screen.findByRole("heading", { level: 1, name: "Organization not found" })).toBeInTheDocument();
  });
});
