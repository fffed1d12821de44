import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { ReleaseRuleBuilder } from "../src/features/script/components/RuleBuilder";
import { emptyDraft, type PromptDraft } from "../src/features/script/rules";
import { LAMP, prompt } from "./fixtures";
import { renderWithProviders } from "./wrap";

const WELCOME = prompt({ id: "p-welcome", title: "Welcome" });
let last: PromptDraft["release"] | null = null;

function Harness({ error }: { error?: string }) {
  const [value, setValue] = useState(emptyDraft().release);
  last = value;
  return (
    <ReleaseRuleBuilder
      value={value}
      onChange={setValue}
      prompts={[WELCOME, LAMP]}
      timeZone="Europe/Paris"
      error={error}
    />
  );
}

describe("release rule builder", () => {
  it("shows only what each rule kind needs", async () => {
    renderWithProviders(<Harness />);
    const kind = screen.getByRole("combobox", { name: "Opens" });
    expect(screen.queryByRole("combobox", { name: "Depends on" })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Opening date and time")).not.toBeInTheDocument();

    await userEvent.selectOptions(kind, "at");
    const date = screen.getByLabelText("Opening date and time");
    expect(date).toHaveAttribute("type", "datetime-local");
    expect(screen.getByText("In the space’s time zone: Europe/Paris.")).toBeInTheDocument();
    expect(screen.queryByRole("spinbutton")).not.toBeInTheDocument();

    await userEvent.selectOptions(kind, "after_join");
    expect(screen.queryByLabelText("Opening date and time")).not.toBeInTheDocument();
    const delay = screen.getByRole("group", { name: "Delay after joining" });
    await userEvent.clear(within(delay).getByRole("spinbutton", { name: "Delay" }));
    await userEvent.type(within(delay).getByRole("spinbutton", { name: "Delay" }), "3");
    expect(last?.delay).toBe("3");
    expect(screen.queryByRole("combobox", { name: "Depends on" })).not.toBeInTheDocument();

    await userEvent.selectOptions(kind, "after_prompt");
    const dependsOn = screen.getByRole("combobox", { name: "Depends on" });
    expect(
      within(dependsOn)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Choose a prompt…", "Welcome", "The new lamp"]);
  });

  it("offers only polls for a branch, then that poll's options", async () => {
    renderWithProviders(<Harness />);
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Opens" }), "when_answer");
    const dependsOn = screen.getByRole("combobox", { name: "Depends on" });
    expect(within(dependsOn).queryByRole("option", { name: "Welcome" })).not.toBeInTheDocument();
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();

    await userEvent.selectOptions(dependsOn, LAMP.id);
    const options = screen.getByRole("group", { name: "Answers of “The new lamp” that open it" });
    await userEvent.click(within(options).getByRole("checkbox", { name: "Too expensive" }));
    expect(last).toMatchObject({ kind: "when_answer", promptId: LAMP.id, optionKeys: ["expensive"] });
  });

  it("shows the server's reason beside the rule", () => {
    renderWithProviders(<Harness error="This release rule is not possible. “Colour” cannot depend on itself." />);
    expect(screen.getByRole("alert")).toHaveTextContent("cannot depend on itself");
    expect(screen.getByRole("group", { name: "Release" })).toHaveAccessibleDescription(
      "This release rule is not possible. “Colour” cannot depend on itself.",
    );
  });
});
