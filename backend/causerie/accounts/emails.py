"""The magic-link e-mail."""

from __future__ import annotations

from typing import Any

from causerie.core.settings import Settings
from causerie.i18n import translate
from causerie.outbox.email import Language, public_url, render_branded_email

NEUTRAL_ACCENT = "#3344aa"


def magic_link_email(
    *, settings: Settings, email: str, token: str, language: str
) -> dict[str, Any]:
    lang: Language = "fr" if language == "fr" else "en"
    # The token travels in the fragment: it never reaches server logs or Referer headers.
    link = public_url(settings, f"/sign-in/link#token={token}")
    text, html = render_branded_email(
        language=lang,
        brand_name="Causerie",
        accent_color=NEUTRAL_ACCENT,
        logo_url=None,
        heading=translate(lang, "magic_link.heading"),
        paragraphs=[translate(lang, "magic_link.intro")],
        button_label=translate(lang, "magic_link.button"),
        button_url=link,
        footer=translate(lang, "magic_link.footer"),
    )
    return {
        "organization_id": None,
        "category": "magic_link",
        "recipient": email,
        "subject": translate(lang, "magic_link.subject"),
        "text": text,
        "html": html,
        "language": lang,
    }
