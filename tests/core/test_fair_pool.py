"""The pool serves waiters in arrival order: a connection given back goes to the one who
waited longest, never to a newcomer, so no request starves under saturation (issue 11, B4).
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.util.concurrency import greenlet_spawn
from sqlalchemy.util.queue import Empty

from causerie.core.database import Database
from causerie.core.pool import FairAsyncQueuePool, FairQueue


async def _get(queue: FairQueue[str], wait: float | None = 5.0) -> str:
    """The pool's blocking get, in the greenlet SQLAlchemy runs it in (``wait``: its timeout)."""
    return await greenlet_spawn(queue.get, True, wait)


async def test_a_returned_item_goes_to_the_longest_waiter_not_to_a_newcomer() -> None:
    queue: FairQueue[str] = FairQueue(maxsize=2)
    served: list[str] = []

    async def waiter(name: str) -> None:
        served.append(f"{name}:{await _get(queue)}")

    first = asyncio.create_task(waiter("first"))
    second = asyncio.create_task(waiter("second"))
    await asyncio.sleep(0.01)  # both wait, in that order
    queue.put_nowait("a")
    # A newcomer arrives before the woken waiter runs: it cannot take "a" …
    with pytest.raises(Empty):
        queue.get(block=False)
    # … and waits behind the others.
    newcomer = asyncio.create_task(waiter("newcomer"))
    await asyncio.sleep(0.01)
    queue.put_nowait("b")
    queue.put_nowait("c")
    await asyncio.gather(first, second, newcomer)
    assert served == ["first:a", "second:b", "newcomer:c"]


async def test_a_free_item_is_taken_at_once_and_a_wait_times_out_as_empty() -> None:
    queue: FairQueue[str] = FairQueue(maxsize=1)
    queue.put_nowait("a")
    assert await _get(queue) == "a"
    with pytest.raises(Empty):
        await _get(queue, wait=0.05)
    assert not queue._waiters, "a waiter that gave up leaves the line"
    queue.put_nowait("b")
    assert queue.qsize() == 1, "nobody waits: the item is kept for the next one"


@pytest.mark.parametrize("wait", [None, 5.0])
async def test_an_item_handed_over_as_its_waiter_is_cancelled_is_not_lost(
    wait: float | None,
) -> None:
    queue: FairQueue[str] = FairQueue(maxsize=1)
    gone = asyncio.create_task(_get(queue, wait))
    await asyncio.sleep(0.01)
    queue.put_nowait("a")  # handed to the waiter's future …
    gone.cancel()  # … whose task is cancelled before it runs
    try:
        kept = [await gone]  # the waiter still took it (wait_for keeps a finished result)
    except asyncio.CancelledError:
        kept = []
    if not kept:
        kept.append(await _get(queue, wait=0.1))  # … or it was passed on to the next
    assert kept == ["a"], "the connection reaches exactly one holder"
    assert queue.qsize() == 0


async def test_the_application_engine_uses_the_fair_pool(db: Database) -> None:
    assert isinstance(db.engine.pool, FairAsyncQueuePool) or db.engine.url.database in (
        None,
        "",
        ":memory:",
    )
