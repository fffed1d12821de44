import { describe, expect, it } from "vitest";

import { client, refreshSession } from "../src/api/client";
import { getAccessToken, setAccessToken } from "../src/lib/session";
import { json, ME, problem, stubApi } from "./api";

describe("api client", () => {
  it("refreshes once on a 401 and replays the request with the new token", async () => {
    setAccessToken("expired");
    let refreshes = 0;
    const fetchMock = stubApi({
      "POST /api/v1/auth/refresh": () => {
        refreshes += 1;
        return json({ access_token: "fresh", token_type: "bearer", expires_in: 900 });
      },
      "GET /api/v1/me": (request) =>
        request.headers.get("Authorization") === "Bearer fresh" ? json(ME) : problem(401, "auth.invalid_token"),
    });

    const [a, b] = await Promise.all([client.GET("/api/v1/me"), client.GET("/api/v1/me")]);

    expect(a.data?.email).toBe(ME.email);
    expect(b.data?.email).toBe(ME.email);
    expect(refreshes).toBe(1);
    expect(getAccessToken()).toBe("fresh");
    expect(fetchMock).toHaveBeenCalledTimes(5);
  });

  it("gives up and clears the token when the refresh cookie is refused", async () => {
    setAccessToken("expired");
    stubApi({
      "POST /api/v1/auth/refresh": () => problem(401, "auth.invalid_token"),
      "GET /api/v1/me": () => problem(401, "auth.invalid_token"),
    });
    const { error, response } = await client.GET("/api/v1/me");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: "auth.invalid_token" });
    expect(getAccessToken()).toBeNull();
    expect(await refreshSession()).toBe(false);
  });
});
