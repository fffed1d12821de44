"""Bounded, clean user text: no control characters (PostgreSQL refuses NUL outright)."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

_ALLOWED_IN_MULTILINE = frozenset("\n\t")


def _has_control(value: str, allowed: frozenset[str]) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed for char in value)


def normalize_email(email: str) -> str:
    """One account per address: compare and store addresses trimmed and lower-cased."""
    return email.strip().lower()


def clean_single_line(value: str) -> str:
    """Collapse whitespace; refuse blanks and control characters."""
    if _has_control(value, frozenset()):
        raise ValueError("must not contain control characters")
    value = " ".join(value.split())
    if not value:
        raise ValueError("must not be blank")
    return value


def clean_multiline(value: str) -> str:
    if _has_control(value.replace("\r\n", "\n"), _ALLOWED_IN_MULTILINE):
        raise ValueError("must not contain control characters")
    return value.replace("\r\n", "\n").strip()


# A name or title on one line: organization names, display names, pseudonyms.
Name = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(clean_single_line)]
