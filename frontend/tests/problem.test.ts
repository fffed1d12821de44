import { describe, expect, it } from "vitest";

import { translator } from "../src/lib/i18n";
import { ApiError, fieldErrors, parseRetryAfter, problemMessage, toApiError } from "../src/lib/problem";

const en = translator("en");
const fr = translator("fr");

function problemResponse(status: number, headers: Record<string, string> = {}) {
  return new Response(null, { status, headers });
}

describe("problemMessage", () => {
  it("explains wrong credentials in the user's language", () => {
    const error = toApiError(
      { type: "about:blank", title: "Unauthorized", status: 401, code: "auth.invalid_credentials" },
      problemResponse(401),
    );
    expect(problemMessage(error, en)).toBe("Wrong e-mail or password.");
    expect(problemMessage(error, fr)).toBe("E-mail ou mot de passe incorrect.");
  });

  it("tells how long to wait from the Retry-After header when rate limited", () => {
    const body = { type: "about:blank", title: "Too many", status: 429, code: "auth.rate_limited" };
    const error = toApiError(body, problemResponse(429, { "Retry-After": "42" }));
    expect(error.retryAfter).toBe(42);
    expect(problemMessage(error, en)).toBe("Too many attempts. Try again in 42 seconds.");
    expect(problemMessage(toApiError(body, problemResponse(429, { "Retry-After": "1" })), en)).toBe(
      "Too many attempts. Try again in 1 second.",
    );
    expect(problemMessage(toApiError(body, problemResponse(429)), en)).toBe("Too many attempts. Try again later.");
  });

  it("lists the fields of a 422 validation problem", () => {
    const error = new ApiError({
      type: "about:blank",
      title: "Unprocessable",
      detail: "",
      status: 422,
      code: "validation_error",
      errors: [
        { loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" },
        { loc: ["body", "members", 0, "role"], msg: "Input should be 'owner'", type: "enum" },
      ],
    });
    expect(problemMessage(error, en)).toBe(
      "Some fields are not valid: email: value is not a valid email address; role: Input should be 'owner'",
    );
    expect(fieldErrors(error)).toEqual({
      email: "value is not a valid email address",
      role: "Input should be 'owner'",
    });
  });

  it("maps conflicts to sentences people understand", () => {
    const lastOwner = new ApiError({
      type: "x",
      title: "Conflict",
      detail: "",
      status: 409,
      code: "conflict.last_owner",
    });
    expect(problemMessage(lastOwner, en)).toBe("An organization must keep at least one owner.");
    expect(problemMessage(lastOwner, fr)).toBe("Une organisation doit garder au moins un propriétaire.");
  });

  it("never shows raw server output for a non-problem error page", () => {
    const error = toApiError("<html>Bad gateway</html>", problemResponse(502));
    expect(error.code).toBe("internal_error");
    expect(problemMessage(error, en)).toBe("Something went wrong on our side. Please try again.");
  });

  it("recognises a network failure", () => {
    expect(problemMessage(new TypeError("Failed to fetch"), en)).toMatch(/cannot be reached/);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("30")).toBe(30);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:01:00 GMT", now)).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
