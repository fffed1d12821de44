"""Servers under test: uvicorn in a subprocess, pinned to core 0 while the load runs on core 1."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.dataset import Person
from bench.load import Connection, Request
from causerie.core.settings import Settings
from causerie.core.tokens import issue_access_token

SECRET = "bench-secret-" + "b" * 40
ACCESS_TOKEN_TTL = 3600
REPO = Path(__file__).resolve().parents[1]
SERVER_CORE = 0
LOAD_CORE = 1


def pinning_available() -> bool:
    return (
        shutil.which("taskset") is not None
        and hasattr(os, "sched_setaffinity")
        and (os.cpu_count() or 1) >= 2
    )


def pin_this_process_to_load_core() -> None:
    os.sched_setaffinity(0, {LOAD_CORE})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    profiler: subprocess.Popen[bytes] | None = None

    def rss_kib(self) -> int:
        """Resident memory of the server process, in KiB (from /proc)."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after 15 s; the event loop keeps running meanwhile (the
        server waits for its connections, which this process may still have to close)."""
        if self.profiler is not None and self.profiler.poll() is None:
            self.profiler.send_signal(signal.SIGINT)  # py-spy writes its profile on SIGINT
            await asyncio.to_thread(self.profiler.wait)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            for _ in range(150):
                if self.process.poll() is not None:
                    return
                await asyncio.sleep(0.1)
            self.process.kill()
            await asyncio.to_thread(self.process.wait)

    def mentions(self, text: str) -> int:
        """How many lines of the server's log contain ``text`` (e.g. "database is locked")."""
        try:
            with self.log.open(errors="replace") as handle:
                return sum(1 for line in handle if text in line)
        except OSError:
            return 0

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


async def _healthy(server: Server, path: str, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}:\n{server.tail()}"
            )
        connection = Connection(server.port)
        try:
            async with asyncio.timeout(2):
                if (await connection.send(Request("GET", path))).status == 200:
                    return
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            connection.close()
        await asyncio.sleep(0.1)
    await server.stop()
    raise RuntimeError(f"{server.name} did not answer {path} within {within:.0f} s")


def _log_file(logs: Path, name: str) -> Path:
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"{name}.log"


async def start(
    name: str,
    command: Sequence[str],
    *,
    env: dict[str, str],
    logs: Path,
    pin: bool,
    health: str,
    port: int,
) -> Server:
    log = _log_file(logs, name)
    prefix = ["taskset", "-c", str(SERVER_CORE)] if pin else []
    with log.open("wb") as handle:
        process = subprocess.Popen(  # noqa: S603, ASYNC220 - started once, awaited below
            [*prefix, *command],
            env={**os.environ, **env},
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, port, process, log)
    await _healthy(server, health, within=120)
    return server


async def start_app(
    name: str,
    database_url: str,
    *,
    data_dir: Path,
    pin: bool,
    redis_url: str = "",
    extra_env: dict[str, str] | None = None,
) -> Server:
    """The real app, as operators run it: ``causerie serve`` (one uvicorn worker)."""
    port = free_port()
    env = {
        "CAUSERIE_DATABASE_URL": database_url,
        "CAUSERIE_SECRET_KEY": SECRET,
        "CAUSERIE_DATA_DIR": str(data_dir / name),
        "CAUSERIE_SPA_DIR": str(data_dir / "no-spa"),
        "CAUSERIE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "CAUSERIE_LOG_LEVEL": "WARNING",
        "CAUSERIE_ACCESS_TOKEN_TTL_SECONDS": str(ACCESS_TOKEN_TTL),
        "CAUSERIE_REDIS_URL": redis_url,
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "causerie", "serve", "--host", "127.0.0.1", "--port"]
    server = await start(
        name,
        [*command, str(port)],
        env=env,
        logs=data_dir / "logs",
        pin=pin,
        health="/api/v1/health",
        port=port,
    )
    profile = os.environ.get("CAUSERIE_BENCH_PROFILE")
    if profile:  # a sampling profile of the server, for finding costs (py-spy, installed by hand)
        out = Path(profile) / f"{name}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        spy = Path(sys.executable).parent / "py-spy"
        record = [str(spy), "record", "--format", "raw", "-r", "250", "-o", str(out)]
        server.profiler = subprocess.Popen(  # noqa: S603, ASYNC220 - stopped with the server
            [*record, "--pid", str(server.process.pid)], stdout=subprocess.DEVNULL
        )
    return server


async def start_bare(
    name: str,
    *,
    plans: Path,
    dsn: str,
    data_dir: Path,
    pin: bool,
    module: str = "bench.bare_app:app",
) -> Server:
    """The baseline: a raw ASGI app on asyncpg (``bench.bare_app``), same uvicorn; or, with
    ``module="bench.framework_app:app"``, the same work routed by FastAPI (B1's floor)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", module, "--host", "127.0.0.1"]
    return await start(
        name,
        [*command, "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env={"BENCH_BARE_PLANS": str(plans), "BENCH_BARE_DSN": dsn},
        logs=data_dir / "logs",
        pin=pin,
        health="/health",
        port=port,
    )


def token_settings() -> Settings:
    return Settings(secret_key=SECRET, access_token_ttl_seconds=ACCESS_TOKEN_TTL)


def mint(settings: Settings, person: Person) -> str:
    """An access token for someone of the data set, in their signed-in session."""
    return issue_access_token(settings, person.user_id, session_id=person.session_id)[0]
