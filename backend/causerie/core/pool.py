"""A connection pool that serves its waiters in arrival order.

SQLAlchemy's asyncio pool queues waiters on an ``asyncio.Queue``: a connection given back
wakes the first waiter, but a request that arrives in the meantime takes the connection
first, and the woken waiter goes back to the end of the line. Under saturation (100 writers
on a pool of 20) some requests lose again and again until their wait times out (503), while
the average wait is under a second (issue 11, B4). Here a connection given back is handed
straight to the first waiter, and nobody takes a free connection while others wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TypeVar

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.pool.base import ConnectionPoolEntry
from sqlalchemy.util import await_
from sqlalchemy.util.queue import AsyncAdaptedQueue, Empty

T = TypeVar("T")


class FairQueue(AsyncAdaptedQueue[T]):
    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        super().__init__(maxsize, use_lifo)
        self._waiters: deque[asyncio.Future[T]] = deque()

    def _someone_waits(self) -> bool:
        while self._waiters and self._waiters[0].done():
            self._waiters.popleft()
        return bool(self._waiters)

    def put_nowait(self, item: T) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(item)  # handed over: nobody can take it on the way
                return
        super().put_nowait(item)

    def put(self, item: T, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # never blocks: the pool gives back what it took

    def get(self, block: bool = True, timeout: float | None = None) -> T:
        if not self._someone_waits():
            with contextlib.suppress(asyncio.QueueEmpty):
                return self._queue.get_nowait()
        if not block:
            raise Empty()
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            if timeout is None:
                return await_(waiter)
            return await_(asyncio.wait_for(waiter, timeout))
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():
                # Handed to us just as we gave up (time-out, cancellation): pass it on.
                self.put_nowait(waiter.result())
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(error, TimeoutError):
                raise Empty() from error
            raise


class FairAsyncQueuePool(AsyncAdaptedQueuePool):
    _queue_class = FairQueue[ConnectionPoolEntry]
