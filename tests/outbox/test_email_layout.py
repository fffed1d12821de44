"""The branded e-mail layout escapes what it is given and spells the link out in text."""

from __future__ import annotations

import pytest

from causerie.core.settings import Settings
from causerie.outbox.email import public_url, render_branded_email

LINK = "https://causerie.example.com/invitations/abc?x=1&y=2"


def _render(**overrides: object) -> tuple[str, str]:
    arguments: dict[str, object] = {
        "language": "fr",
        "brand_name": "Maison <Lumière>",
        "accent_color": "#FFD400",
        "logo_url": None,
        "heading": "Vous êtes invité·e <script>alert(1)</script>",
        "paragraphs": ["Bonjour & bienvenue", 'Un "espace" privé'],
        "button_label": "Rejoindre",
        "button_url": LINK,
        "footer": "Vous recevez ce message car <vous> avez été invité·e.",
    }
    arguments.update(overrides)
    return render_branded_email(**arguments)  # type: ignore[arg-type]


def test_html_part_escapes_every_text_and_keeps_the_link() -> None:
    _text, html = _render()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Maison &lt;Lumière&gt;" in html
    assert "Bonjour &amp; bienvenue" in html
    assert "Un &quot;espace&quot; privé" in html
    assert 'href="https://causerie.example.com/invitations/abc?x=1&amp;y=2"' in html
    assert '<html lang="fr">' in html
    assert "Si le bouton ne fonctionne pas" in html
    assert "color:#111111" in html  # dark text on a light accent


def test_text_part_spells_out_the_link() -> None:
    text, _html = _render(language="en")
    assert LINK in text
    assert "Rejoindre:\n" + LINK in text
    assert "Vous êtes invité·e <script>alert(1)</script>" in text  # plain text, as written
    assert text.endswith("Vous recevez ce message car <vous> avez été invité·e.\n")


def test_logo_is_an_image_with_the_brand_as_alternative_text() -> None:
    _text, html = _render(logo_url="https://cdn.example.com/logo.png?v=1&s=2")
    assert 'src="https://cdn.example.com/logo.png?v=1&amp;s=2" alt="Maison &lt;Lumière&gt;"' in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"accent_color": "red"},
        {"accent_color": "#fff"},
        {"accent_color": "#123456;background:url(x)"},
        {"button_url": "javascript:alert(1)"},
        {"button_url": "/relative/path"},
        {"logo_url": "data:image/png;base64,AAAA"},
        {"language": "de"},
    ],
)
def test_unsafe_or_unknown_values_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"must|unsupported"):
        _render(**overrides)


def test_public_url_joins_the_configured_base() -> None:
    settings = Settings(public_base_url="https://feedback.example.com/")
    assert public_url(settings, "/join/abc") == "https://feedback.example.com/join/abc"
