"""Password hashing with argon2id (m=19 MiB, t=2, p=1: the OWASP minimum).

Hashing is deliberately slow, so it runs on a small pool of its own (``HASHING_THREADS``)
with a short queue: a flood of sign-in attempts uses at most that many cores' worth of
time, and beyond ``HASHING_QUEUE`` waiting hashes the caller gets an immediate 503 instead
of slowing every other request of the process. The hashing thread also runs at the lowest
scheduling priority (Linux keeps a nice value per thread): when the process is busy
answering pages, a flood of wrong passwords waits for spare CPU instead of taking it from
the readers (issue 11, B6).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type

from causerie.core.errors import ServiceBusy

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
HASHING_THREADS = 1
HASHING_QUEUE = 8
HASHING_NICE = 19


def _lower_priority() -> None:
    """Run this (hashing) thread at the lowest priority; where threads cannot have a nice
    value of their own (not Linux), or it is not allowed, it keeps the process's."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICE)


_pool = ThreadPoolExecutor(
    max_workers=HASHING_THREADS, thread_name_prefix="argon2", initializer=_lower_priority
)
_waiting = 0
T = TypeVar("T")


async def _hashing(work: Callable[..., T], *args: str | None) -> T:
    global _waiting  # one counter for the process, like the pool it guards
    if _waiting >= HASHING_QUEUE:
        raise ServiceBusy(
            "Too many sign-ins are being checked right now; try again in a moment.",
            headers={"Retry-After": "1"},
        )
    _waiting += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, work, *args)
    finally:
        _waiting -= 1


# Verified against when the account does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("causerie-timing-equaliser")


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await _hashing(_hasher.hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; with no hash, spends the same time and says no."""
    return await _hashing(_verify, password_hash, password)
