import { refreshSession } from "../../api/client";
import { getAccessToken, subscribeSession } from "../../lib/session";
import type { LiveStatus } from "../../lib/live";
import { SseParser, type SseEvent } from "./sse";

export const EVENTS_PATH = "/api/v1/me/events";
export const MIN_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;
/** The server sends a comment every 15 s: a silent stream for longer is dead. */
export const IDLE_TIMEOUT_MS = 45_000;

export type LiveOptions = {
  onEvent: (event: SseEvent) => void;
  onStatus: (status: LiveStatus) => void;
  url?: string;
  fetch?: (request: Request) => Promise<Response>;
  getToken?: () => string | null;
  subscribe?: (listener: () => void) => () => void;
  refresh?: () => Promise<boolean>;
  /** Jitter source (0 ≤ r < 1): a delay is shortened by up to 20 % so clients do not reconnect in step. */
  random?: () => number;
  idleTimeoutMs?: number;
};

/** The wait before attempt n + 1 after n consecutive failures: 1 s, 2 s, 4 s … 30 s. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (1 - 0.2 * random()));
}

function defaultUrl(): string {
  return new URL(EVENTS_PATH, globalThis.location?.origin ?? "http://localhost").toString();
}

/**
 * Keeps the signed-in person's event stream open: reconnects with backoff and
 * `Last-Event-ID` (so the server replays what was missed), at once when the access
 * token changes (the server ends a stream when its token expires), after a refresh on
 * a 401, and stops while signed out. Returns the function that stops it.
 */
export function startLiveEvents(options: LiveOptions): () => void {
  const {
    onEvent,
    onStatus,
    url = defaultUrl(),
    fetch: send = (request: Request) => globalThis.fetch(request),
    getToken = getAccessToken,
    subscribe = subscribeSession,
    refresh = refreshSession,
    random = Math.random,
    idleTimeoutMs = IDLE_TIMEOUT_MS,
  } = options;

  let stopped = false;
  let status: LiveStatus | null = null;
  let token = getToken();
  let lastEventId = "";
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The attempt in progress; an attempt that is no longer current stops quietly. */
  let current: { abort: AbortController; reader?: ReadableStreamDefaultReader<Uint8Array> } | null = null;

  const setStatus = (next: LiveStatus) => {
    if (stopped || next === status) return;
    status = next;
    onStatus(next);
  };

  const closeCurrent = () => {
    clearTimeout(idleTimer);
    if (!current) return;
    current.abort.abort();
    current.reader?.cancel().catch(() => {});
    current = null;
  };

  const schedule = (delay: number) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), delay);
  };

  const fail = () => {
    closeCurrent();
    failures += 1;
    setStatus("offline");
    schedule(retryDelay(failures, random));
  };

  async function connect(): Promise<void> {
    closeCurrent();
    const used = getToken();
    if (stopped || used === null) {
      setStatus("offline");
      return;
    }
    const attempt: NonNullable<typeof current> = { abort: new AbortController() };
    current = attempt;
    const isCurrent = () => !stopped && current === attempt;
    if (status !== "offline") setStatus("connecting");

    const headers = new Headers({ Accept: "text/event-stream", Authorization: `Bearer ${used}` });
    if (lastEventId !== "") headers.set("Last-Event-ID", lastEventId);
    let response: Response;
    try {
      response = await send(
        new Request(url, { headers, cache: "no-store", credentials: "include", signal: attempt.abort.signal }),
      );
    } catch {
      if (isCurrent()) fail();
      return;
    }
    if (!isCurrent()) {
      void response.body?.cancel().catch(() => {});
      return;
    }
    if (response.status === 401) {
      void response.body?.cancel().catch(() => {});
      failures += 1;
      // A new token reconnects through the session listener; none means signed out.
      const refreshed = await refresh();
      if (!isCurrent()) return;
      if (refreshed && getToken() !== used) return;
      if (refreshed) fail();
      else {
        closeCurrent();
        setStatus("offline");
      }
      return;
    }
    if (!response.ok || !response.body) {
      void response.body?.cancel().catch(() => {});
      fail();
      return;
    }

    const reader = response.body.getReader();
    attempt.reader = reader;
    const parser = new SseParser(lastEventId);
    const decoder = new TextDecoder();
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => isCurrent() && fail(), idleTimeoutMs);
    };
    failures = 0;
    setStatus("live");
    armIdle();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (!isCurrent()) return;
        if (done) break;
        armIdle();
        const events = parser.push(decoder.decode(value, { stream: true }));
        lastEventId = parser.lastEventId;
        for (const event of events) {
          try {
            onEvent(event);
          } catch {
            // One bad event must not end the stream.
          }
        }
      }
    } catch {
      // A network error mid-stream: reconnect below.
    }
    // The server ended the stream (token expiry, restart) or the network dropped it.
    if (isCurrent()) fail();
  }

  const unsubscribe = subscribe(() => {
    const next = getToken();
    if (next === token) return;
    token = next;
    closeCurrent();
    clearTimeout(retryTimer);
    if (next === null) {
      // Signed out: the next person starts from now.
      lastEventId = "";
      failures = 0;
      setStatus("offline");
      return;
    }
    setStatus("connecting");
    // Straight away, unless new tokens keep being refused (then keep backing off).
    schedule(failures <= 1 ? 0 : retryDelay(failures - 1, random));
  });

  void connect();

  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(retryTimer);
    closeCurrent();
  };
}
