"""A small load generator: HTTP/1.1 keep-alive connections over asyncio streams.

Closed loop (``closed_loop``): N connections, each sending its next request when the
previous answer arrived. Open loop (``open_loop``): requests arrive at a fixed rate whether
or not earlier ones were answered (each on an idle connection, or a new one), and latency
counts from the moment a request was due, so a slow server is not hidden by a slow client.
Server-Sent Events (``EventStream``): a stream held open, scanned for a marker.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str | None = None
    body: Any = None
    headers: tuple[tuple[str, str], ...] = ()

    def encode(self, port: int) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {HOST}:{port}"]
        if self.token:
            lines.append(f"Authorization: Bearer {self.token}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        payload = b""
        if self.body is not None:
            payload = json.dumps(self.body).encode()
            lines.append("Content-Type: application/json")
        if self.method != "GET" or payload:
            lines.append(f"Content-Length: {len(payload)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ProtocolError(Exception):
    pass


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ProtocolError(f"not an HTTP/1.1 answer: {status_line!r}")
    headers = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", ""):
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size + 2))
            chunks[-1] = chunks[-1][:-2]
    return await reader.readexactly(int(headers.get("content-length", "0")))


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: Request) -> Answer:
        reused = self.writer is not None
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(request.encode(self.port))
        try:
            status, headers = await _read_head(self.reader)
        except (ConnectionResetError, asyncio.IncompleteReadError):
            if not reused:
                raise
            # The server closed this idle keep-alive connection: once more on a new one.
            self.close()
            return await self.send(request)
        body = await _read_body(self.reader, headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def fetch(port: int, request: Request, time_limit: float = 60.0) -> Answer:
    """One request on a connection of its own."""
    connection = Connection(port)
    try:
        async with asyncio.timeout(time_limit):
            return await connection.send(request)
    finally:
        connection.close()


# --- measurements ---------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Samples:
    """Latencies (seconds) and outcomes of the requests started in a measured window."""

    window: float = 0.0
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    ok_statuses: tuple[int, ...] = (200, 201)

    def add(self, outcome: str, latency: float) -> None:
        self.outcomes[outcome] += 1
        self.latencies.append(latency)

    @property
    def count(self) -> int:
        return sum(self.outcomes.values())

    @property
    def errors(self) -> int:
        ok = {str(s) for s in self.ok_statuses}
        return sum(n for outcome, n in self.outcomes.items() if outcome not in ok)

    @property
    def rps(self) -> float:
        return self.count / self.window if self.window else 0.0

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.count,
            "seconds": round(self.window, 2),
            "requests_per_second": round(self.rps, 1),
            "p50_ms": round(self.ms(50), 1),
            "p99_ms": round(self.ms(99), 1),
            "max_ms": round(self.ms(100), 1),
            "errors": self.errors,
            "outcomes": dict(sorted(self.outcomes.items())),
        }


async def _timed(connection: Connection, request: Request, time_limit: float) -> str:
    try:
        async with asyncio.timeout(time_limit):
            answer = await connection.send(request)
    except TimeoutError:
        connection.close()
        return "timeout"
    except (OSError, asyncio.IncompleteReadError, ProtocolError, ValueError):
        connection.close()
        return "connection error"
    return str(answer.status)


async def closed_loop(
    port: int,
    make: Callable[[int, int], Request],
    *,
    connections: int,
    seconds: float,
    warmup: float = 0.0,
    time_limit: float = 30.0,
) -> Samples:
    """``connections`` clients in a loop; ``make(client, n)`` builds each one's n-th request.

    Requests started during the warm-up are not counted; none start after it ends.
    """
    samples = Samples(window=seconds)
    began = time.monotonic()
    measured_from, end = began + warmup, began + warmup + seconds

    async def client(index: int) -> None:
        connection = Connection(port)
        n = 0
        try:
            while (start := time.monotonic()) < end:
                outcome = await _timed(connection, make(index, n), time_limit)
                n += 1
                if start >= measured_from:
                    samples.add(outcome, time.monotonic() - start)
        finally:
            connection.close()

    await asyncio.gather(*(client(i) for i in range(connections)))
    return samples


async def open_loop(
    port: int,
    make: Callable[[int], Request],
    *,
    rate: float,
    seconds: float,
    time_limit: float = 30.0,
    ok_statuses: tuple[int, ...] = (200, 201),
) -> Samples:
    """Requests due every 1/``rate`` seconds for ``seconds``; each is timed from when due."""
    samples = Samples(window=seconds, ok_statuses=ok_statuses)
    idle: list[Connection] = []
    began = time.monotonic()
    tasks: list[asyncio.Task[None]] = []

    async def one(n: int, due: float) -> None:
        connection = idle.pop() if idle else Connection(port)
        outcome = await _timed(connection, make(n), time_limit)
        samples.add(outcome, time.monotonic() - due)
        idle.append(connection)

    total = int(rate * seconds)
    for n in range(total):
        due = began + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n, due)))
    await asyncio.gather(*tasks)
    for connection in idle:
        connection.close()
    return samples


# --- live streams ---------------------------------------------------------------------


class Watch:
    """How many streams have seen a marker, and when the last of them did."""

    def __init__(self, marker: bytes, expected: int) -> None:
        self.marker = marker
        self.expected = expected
        self.seen = 0
        self.last_at = 0.0
        self.done = asyncio.Event()

    def saw(self) -> None:
        self.seen += 1
        self.last_at = time.monotonic()
        if self.seen >= self.expected:
            self.done.set()


class EventStream:
    """``GET /api/v1/me/events`` held open; its bytes are scanned for the current watch."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.writer: asyncio.StreamWriter | None = None
        self.status = 0
        self.watch: Watch | None = None
        self.closed = False
        self._reader_task: asyncio.Task[None] | None = None

    async def open(self, time_limit: float) -> int:
        """Connect and read the answer's head; 200 means the stream is live."""
        async with asyncio.timeout(time_limit):
            reader, self.writer = await asyncio.open_connection(HOST, self.port)
            request = Request(
                "GET", "/api/v1/me/events", self.token, headers=(("Accept", "text/event-stream"),)
            )
            self.writer.write(request.encode(self.port))
            self.status, headers = await _read_head(reader)
            if self.status != 200:
                await _read_body(reader, headers)
                self.close()
                return self.status
            await reader.readuntil(b"\n\n")  # "retry: …": the stream is registered
        self._reader_task = asyncio.create_task(self._read(reader))
        return self.status

    async def _read(self, reader: asyncio.StreamReader) -> None:
        tail = b""
        matched: Watch | None = None
        try:
            while data := await reader.read(65536):
                watch = self.watch
                if watch is None or watch is matched:
                    tail = data[-64:]
                    continue
                if watch.marker in tail + data:
                    matched = watch
                    watch.saw()
                tail = data[-64:]
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.closed = True

    def close(self) -> None:
        if self._reader_task is not None:
            self._reader_task.cancel()
        if self.writer is not None:
            self.writer.close()
            self.writer = None
