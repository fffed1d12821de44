"""The branded e-mail layout: an accessible, inline-styled HTML part and its text twin."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

from causerie.core.settings import Settings
from causerie.i18n import Language as Language

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_FALLBACK_LINK = {
    "fr": "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :",
    "en": "If the button does not work, copy this link into your browser:",
}
_FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def public_url(settings: Settings, path: str) -> str:
    """An absolute link for e-mails: ``CAUSERIE_PUBLIC_BASE_URL`` + ``path``."""
    return settings.public_base_url.rstrip("/") + "/" + path.lstrip("/")


def _check_url(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{what} must be an absolute http(s) address, not {url!r}")
    return url


def _text_on(accent: str) -> str:
    """Black or white, whichever reads better on the accent colour (WCAG luminance)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(accent[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # Contrast with white is (1.05) / (L + 0.05); with black (L + 0.05) / 0.05.
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#111111"


def render_branded_email(
    *,
    language: Language,
    brand_name: str,
    accent_color: str,
    logo_url: str | None,
    heading: str,
    paragraphs: list[str],
    button_label: str,
    button_url: str,
    footer: str,
) -> tuple[str, str]:
    """``(text, html)`` for one e-mail. Every argument is plain text and is escaped."""
    if language not in _FALLBACK_LINK:
        raise ValueError(f"unsupported e-mail language {language!r}")
    if not _HEX_COLOR.fullmatch(accent_color):
        raise ValueError(f"accent_color must look like #rrggbb, not {accent_color!r}")
    _check_url(button_url, "button_url")
    if logo_url is not None:
        _check_url(logo_url, "logo_url")

    text = "\n\n".join(
        [
            brand_name,
            heading,
            *paragraphs,
            f"{button_label}:\n{button_url}",
            "--",
            footer,
        ]
    )
    return text + "\n", _html(
        language=language,
        brand_name=brand_name,
        accent=accent_color.lower(),
        logo_url=logo_url,
        heading=heading,
        paragraphs=paragraphs,
        button_label=button_label,
        button_url=button_url,
        footer=footer,
    )


def _html(
    *,
    language: Language,
    brand_name: str,
    accent: str,
    logo_url: str | None,
    heading: str,
    paragraphs: list[str],
    button_label: str,
    button_url: str,
    footer: str,
) -> str:
    e = escape
    if logo_url is not None:
        masthead = (
            f'<img src="{e(logo_url)}" alt="{e(brand_name)}" height="40" '
            'style="display:block;height:40px;width:auto;border:0;">'
        )
    else:
        masthead = (
            f'<span style="font-size:20px;font-weight:700;color:{accent};">{e(brand_name)}</span>'
        )
    body = "\n".join(
        f'<p style="margin:0 0 16px;font-size:16px;line-height:1.5;color:#222222;">{e(p)}</p>'
        for p in paragraphs
    )
    href = e(button_url)
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{e(heading)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:{_FONT};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" \
style="background:#f4f4f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" \
style="max-width:560px;background:#ffffff;border-radius:8px;border-top:4px solid {accent};">
<tr><td style="padding:24px 32px 8px;">{masthead}</td></tr>
<tr><td style="padding:8px 32px 24px;">
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#111111;">{e(heading)}</h1>
{body}
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;">
<tr><td style="border-radius:6px;background:{accent};">
<a href="{href}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;\
color:{_text_on(accent)};text-decoration:none;border-radius:6px;">{e(button_label)}</a>
</td></tr>
</table>
<p style="margin:0;font-size:13px;line-height:1.5;color:#555555;">{e(_FALLBACK_LINK[language])}<br>
<a href="{href}" style="color:#1a56db;word-break:break-all;">{href}</a></p>
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #e4e4e7;font-size:12px;\
line-height:1.5;color:#555555;">{e(footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
