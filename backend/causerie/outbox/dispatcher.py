"""Runs the outbox: in the API process (embedded default) or in ``causerie worker``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.outbox import service as outbox_service
from causerie.outbox.transports import Transport, transport_from_settings

logger = logging.getLogger("causerie.outbox")
POLL_INTERVAL_SECONDS = 2.0
STOP_GRACE_SECONDS = 10.0


@dataclass
class Periodic:
    """Work the dispatcher also runs every ``interval`` seconds (e.g. the release tick)."""

    name: str
    interval: float
    run: Callable[[], Awaitable[object]]
    last: float = float("-inf")


class Dispatcher:
    """Delivers due messages, then waits for the poll interval or a ``wake()``."""

    def __init__(
        self,
        database: Database,
        *,
        transport: Transport,
        policy: outbox_service.RetryPolicy,
        poll_interval: float = POLL_INTERVAL_SECONDS,
        periodic: tuple[Periodic, ...] = (),
        lease: timedelta = outbox_service.DEFAULT_LEASE,
    ) -> None:
        self.periodic = periodic
        self.lease = lease
        self.database = database
        self.transport = transport
        self.policy = policy
        self.poll_interval = poll_interval
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_settings(
        cls, database: Database, settings: Settings, *, periodic: tuple[Periodic, ...] = ()
    ) -> Dispatcher:
        """A dispatcher configured from ``settings``; the caller injects the periodic work
        (``causerie.worker`` lists it), so the outbox knows nothing of who uses it."""
        return cls(
            database,
            transport=transport_from_settings(settings),
            policy=outbox_service.RetryPolicy.from_settings(settings),
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            periodic=periodic,
        )

    async def run_periodic(self) -> None:
        """Run the periodic work that is due; a failure is logged and retried next time."""
        for job in self.periodic:
            if time.monotonic() - job.last < job.interval:
                continue
            job.last = time.monotonic()
            try:
                await job.run()
            except Exception:
                logger.exception("periodic %s failed", job.name)

    async def deliver_due(self) -> int:
        """Deliver everything due now, batch after batch; returns how many were attempted."""
        total = 0
        while not self._stopping:
            attempted = await outbox_service.deliver_batch(
                self.database, self.transport, policy=self.policy, lease=self.lease
            )
            total += attempted
            if attempted < outbox_service.BATCH_SIZE:
                break
        return total

    async def run_forever(self) -> None:
        logger.info(
            "outbox dispatcher started (%s)",
            type(self.transport).__name__.removesuffix("Transport"),
        )
        while not self._stopping:
            self._wakeup.clear()
            await self.run_periodic()
            try:
                await self.deliver_due()
            except Exception:
                # A database hiccup must not kill the loop: log it and try again later.
                logger.exception("outbox delivery failed; retrying in %.0f s", self.poll_interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=self.poll_interval)
        logger.info("outbox dispatcher stopped")

    def start(self) -> None:
        self._task = asyncio.create_task(self.run_forever(), name="outbox-dispatcher")

    def wake(self) -> None:
        self._wakeup.set()

    async def stop(self) -> None:
        """Stop after the message in hand."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            # A send still stuck after the grace period is cancelled; its lease runs out
            # and another dispatcher retries it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._task, timeout=STOP_GRACE_SECONDS)
            self._task = None
