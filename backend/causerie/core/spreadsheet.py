"""Cells safe to open in a spreadsheet: user text never runs as a formula (CSV injection).

Answers are stored verbatim; every export that a spreadsheet may open (CSV, XLSX) passes
each text cell through :func:`neutralize_cell`. Following the OWASP guidance on CSV
injection, a cell that starts with a character a spreadsheet reads as the start of a
formula (``=``, ``+``, ``-``, ``@``, tab, carriage return, line feed, and their full-width
forms ``＝ ＋ － ＠``) gets a leading single quote, which spreadsheets show as text.

Text that merely looks numeric ("-3") is prefixed too: a free-text answer is text, and
telling "-3" from "-3+A1" safely is more rule than it is worth. Real numbers (ratings,
counts) are written as numbers by :func:`csv_row` and left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# Characters that make a spreadsheet evaluate a cell, when they come first.
FORMULA_PREFIXES = frozenset("=+-@\t\r\n＝＋－＠")


def neutralize_cell(value: str) -> str:
    """The text, with a leading ``'`` when its first character could start a formula."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


Cell = str | int | float | bool | None


def csv_row(values: Iterable[Cell]) -> str:
    """One CSV line (RFC 4180, CRLF-terminated) with every text cell neutralised; numbers
    stay numbers and ``None`` is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(
        [
            neutralize_cell(value) if isinstance(value, str) else "" if value is None else value
            for value in values
        ]
    )
    return buffer.getvalue()
