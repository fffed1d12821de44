import { QueryClient, QueryClientProvider, type QueryKey } from "@tanstack/react-query";
import { act, cleanup, render, renderHook, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { LiveIndicator } from "../src/components/LiveIndicator";
import { answerKeys } from "../src/features/answers/api";
import { conversationKeys } from "../src/features/conversations/api";
import { startLiveEvents, retryDelay } from "../src/features/live/connection";
import { SseParser, type SseEvent } from "../src/features/live/sse";
import { useLiveEvents } from "../src/features/live/useLiveEvents";
import { notificationKeys } from "../src/features/notifications/api";
import { I18nProvider } from "../src/lib/i18n";
import { LIVE_POLL_MS, LiveStatusContext, useLivePoll, type LiveStatus } from "../src/lib/live";
import { clearAccessToken, getAccessToken, setAccessToken } from "../src/lib/session";
import { keysForEvent } from "../src/live-events";

/* A server stream the test writes to, chunk by chunk. */
function eventStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => {
      closed = true;
    },
  });
  return {
    response: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    sendBytes: (bytes: Uint8Array) => controller.enqueue(bytes),
    close: () => {
      closed = true;
      controller.close();
    },
    get closed() {
      return closed;
    },
  };
}

type Stream = ReturnType<typeof eventStream>;

/** A fetch whose every call opens a new stream (or answers what `next` says). */
function fakeServer() {
  const requests: Request[] = [];
  const streams: Stream[] = [];
  const planned: (() => Response | Promise<Response>)[] = [];
  const fetch = vi.fn(async (request: Request) => {
    requests.push(request);
    const next = planned.shift();
    if (next) return next();
    const stream = eventStream();
    streams.push(stream);
    return stream.response;
  });
  return { fetch, requests, streams, answerNext: (reply: () => Response | Promise<Response>) => planned.push(reply) };
}

const noJitter = () => 0;

/** Lets pending stream reads and promises run without moving the fake clock. */
async function settle() {
  for (let i = 0; i < 10; i++) await vi.advanceTimersByTimeAsync(0);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("SSE parser", () => {
  it("joins multi-line data, reads the type and the id, and skips comments", () => {
    const parser = new SseParser();
    const events = parser.push(': heartbeat\n\nid: 7\nevent: notification\ndata: {"a":\ndata:  1}\n\n');
    expect(events).toEqual([{ type: "notification", data: '{"a":\n 1}', id: "7" }]);
    expect(parser.comments).toBe(1);
    expect(parser.lastEventId).toBe("7");
  });

  it("assembles events split anywhere across reads, CRLF included", () => {
    const text = 'id: a1\r\nevent: reply.created\r\ndata: {"x": 1}\r\n\r\ndata: plain\r\n\r\n';
    const whole = new SseParser().push(text);
    for (let size = 1; size < text.length; size++) {
      const parser = new SseParser();
      const events: SseEvent[] = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      expect(events).toEqual(whole);
    }
    expect(whole).toEqual([
      { type: "reply.created", data: '{"x": 1}', id: "a1" },
      // The id persists; the type resets to "message".
      { type: "message", data: "plain", id: "a1" },
    ]);
  });

  it("keeps an incomplete event (and its id) until the blank line", () => {
    const parser = new SseParser("old");
    expect(parser.push("id: new\ndata: half")).toEqual([]);
    expect(parser.lastEventId).toBe("old");
    expect(parser.push("\n\n")).toEqual([{ type: "message", data: "half", id: "new" }]);
  });

  it("records an id without data, ignores unknown fields and the retry hint", () => {
    const parser = new SseParser();
    expect(parser.push("retry: 3000\n\nid: 42\n\nfoo: bar\ndata\n\n")).toEqual([
      { type: "message", data: "", id: "42" },
    ]);
    expect(parser.lastEventId).toBe("42");
  });
});

describe("live connection", () => {
  it("backs off from 1 s to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelay(n, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(retryDelay(1, () => 0.99)).toBeGreaterThanOrEqual(800);
  });

  it("authenticates, then reconnects with Last-Event-ID after the stream ends", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    setAccessToken("token-1");
    const server = fakeServer();
    const statuses: LiveStatus[] = [];
    const events: SseEvent[] = [];
    const stop = startLiveEvents({
      fetch: server.fetch,
      onStatus: (s) => statuses.push(s),
      onEvent: (e) => events.push(e),
      random: noJitter,
    });

    await vi.waitFor(() => expect(statuses).toEqual(["connecting", "live"]));
    const first = server.requests[0];
    expect(first?.url).toBe("http://localhost:3000/api/v1/me/events");
    expect(first?.headers.get("Authorization")).toBe("Bearer token-1");
    expect(first?.headers.get("Accept")).toBe("text/event-stream");
    expect(first?.headers.has("Last-Event-ID")).toBe(false);

    server.streams[0]?.send(
      'retry: 3000\n\nid: c-1\nevent: notification\ndata: {"kind":"notification"}\n\n: heartbeat\n\n',
    );
    // Cut in the middle of an event: its id must not count as seen.
    server.streams[0]?.send("id: c-2\nevent: notification\ndata: {}");
    await vi.waitFor(() => expect(events.map((e) => e.id)).toEqual(["c-1"]));
    server.streams[0]?.close();

    // Not vi.waitFor: it would advance the fake clock.
    await settle();
    expect(statuses.at(-1)).toBe("offline");
    await vi.advanceTimersByTimeAsync(999);
    expect(server.fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(2));
    expect(server.requests[1]?.headers.get("Last-Event-ID")).toBe("c-1");
    await vi.waitFor(() => expect(statuses.at(-1)).toBe("live"));

    server.streams[1]?.send("id: c-3\nevent: notification\ndata: {}\n\n");
    await vi.waitFor(() => expect(events.map((e) => e.id)).toEqual(["c-1", "c-3"]));
    stop();
    expect(server.streams[1]?.closed).toBe(true);
  });

  it("doubles the wait after each failure", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    setAccessToken("token-1");
    const server = fakeServer();
    for (let i = 0; i < 3; i++) server.answerNext(() => Promise.reject(new TypeError("network")));
    const stop = startLiveEvents({ fetch: server.fetch, onStatus: () => {}, onEvent: () => {}, random: noJitter });
    await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.fetch).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(4000);
    expect(server.fetch).toHaveBeenCalledTimes(4);
    stop();
  });

  it("refreshes the session on a 401 and reconnects with the new token", async () => {
    setAccessToken("expired");
    const server = fakeServer();
    server.answerNext(() => new Response(null, { status: 401 }));
    const refresh = vi.fn(async () => {
      setAccessToken("fresh");
      return true;
    });
    const statuses: LiveStatus[] = [];
    const stop = startLiveEvents({
      fetch: server.fetch,
      refresh,
      onStatus: (s) => statuses.push(s),
      onEvent: () => {},
    });
    await waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(2));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.requests[1]?.headers.get("Authorization")).toBe("Bearer fresh");
    await waitFor(() => expect(statuses.at(-1)).toBe("live"));
    stop();
  });

  it("reconnects when the token changes, resuming from the last id, and stops on sign-out", async () => {
    setAccessToken("token-1");
    const server = fakeServer();
    const statuses: LiveStatus[] = [];
    const seen: string[] = [];
    const stop = startLiveEvents({
      fetch: server.fetch,
      onStatus: (s) => statuses.push(s),
      onEvent: (e) => seen.push(e.id),
    });
    await waitFor(() => expect(statuses.at(-1)).toBe("live"));
    server.streams[0]?.send("id: 9\nevent: notification\ndata: {}\n\n");
    await waitFor(() => expect(seen).toEqual(["9"]));

    setAccessToken("token-2");
    await waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(2));
    expect(server.streams[0]?.closed).toBe(true);
    expect(server.requests[1]?.headers.get("Authorization")).toBe("Bearer token-2");
    expect(server.requests[1]?.headers.get("Last-Event-ID")).toBe("9");
    await waitFor(() => expect(statuses.at(-1)).toBe("live"));

    clearAccessToken();
    expect(statuses.at(-1)).toBe("offline");
    expect(server.streams[1]?.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.fetch).toHaveBeenCalledTimes(2);
    stop();
  });
});

describe("useLiveEvents", () => {
  const P = "prompt-1";
  const R = "response-1";
  const S = "space-1";
  const keys: Record<string, QueryKey> = {
    notifications: notificationKeys.all,
    answersNewest: answerKeys.responses(P, "newest"),
    answersOldest: answerKeys.responses(P, "oldest"),
    otherAnswers: answerKeys.responses("prompt-2", "newest"),
    feed: conversationKeys.feed(P),
    waiting: conversationKeys.waiting(P),
    replies: conversationKeys.replies(R),
    otherReplies: conversationKeys.replies("response-2"),
    probes: conversationKeys.probes(R),
    queue: conversationKeys.queue(S, { status: "open" }),
    otherQueue: conversationKeys.queue("space-2", { status: "open" }),
    timeline: answerKeys.timeline(S),
  };

  function setup() {
    setAccessToken("token-1");
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    const queryClient = new QueryClient();
    for (const key of Object.values(keys)) queryClient.setQueryData(key, { seeded: true });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    );
    const hook = renderHook(() => useLiveEvents(keysForEvent), { wrapper });
    const stale = () =>
      Object.entries(keys)
        .filter(([, key]) => queryClient.getQueryState(key)?.isInvalidated)
        .map(([name]) => name)
        .sort();
    const reset = () => {
      for (const key of Object.values(keys)) queryClient.setQueryData(key, { seeded: true });
    };
    return { server, hook, stale, reset };
  }

  async function deliver(ctx: ReturnType<typeof setup>, type: string, data: object) {
    ctx.reset();
    ctx.server.streams[0]?.send(`id: ${type}\nevent: ${type}\ndata: ${JSON.stringify({ kind: type, ...data })}\n\n`);
    await waitFor(() => expect(ctx.stale().length).toBeGreaterThan(0));
    return ctx.stale();
  }

  it("invalidates the queries each event concerns", async () => {
    const ctx = setup();
    await waitFor(() => expect(ctx.hook.result.current).toBe("live"));

    expect(await deliver(ctx, "notification", { space_id: S, notification_id: "n-1" })).toEqual(["notifications"]);
    expect(await deliver(ctx, "response.created", { response_id: R, prompt_id: P, space_id: S })).toEqual(
      ["answersNewest", "answersOldest", "feed", "waiting"].sort(),
    );
    expect(await deliver(ctx, "reply.created", { reply_id: "r-1", response_id: R, prompt_id: P, space_id: S })).toEqual(
      ["answersNewest", "answersOldest", "feed", "replies"].sort(),
    );
    expect(
      await deliver(ctx, "reaction.changed", { target_id: "r-1", response_id: R, prompt_id: P, space_id: S }),
    ).toEqual(["answersNewest", "answersOldest", "feed", "replies"].sort());
    expect(await deliver(ctx, "probe.created", { probe_id: "p-1", response_id: R, space_id: S })).toEqual([
      "probes",
      "queue",
    ]);
    expect(await deliver(ctx, "probe.answered", { probe_id: "p-1", response_id: R, space_id: S })).toEqual([
      "probes",
      "queue",
    ]);
  });

  it("is offline and does not connect while signed out", async () => {
    const ctx = setup();
    await waitFor(() => expect(ctx.hook.result.current).toBe("live"));
    act(() => clearAccessToken());
    expect(ctx.hook.result.current).toBe("offline");
    expect(ctx.server.streams[0]?.closed).toBe(true);
    expect(getAccessToken()).toBeNull();
    ctx.hook.unmount();
  });
});

describe("live state in the UI", () => {
  function Interval({ ms }: { ms: number }) {
    return <output>{useLivePoll(ms)}</output>;
  }

  it("polls slowly only while live", () => {
    const { rerender } = render(
      <LiveStatusContext.Provider value="live">
        <Interval ms={5000} />
      </LiveStatusContext.Provider>,
    );
    expect(screen.getByRole("status")).toHaveTextContent(String(LIVE_POLL_MS));
    rerender(
      <LiveStatusContext.Provider value="offline">
        <Interval ms={5000} />
      </LiveStatusContext.Provider>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("5000");
  });

  it("says Live, or that it reconnects and polls meanwhile (en, fr)", () => {
    render(
      <I18nProvider lang="en">
        <LiveStatusContext.Provider value="live">
          <LiveIndicator polling="Refreshed every 5 seconds" />
        </LiveStatusContext.Provider>
      </I18nProvider>,
    );
    expect(screen.getByText("Live")).toBeInTheDocument();
    cleanup();
    render(
      <I18nProvider lang="fr">
        <LiveStatusContext.Provider value="offline">
          <LiveIndicator polling="Actualisé toutes les 5 secondes" />
        </LiveStatusContext.Provider>
      </I18nProvider>,
    );
    expect(screen.getByText("Reconnexion… · Actualisé toutes les 5 secondes")).toBeInTheDocument();
  });
});
