/**
 * A small Server-Sent Events parser (the `text/event-stream` format, as the HTML
 * standard reads it) for streams read with fetch: feed it decoded text in chunks of
 * any size; it returns the events completed by each chunk.
 */
export type SseEvent = {
  /** The event's type (`event:` field), "message" when absent. */
  type: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last event id seen on this stream when the event was dispatched (`id:`), "" if none. */
  id: string;
};

export class SseParser {
  /** The id to resume from (`Last-Event-ID`): updated when an event completes, as browsers do. */
  lastEventId: string;
  /** Comment lines (`: heartbeat`) seen so far. */
  comments = 0;

  private buffer = "";
  private skipLeadingLf = false;
  private data: string[] = [];
  private type = "";
  private idBuffer: string;

  constructor(lastEventId = "") {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  push(chunk: string): SseEvent[] {
    let text = chunk;
    // A CRLF split across two chunks: the CR already ended the line.
    if (this.skipLeadingLf && text.startsWith("\n")) text = text.slice(1);
    this.skipLeadingLf = false;
    this.buffer += text;

    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== "\n" && char !== "\r") continue;
      const line = this.buffer.slice(start, i);
      if (char === "\r") {
        if (i + 1 === this.buffer.length) this.skipLeadingLf = true;
        else if (this.buffer[i + 1] === "\n") i += 1;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) {
      this.comments += 1;
      return null;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        break;
      case "event":
        this.type = value;
        break;
      case "id":
        if (!value.includes("\0")) this.idBuffer = value;
        break;
      default:
        // `retry` and unknown fields: the caller owns the reconnection policy.
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    this.lastEventId = this.idBuffer;
    const data = this.data;
    const type = this.type;
    this.data = [];
    this.type = "";
    if (data.length === 0) return null;
    return { type: type || "message", data: data.join("\n"), id: this.lastEventId };
  }
}
