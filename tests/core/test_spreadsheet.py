"""Spreadsheet exports: no text cell can start a formula; harmless text is kept as is."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from causerie.core.spreadsheet import FORMULA_PREFIXES, csv_row, neutralize_cell

DANGEROUS = sorted(FORMULA_PREFIXES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-3", "'-3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠A1", "'＠A1"),
        ("", ""),
        ("I love the lamp = 10/10", "I love the lamp = 10/10"),
        ("'quoted already", "'quoted already"),
    ],
)
def test_formula_starters_get_a_leading_quote_and_other_text_is_kept(
    value: str, expected: str
) -> None:
    assert neutralize_cell(value) == expected


@given(st.text())
@example("=1+1")
@example("＠x")
def test_no_neutralised_cell_starts_with_a_formula_character(value: str) -> None:
    cell = neutralize_cell(value)
    assert not cell or cell[0] not in FORMULA_PREFIXES
    assert cell in (value, "'" + value), "nothing is lost: the text follows the quote"


@given(st.text().filter(lambda value: not value or value[0] not in FORMULA_PREFIXES))
def test_text_that_cannot_start_a_formula_is_unchanged(value: str) -> None:
    assert neutralize_cell(value) == value


@given(st.sampled_from(DANGEROUS), st.text())
def test_every_dangerous_first_character_is_neutralised(first: str, rest: str) -> None:
    assert neutralize_cell(first + rest) == "'" + first + rest


@given(st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=8))
def test_csv_rows_read_back_as_neutralised_cells_and_plain_numbers(
    values: list[str | int | None],
) -> None:
    line = csv_row(values)
    assert line.endswith("\r\n")
    (cells,) = list(csv.reader(io.StringIO(line, newline="")))
    expected = [
        neutralize_cell(v) if isinstance(v, str) else "" if v is None else str(v) for v in values
    ]
    assert cells == (expected if values else [])
    for value, cell in zip(values, cells, strict=False):
        if isinstance(value, str):
            assert not cell or cell[0] not in FORMULA_PREFIXES
