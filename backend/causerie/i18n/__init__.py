"""Server-side translations (e-mails): ``en.json`` and ``fr.json`` beside this file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal

Language = Literal["en", "fr"]
_FOLDER = Path(__file__).parent


@cache
def _catalog(language: str) -> dict[str, str]:
    catalog: dict[str, str] = json.loads((_FOLDER / f"{language}.json").read_text("utf-8"))
    return catalog


def translate(language: str, key: str, **params: object) -> str:
    """The text for ``key`` in ``language`` (English as fallback), with ``{name}`` filled."""
    text = _catalog(language if language in ("en", "fr") else "en").get(key)
    if text is None:
        text = _catalog("en")[key]
    return text.format(**params)
