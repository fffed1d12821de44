"""The worker's composition root: the outbox dispatcher and the periodic jobs it runs.

``causerie worker`` and the API's in-process dispatcher (``main.py``) both build their
dispatcher here, so the jobs and their intervals are listed once. The outbox itself
knows nothing of them: it runs what it is given.
"""

from __future__ import annotations

import asyncio
import signal
from functools import partial

from causerie.core.database import Database
from causerie.core.settings import Settings
from causerie.notifications.digests import digest_tick
from causerie.notifications.probes import probe_nudge_tick
from causerie.notifications.release import release_tick
from causerie.notifications.reminders import reminder_tick
from causerie.outbox.dispatcher import Dispatcher, Periodic
from causerie.wiring import install_subscribers

DIGEST_INTERVAL_SECONDS = 15 * 60


def periodic_jobs(database: Database, settings: Settings) -> tuple[Periodic, ...]:
    """Every periodic job: its name, how often it runs (seconds) and the tick it runs."""
    every_tick = settings.release_tick_seconds
    return (
        Periodic("release", every_tick, partial(release_tick, database, settings)),
        Periodic("probe nudges", every_tick, partial(probe_nudge_tick, database, settings)),
        Periodic("reminders", every_tick, partial(reminder_tick, database, settings)),
        Periodic("digests", DIGEST_INTERVAL_SECONDS, partial(digest_tick, database, settings)),
    )


def build_dispatcher(database: Database, settings: Settings) -> Dispatcher:
    """The outbox dispatcher with every periodic job."""
    return Dispatcher.from_settings(database, settings, periodic=periodic_jobs(database, settings))


async def run_worker(settings: Settings, *, once: bool) -> int:
    """Run the dispatcher until SIGINT or SIGTERM; with ``once``, run the periodic jobs and
    deliver what is due now, then return how many messages were attempted."""
    install_subscribers(settings)
    database = Database.from_settings(settings)
    dispatcher = build_dispatcher(database, settings)
    try:
        if once:
            await dispatcher.run_periodic()
            return await dispatcher.deliver_due()
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        dispatcher.start()
        await stopping.wait()
        await dispatcher.stop()
        return 0
    finally:
        await database.dispose()
