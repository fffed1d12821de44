"""The import graph of ``backend/causerie`` tells the layering story (STYLE.md, "Layering").

Bottom: ``core``, ``models``, ``i18n``. Then ``outbox`` (mail plumbing every domain may
use). Then the domains side by side. Then the subscribers (``notifications``,
``realtime``), which react to the domains' events. Then the composition roots. Nothing
imports upward, domain packages form no cycle, and no import hides inside a function to
dodge one.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "backend" / "causerie"

BOTTOM = {"core", "models", "i18n", "__version__"}
PLUMBING = {"outbox"}
DOMAINS = {
    "accounts",
    "audit",
    "organizations",
    "spaces",
    "participants",
    "invitations",
    "script",
    "access",
    "conversations",
    "home",
    "system",
}
SUBSCRIBERS = {"notifications", "realtime"}
TOP = {"main", "cli", "worker", "wiring", "demo", "spa", "__main__", "__init__"}
LAYERS = [BOTTOM, PLUMBING, DOMAINS, SUBSCRIBERS, TOP]
# The command line loads heavy layers lazily so that quick commands start fast.
LAZY_IMPORTS_ALLOWED = {"cli.py"}


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == "causerie":
                modules = [f"causerie.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [(node, m.split(".")[1]) for m in modules if m.startswith("causerie.")]
    return found


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    hidden: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        source = _package(path)
        tree = ast.parse(path.read_text("utf-8"))
        for _node, target in _imports(tree):
            if target != source:
                edges[source].add(target)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node, _target in _imports(function):
                relative = str(path.relative_to(ROOT))
                if relative not in LAZY_IMPORTS_ALLOWED:
                    hidden.append(f"{relative}:{node.lineno}")
    return edges, hidden


def _layer(package: str) -> int:
    for index, members in enumerate(LAYERS):
        if package in members:
            return index
    raise AssertionError(f"package {package!r} has no layer: add it to tests/test_layering.py")


def test_every_package_has_a_layer() -> None:
    edges, _hidden = _graph()
    for package in set(edges) | {t for targets in edges.values() for t in targets}:
        _layer(package)


def test_nothing_imports_a_higher_layer() -> None:
    edges, _hidden = _graph()
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        for target in targets
        if _layer(target) > _layer(source)
    )
    assert upward == []


def test_domains_never_import_the_subscribers() -> None:
    edges, _hidden = _graph()
    assert {
        source: sorted(targets & SUBSCRIBERS)
        for source, targets in edges.items()
        if source in DOMAINS | PLUMBING | BOTTOM and targets & SUBSCRIBERS
    } == {}


def _cycles(edges: dict[str, set[str]], members: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in edges.get(node, set()) & members:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(members):
        if node not in index:
            visit(node)
    return found


def test_packages_form_no_cycle() -> None:
    edges, _hidden = _graph()
    everything = set(edges) | {t for targets in edges.values() for t in targets}
    assert _cycles(edges, everything) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, {"a", "b", "c", "d"}) == [
        ["a", "b", "c"]
    ]


def test_no_import_hides_inside_a_function() -> None:
    _edges, hidden = _graph()
    assert hidden == []


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [("conversations", "notifications", False), ("notifications", "conversations", True)],
)
def test_the_layers_say_which_way_imports_go(source: str, target: str, allowed: bool) -> None:
    assert (_layer(target) <= _layer(source)) is allowed
