"""A flood of sign-in attempts cannot take every core: hashing runs on its own small pool
with a short queue, and what does not fit is refused at once (503) instead of waiting."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from causerie.core import passwords
from causerie.core.errors import ServiceBusy


async def test_hashes_run_one_at_a_time_and_a_flood_beyond_the_queue_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def slow_verify(_hash: str | None, _password: str) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return True

    monkeypatch.setattr(passwords, "_verify", slow_verify)
    flood = 3 * passwords.HASHING_QUEUE
    results = await asyncio.gather(
        *(passwords.verify_password("x", "y") for _ in range(flood)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, ServiceBusy)]
    checked = [r for r in results if r is True]
    assert len(checked) == passwords.HASHING_QUEUE, "as many as the queue holds are checked"
    assert len(refused) == flood - passwords.HASHING_QUEUE
    assert refused[0].status == 503 and refused[0].headers["Retry-After"] == "1"
    assert most == passwords.HASHING_THREADS, "never more hashes at once than the pool"
    assert await passwords.verify_password("x", "y") is True, "the queue drains"


async def test_real_hashes_still_verify() -> None:
    hashed = await passwords.hash_password("correct horse")
    assert await passwords.verify_password(hashed, "correct horse") is True
    assert await passwords.verify_password(hashed, "wrong horse") is False
    assert await passwords.verify_password(None, "anything") is False


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities are Linux's")
async def test_hashing_runs_at_the_lowest_priority_while_the_server_keeps_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def nice_of_this_thread(_hash: str | None, _password: str) -> bool:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return True

    monkeypatch.setattr(passwords, "_verify", nice_of_this_thread)
    assert await passwords.verify_password("x", "y") is True
    assert seen == [passwords.HASHING_NICE]
    # Only the hashing thread was lowered: the event loop's thread keeps the process's.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < passwords.HASHING_NICE
