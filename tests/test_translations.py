"""Every value the API sends for the screen to show has words in both languages of the app,
and both languages hold the same keys (issue 12, "Words"): a raw value such as
``prompt_opened`` or ``kept`` never reaches the screen, and a new category, status or reason
fails here until it is worded in English and French."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from causerie.invitations.schemas import ImportReasonCode, ImportRowStatus
from causerie.models import OutboxStatus
from causerie.outbox.service import EMAIL_CATEGORIES, enqueue_email

REPO = Path(__file__).resolve().parents[1]
FRONTEND = {lang: REPO / "frontend" / "src" / "i18n" / f"{lang}.json" for lang in ("en", "fr")}
BACKEND = {lang: REPO / "backend" / "causerie" / "i18n" / f"{lang}.json" for lang in ("en", "fr")}


def _keys(path: Path) -> set[str]:
    return set(json.loads(path.read_text("utf-8")))


@pytest.mark.parametrize("catalogs", [FRONTEND, BACKEND], ids=["app", "e-mails"])
def test_both_languages_hold_the_same_keys(catalogs: dict[str, Path]) -> None:
    english, french = _keys(catalogs["en"]), _keys(catalogs["fr"])
    assert sorted(english - french) == [], "worded in English only"
    assert sorted(french - english) == [], "worded in French only"


WORDED = {
    "emails.category": sorted(EMAIL_CATEGORIES),
    "emails.status": [status.value for status in OutboxStatus],
    "import.status": list(get_args(ImportRowStatus)),
    "import.reason": list(get_args(ImportReasonCode)),
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("prefix", sorted(WORDED))
def test_every_value_the_api_sends_is_worded(prefix: str, lang: str) -> None:
    catalog = json.loads(FRONTEND[lang].read_text("utf-8"))
    missing = [value for value in WORDED[prefix] if f"{prefix}.{value}" not in catalog]
    assert missing == []
    raw = [value for value in WORDED[prefix] if catalog[f"{prefix}.{value}"] == value]
    assert raw == [], "the words are not the raw value"


def test_an_e_mail_of_an_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown e-mail category"):
        enqueue_email(
            AsyncSession(),
            organization_id=None,
            category="something_new",
            recipient="someone@example.com",
            subject="Hello",
            text="Hello",
            html=None,
            language="en",
        )
