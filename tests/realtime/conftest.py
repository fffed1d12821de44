"""The script tests' stage, for checking who receives which events."""

from tests.script.conftest import stage

__all__ = ["stage"]
