"""The script tests' stage: an open space, segments, three participants."""

from tests.script.conftest import stage

__all__ = ["stage"]
