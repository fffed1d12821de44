import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { EmailAddress } from "../src/components/EmailAddress";

describe("an e-mail address in a narrow column", () => {
  it("may wrap before its @ only: each half keeps together", () => {
    const { container } = render(<EmailAddress email="dominique.martin@maison-lumiere.example.com" />);
    const address = container.querySelector(".email-address");
    expect(address).toHaveTextContent("dominique.martin@maison-lumiere.example.com");
    const parts = [...(address?.children ?? [])].map((child) => [child.tagName, child.textContent]);
    expect(parts).toEqual([
      ["SPAN", "dominique.martin"],
      ["WBR", ""],
      ["SPAN", "@maison-lumiere.example.com"],
    ]);
  });

  it("shows anything without an @ as it is", () => {
    const { container } = render(<EmailAddress email="not-an-address" />);
    expect(container.querySelector(".email-address")?.children).toHaveLength(0);
    expect(container).toHaveTextContent("not-an-address");
  });
});
