import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ACME, json, studioRoutes, stubApi } from "./api";
import { seriousViolations } from "./axe";
import { renderApp } from "./render";

const EMAIL_ID = "00000000-0000-0000-0000-0000000000e1";
const INVITATION = {
  id: EMAIL_ID,
  created_at: "2025-01-02T10:00:00Z",
  category: "invitation",
  recipient: "rose@example.com",
  subject: "Acme invites you to Club",
  language: "en",
  status: "kept",
  attempts: 1,
  next_attempt_at: "2025-01-02T10:00:00Z",
  last_error: null,
  sent_at: "2025-01-02T10:00:01Z",
  // As the API answers: the invitation link is masked.
  body_text: "Club\n\nJoin Club:\n[secret link hidden]\n",
  body_html: '<p><a href="#">[secret link hidden]</a></p>',
};

describe("an e-mail in the studio", () => {
  it("shows the masked body and says secret links only reach the recipient", async () => {
    stubApi({
      ...studioRoutes,
      "GET /api/v1/organizations/*/emails/*": () => json(INVITATION),
    });
    renderApp(`/organizations/${ACME.id}/emails/${EMAIL_ID}`);

    const body = await screen.findByLabelText("Message text");
    expect(body).toHaveTextContent("Join Club: [secret link hidden]");
    expect(body).toHaveAccessibleDescription(
      "Links that act for the recipient (invitations, sign-in and unsubscribe links) are hidden here: only the recipient receives them.",
    );
    expect(body.querySelector("a")).toBeNull();
    expect(screen.queryByRole("link", { name: "[secret link hidden]" })).not.toBeInTheDocument();
    expect(await seriousViolations()).toEqual([]);
  });
});
