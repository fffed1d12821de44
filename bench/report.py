"""Outcomes of the cases: the printed table and ``bench/results/latest.json``."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bench.servers import REPO

Status = Literal["PASS", "FAIL", "INFO", "SKIP", "ERROR"]


@dataclass(frozen=True)
class Goal:
    """``value <op> target``; ``text`` is how the table shows it."""

    op: Literal["<=", ">=", "=="]
    target: float
    text: str

    def met(self, value: float) -> bool:
        if self.op == "<=":
            return value <= self.target
        if self.op == ">=":
            return value >= self.target
        return value == self.target


@dataclass
class Outcome:
    case: str  # "B1"
    name: str  # what is measured, e.g. "read · staff · req/s ÷ bare"
    display: str  # the measured value as the table shows it
    goal: str
    status: Status
    value: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


def judged(
    case: str,
    name: str,
    value: float,
    goal: Goal,
    display: str,
    details: dict[str, Any] | None = None,
    *,
    failed: bool = False,
) -> Outcome:
    """An outcome held to its goal (``failed`` forces FAIL, e.g. requests that errored)."""
    status: Status = "PASS" if goal.met(value) and not failed else "FAIL"
    return Outcome(case, name, display, goal.text, status, round(value, 4), details or {})


def info(case: str, name: str, display: str, details: dict[str, Any] | None = None) -> Outcome:
    return Outcome(case, name, display, "report", "INFO", None, details or {})


def skipped(case: str, name: str, reason: str) -> Outcome:
    return Outcome(case, name, reason, "—", "SKIP")


def errored(case: str, name: str, error: BaseException) -> Outcome:
    message = f"{type(error).__name__}: {error}".splitlines()[0][:160]
    return Outcome(case, name, message, "—", "ERROR", None, {"error": str(error)[:4000]})


def table(outcomes: list[Outcome]) -> str:
    rows = [("case", "measure", "value", "goal", "result")]
    rows += [(o.case, o.name, o.display, o.goal, o.status) for o in outcomes]
    widths = [min(max(len(row[i]) for row in rows), 70) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_of(results: Path) -> str:
    """The table of a results file, in Markdown."""
    cases = json.loads(results.read_text())["cases"]
    lines = ["| case | measure | value | goal | result |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {c['case']} | {c['name']} | {c['display']} | {c['goal']} | **{c['status']}** |"
        for c in cases
    ]
    return "\n".join(lines)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed read-only git commands
            ["git", *args],  # noqa: S607
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def write_json(
    path: Path, outcomes: list[Outcome], context: dict[str, Any], load_at_start: list[float]
) -> None:
    document = {
        "suite": "causerie bench (issue 11)",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": list(os.getloadavg()),
        },
        **context,
        "cases": [asdict(o) for o in outcomes],
        "summary": {
            status: sum(1 for o in outcomes if o.status == status)
            for status in ("PASS", "FAIL", "INFO", "SKIP", "ERROR")
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
