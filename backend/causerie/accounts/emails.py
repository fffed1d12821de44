"""The account e-mails: sign-in link, password reset, e-mail change.

Every link carries its secret in the URL fragment, so it never reaches server logs or
Referer headers, and is handed to the outbox as a secret link (masked for staff).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.outbox.email import Language, public_url, render_branded_email

NEUTRAL_ACCENT = "#3344aa"


def _language(language: str) -> Language:
    return "fr" if language == "fr" else "en"


def _account_email(
    *,
    email: str,
    lang: Language,
    category: str,
    prefix: str,
    link: str,
    secret: bool = True,
    params: dict[str, object] | None = None,
) -> dict[str, Any]:
    params = params or {}
    text, html = render_branded_email(
        language=lang,
        brand_name="Causerie",
        accent_color=NEUTRAL_ACCENT,
        logo_url=None,
        heading=translate(lang, f"{prefix}.heading", **params),
        paragraphs=[translate(lang, f"{prefix}.intro", **params)],
        button_label=translate(lang, f"{prefix}.button"),
        button_url=link,
        footer=translate(lang, f"{prefix}.footer", **params),
    )
    message: dict[str, Any] = {
        "organization_id": None,
        "category": category,
        "recipient": email,
        "subject": translate(lang, f"{prefix}.subject", **params),
        "text": text,
        "html": html,
        "language": lang,
    }
    if secret:
        message["secret_links"] = [link]
    return message


def magic_link_email(
    *, settings: Settings, email: str, token: str, language: str, next_path: str | None = None
) -> dict[str, Any]:
    fragment = f"token={token}"
    if next_path:
        fragment += "&next=" + quote(next_path, safe="")
    return _account_email(
        email=email,
        lang=_language(language),
        category="magic_link",
        prefix="magic_link",
        link=public_url(settings, f"/sign-in/link#{fragment}"),
    )


def password_reset_email(
    *, settings: Settings, email: str, token: str, language: str
) -> dict[str, Any]:
    return _account_email(
        email=email,
        lang=_language(language),
        category="password_reset",
        prefix="password_reset",
        link=public_url(settings, f"/reset-password#token={token}"),
    )


def email_change_email(
    *, settings: Settings, new_email: str, token: str, language: str
) -> dict[str, Any]:
    """Sent to the new address: following the link proves the person receives mail there."""
    return _account_email(
        email=new_email,
        lang=_language(language),
        category="email_change",
        prefix="email_change",
        link=public_url(settings, f"/change-email#token={token}"),
        params={"email": new_email},
    )


def email_changed_notice(
    *, settings: Settings, old_email: str, new_email: str, language: str
) -> dict[str, Any]:
    """Tells the old address its account moved (its button only opens the sign-in page)."""
    return _account_email(
        email=old_email,
        lang=_language(language),
        category="email_changed",
        prefix="email_changed",
        link=public_url(settings, "/login"),
        secret=False,
        params={"email": new_email},
    )
