"""Recorded statements (SQL and parameters) of a request, as the bare baseline replays them.

Kept apart from the app so the bare server imports nothing of Causerie.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

Plan = list[tuple[str, tuple[Any, ...]]]


def save_plans(path: Path, plans: dict[str, Plan]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(plans))


def load_plans(path: Path) -> dict[str, Plan]:
    plans: dict[str, Plan] = pickle.loads(path.read_bytes())  # noqa: S301 - written by the suite
    return plans
