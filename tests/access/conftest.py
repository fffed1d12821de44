"""The script tests' stage (a brand, an open space, two segments, three participants)."""

from tests.script.conftest import stage

__all__ = ["stage"]
