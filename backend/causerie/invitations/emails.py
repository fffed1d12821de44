"""The invitation and staff-invitation e-mails, in the space's language and branding."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.models import Invitation, Role, Space
from causerie.outbox import service as outbox
from causerie.outbox.email import Language, public_url, render_branded_email
from causerie.spaces import service as spaces_service

NEUTRAL_ACCENT = "#3344aa"


def invitation_link(settings: Settings, token: str) -> str:
    return public_url(settings, f"/invitations/{token}")


def _format_date(moment: datetime, language: Language, time_zone: str) -> str:
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.strftime("%d/%m/%Y" if language == "fr" else "%Y-%m-%d")


def participant_email(
    *,
    settings: Settings,
    invitation: Invitation,
    space: Space,
    brand: str,
    inviter: str,
    token: str,
) -> dict[str, Any]:
    """The queued message's fields for a participant invitation."""
    language = spaces_service.language_of(space)

    def t(key: str, **params: object) -> str:
        return translate(language, key, **params)

    paragraphs = [t("invitation.intro", brand=brand, space=space.title)]
    if invitation.message:
        paragraphs.append(t("invitation.personal", inviter=inviter, message=invitation.message))
    paragraphs.append(
        t(
            "invitation.expiry",
            date=_format_date(invitation.expires_at, language, space.time_zone),
        )
    )
    logo = spaces_service.logo_url(space.logo_file)
    link = invitation_link(settings, token)
    text, html = render_branded_email(
        language=language,
        brand_name=space.title,
        accent_color=space.accent_color,
        logo_url=public_url(settings, logo) if logo else None,
        heading=t("invitation.heading", space=space.title),
        paragraphs=paragraphs,
        button_label=t("invitation.button", space=space.title),
        button_url=link,
        footer=t("invitation.footer", brand=brand, email=invitation.email),
    )
    return {
        "organization_id": invitation.organization_id,
        "category": "invitation",
        "recipient": invitation.email,
        "subject": t("invitation.subject", brand=brand, space=space.title),
        "text": text,
        "html": html,
        "language": language,
        # Kept out of the body owners can read (see outbox.enqueue_email).
        "secret_links": [link],
    }


def staff_email(
    *,
    settings: Settings,
    invitation: Invitation,
    brand: str,
    inviter: str,
    token: str,
    language: Language,
) -> dict[str, Any]:
    def t(key: str, **params: object) -> str:
        return translate(language, key, **params)

    role = t(f"role.{(invitation.role or Role.observer).value}")
    paragraphs = [t("staff_invitation.intro", inviter=inviter, brand=brand, role=role)]
    if invitation.message:
        paragraphs.append(t("invitation.personal", inviter=inviter, message=invitation.message))
    link = invitation_link(settings, token)
    text, html = render_branded_email(
        language=language,
        brand_name=brand,
        accent_color=NEUTRAL_ACCENT,
        logo_url=None,
        heading=t("staff_invitation.heading", brand=brand),
        paragraphs=paragraphs,
        button_label=t("staff_invitation.button"),
        button_url=link,
        footer=t("invitation.footer", brand=brand, email=invitation.email),
    )
    return {
        "organization_id": invitation.organization_id,
        "category": "staff_invitation",
        "recipient": invitation.email,
        "subject": t("staff_invitation.subject", brand=brand),
        "text": text,
        "html": html,
        "language": language,
        "secret_links": [link],
    }


def enqueue(session: AsyncSession, message: dict[str, Any]) -> None:
    outbox.enqueue_email(session, **message)
