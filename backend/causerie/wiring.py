"""The composition root's one wiring step: which subscribers react to domain events.

``create_app`` (API processes) and ``causerie worker`` / the CLI call ``install_subscribers``
once at start-up. Registration order is reaction order: notifications first (they write
rows that live events then announce), live events second. Webhooks, the change feed and
the audit trail are added here as further subscribers.
"""

from __future__ import annotations

from causerie.core import events
from causerie.core.settings import Settings
from causerie.notifications import subscribers as notification_subscribers
from causerie.realtime import subscribers as realtime_subscribers


def install_subscribers(settings: Settings) -> events.Subscribers:
    subscribers = events.Subscribers()
    notification_subscribers.register(subscribers, settings)
    realtime_subscribers.register(subscribers)
    events.install(subscribers)
    return subscribers
