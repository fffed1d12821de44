"""Domain events on the unit of work, and what runs once it commits.

A service that changes something records what happened (an immutable event holding ids,
see ``core/event_catalogue.py``) with ``await record(session, event)``. The subscribers
installed at start-up (``causerie/wiring.py``) react at once, *inside the same
transaction*: a rolled-back change leaves no notification, live event or e-mail behind.
Services therefore never import ``notifications`` or ``realtime``; those packages sit
above the domains and listen.

What must happen only after the commit (wake the outbox dispatcher, wake live streams in
every process) is asked for with ``wake_after_commit(session, channel, items)``; the one
commit point (``core/http.py``, or the worker's own units of work) hands the collected
items to the waker registered for each channel, without knowing what the channels are.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

RECORDED = "causerie.events"
WAKEUPS = "causerie.wakeups"


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened in an organization. ``name`` is its stable public name
    (``response.created``): webhook event types and change-feed kinds reuse it."""

    name: ClassVar[str]
    organization_id: uuid.UUID

    def payload(self) -> dict[str, str | bool | None]:
        """The event's ids as JSON-ready strings, for live events and (later) webhooks."""
        return {
            key: (str(value) if isinstance(value, uuid.UUID) else value)
            for key, value in vars(self).items()
        }


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[AsyncSession, Any], Awaitable[None]]


class Subscribers:
    """Event types to the handlers that react to them, in registration order."""

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = {}

    def on(
        self, *event_types: type[E]
    ) -> Callable[[Callable[[AsyncSession, E], Awaitable[None]]], Handler]:
        def register(handler: Callable[[AsyncSession, E], Awaitable[None]]) -> Handler:
            for event_type in event_types:
                self._handlers.setdefault(event_type, []).append(handler)
            return handler

        return register

    def handlers(self, event: DomainEvent) -> list[Handler]:
        return self._handlers.get(type(event), [])


class SubscribersMissing(RuntimeError):
    """An event was recorded in a process that never installed its subscribers."""


_installed: Subscribers | None = None


def install(subscribers: Subscribers) -> None:
    """Make these the process's subscribers (done once by the composition root)."""
    global _installed  # the one process-wide registry, set at start-up
    _installed = subscribers


async def record(session: AsyncSession, event: DomainEvent) -> None:
    """Record the event on the unit of work; its subscribers react in this transaction."""
    if _installed is None:
        raise SubscribersMissing(f"{event.name} recorded before install(): see wiring.py")
    session.info.setdefault(RECORDED, []).append(event)
    for handler in _installed.handlers(event):
        await handler(session, event)


def recorded(session: AsyncSession) -> list[DomainEvent]:
    """The events recorded so far in this unit of work, oldest first."""
    events: list[DomainEvent] = session.info.get(RECORDED, [])
    return list(events)


# --- after the commit -----------------------------------------------------------------------

Waker = Callable[[set[Any]], Awaitable[None]]


def wake_after_commit(session: AsyncSession, channel: str, items: Iterable[Hashable] = ()) -> None:
    """Once this unit of work commits, hand ``items`` to the waker of ``channel``."""
    session.info.setdefault(WAKEUPS, {}).setdefault(channel, set()).update(items)


def take_wakeups(session: AsyncSession) -> dict[str, set[Any]]:
    """What the committed unit of work asked to wake, cleared from the session."""
    session.info.pop(RECORDED, None)
    wakeups: dict[str, set[Any]] = session.info.pop(WAKEUPS, {})
    return wakeups


async def run_wakers(session: AsyncSession, wakers: dict[str, Waker]) -> None:
    """Call after a commit: each channel's waker with what the unit of work collected."""
    for channel, items in take_wakeups(session).items():
        waker = wakers.get(channel)
        if waker is not None:
            await waker(items)
