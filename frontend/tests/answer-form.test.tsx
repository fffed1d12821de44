import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { AnswerForm } from "../src/features/answers/components/AnswerForm";
import type { PromptShape } from "../src/features/answers/model";
import { renderWithProviders } from "./wrap";

function renderForm(shape: PromptShape) {
  const onSubmit = vi.fn();
  renderWithProviders(
    <AnswerForm shape={shape} submitLabel="Send my answer" pending={false} error={null} onSubmit={onSubmit} />,
  );
  return onSubmit;
}

const submit = () => userEvent.click(screen.getByRole("button", { name: "Send my answer" }));

describe("answer forms", () => {
  it("discussion: a Markdown text up to 20,000 characters", async () => {
    const onSubmit = renderForm({ kind: "discussion", poll: null, rating: null, exact: true });
    const text = screen.getByRole("textbox", { name: "Your answer" });
    expect(text).toHaveAttribute("maxLength", "20000");
    expect(text).toHaveAccessibleDescription(/Markdown works/);
    expect(screen.getByRole("button", { name: "Send my answer" })).toBeDisabled();
    await userEvent.type(text, "I **love** it");
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({ text: "I **love** it" });
  });

  it("single-choice poll with an 'other' answer", async () => {
    const onSubmit = renderForm({
      kind: "poll",
      poll: {
        multiple: false,
        allowOther: true,
        options: [
          { key: "a", label: "Red" },
          { key: "b", label: "Blue" },
        ],
      },
      rating: null,
      exact: true,
    });
    await userEvent.click(screen.getByRole("radio", { name: "Red" }));
    await userEvent.click(screen.getByRole("radio", { name: "Other" }));
    expect(screen.getByRole("radio", { name: "Red" })).not.toBeChecked();
    await userEvent.type(screen.getByRole("textbox", { name: "Your other answer" }), "Green");
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({ choices: [], other_text: "Green" });
  });

  it("multiple-choice poll", async () => {
    const onSubmit = renderForm({
      kind: "poll",
      poll: {
        multiple: true,
        allowOther: false,
        options: [
          { key: "a", label: "Red" },
          { key: "b", label: "Blue" },
        ],
      },
      rating: null,
      exact: true,
    });
    expect(screen.getByRole("group", { name: "Choose one or more answers" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("checkbox", { name: "Red" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Blue" }));
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({ choices: ["a", "b"] });
  });

  it("says so when a poll's choices are unknown", () => {
    renderForm({ kind: "poll", poll: { multiple: false, allowOther: false, options: [] }, rating: null, exact: false });
    expect(screen.getByText("The choices of this poll cannot be shown here yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send my answer" })).toBeDisabled();
  });

  it("rating: a scale of radio buttons with end labels and an optional comment", async () => {
    const onSubmit = renderForm({
      kind: "rating",
      poll: null,
      rating: { min: 0, max: 10, minLabel: "Not at all", maxLabel: "Absolutely", comment: true },
      exact: true,
    });
    const scale = screen.getByRole("group", { name: "Your rating" });
    expect(scale.querySelectorAll("input[type=radio]")).toHaveLength(11);
    expect(screen.getByRole("radio", { name: "0 (Not at all)" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("radio", { name: "10 (Absolutely)" }));
    await submit();
    expect(onSubmit).toHaveBeenLastCalledWith({ rating: 10 });
    await userEvent.type(screen.getByRole("textbox", { name: "Comment (optional)" }), "Great");
    await submit();
    expect(onSubmit).toHaveBeenLastCalledWith({ rating: 10, text: "Great" });
  });

  it("diary: one text entry", async () => {
    const onSubmit = renderForm({ kind: "diary", poll: null, rating: null, exact: true });
    await userEvent.type(screen.getByRole("textbox", { name: "Your answer" }), "Day one");
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({ text: "Day one" });
  });
});
