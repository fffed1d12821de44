"""A real ``causerie serve`` process on a free port, for end-to-end and multi-process tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

TEST_SECRET = "server-secret-" + "s" * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def start_server(
    database_url: str, *, port: int | None = None, env: dict[str, str] | None = None
) -> ServerProcess:
    """Start the server and wait (polling its health check) until it answers."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = Path(tempfile.mkdtemp(prefix="causerie-server-"))
    environment = {
        **os.environ,
        "CAUSERIE_DATABASE_URL": database_url,
        "CAUSERIE_DATA_DIR": str(data_dir),
        "CAUSERIE_SECRET_KEY": TEST_SECRET,
        "CAUSERIE_PUBLIC_BASE_URL": url,
        "CAUSERIE_LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, awaited below
        [sys.executable, "-m", "causerie", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        cwd=data_dir,
    )
    server = ServerProcess(url=url, process=process)
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if (await client.get(f"{url}/api/v1/health")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    server.stop()
    raise RuntimeError("the server did not become healthy in 60 seconds")
