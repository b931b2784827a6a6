"""The library's stages import one way: every import points down the layer order.

The import graph is read from the source (top-level and function-level imports, and the
module names a façade imports by string), so a backward edge fails here before it
confuses a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from xining_data.base.paths import PACKAGE_DIR

# Bottom to top. A module may import its own stage's modules (without a cycle) and any stage
# listed before its own; never a later one, nor a peer on the same rank below the top (extract
# and geo stand side by side). The top rank is the entry points, which may call each other.
LAYERS: list[tuple[str, ...]] = [
    ("base",),
    ("read",),
    ("extract", "geo"),
    ("corpus",),
    ("stories",),
    ("publish",),
    ("verify", "cli", "notebook", "output", "__main__"),
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
TOP = len(LAYERS) - 1


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> str:
    """The layer part of a module name (``xining_data`` itself sits with the base)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "base"


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path) -> set[str]:
    """Every ``xining_data`` module this file imports, wherever the import stands."""
    module = module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, module, path.name == "__init__.py")
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("xining_data.")
            and " " not in node.value
        ):
            found.add(node.value)  # importlib by name
    known = set(GRAPH_MODULES)
    return {name for name in found if name in known and name != module}


GRAPH_MODULES = {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}
GRAPH = {name: imports_of(path) for name, path in GRAPH_MODULES.items()}


def backward_edges(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for source, targets in graph.items():
        for target in targets:
            if target == "xining_data":
                continue  # the package root: lazy re-exports, no imports of its own
            s, t = stage(source), stage(target)
            if s == t:
                continue
            if RANK[t] > RANK[s] or (RANK[t] == RANK[s] < TOP):
                bad.append(f"{source} -> {target} ({s} may not import {t})")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_every_module_belongs_to_a_layer():
    assert {stage(m) for m in GRAPH} <= set(RANK), "add the new stage to LAYERS"


def test_no_import_points_up_or_sideways():
    assert backward_edges(GRAPH) == []


def test_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_graph_is_read():
    """The reader finds function-level and by-name imports (else the tests above are empty)."""
    assert "xining_data.publish.kit" in GRAPH["xining_data.notebook"]  # inside a method
    assert "xining_data.stories.lookup" in GRAPH["xining_data.notebook"]  # by name
    assert "xining_data.verify" in GRAPH["xining_data.cli"]


# A backward edge, a peer edge and a cycle, each caught; a downward edge is not.
EDGE_CASES = [
    ({"xining_data.read.report": {"xining_data.extract.figures"}}, 1),
    ({"xining_data.extract.figures": {"xining_data.geo.places"}}, 1),
    ({"xining_data.geo.places": {"xining_data.extract.figures"}}, 1),
    ({"xining_data.publish.kit": {"xining_data.stories.story"}}, 0),
    ({"xining_data.cli": {"xining_data.verify"}}, 0),
    ({"xining_data.verify": {"xining_data.corpus.build"}}, 0),
    ({"xining_data.corpus.build": {"xining_data.verify"}}, 1),
    ({"xining_data.geo.boundaries": {"xining_data.publish.style"}}, 1),
    ({"xining_data.stories.story": {"xining_data.publish.kit"}}, 1),
]


@pytest.mark.parametrize(("graph", "expected"), EDGE_CASES)
def test_backward_edges_are_caught(graph, expected):
    assert len(backward_edges(graph)) == expected


def test_cycles_are_caught():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) and set(cycles(graph)[0]) == {"a", "b", "c"}
    assert cycles({"a": {"b"}, "b": set()}) == []


# --- long functions stay split: make lint refuses them ------------------------------------

LONG_FUNCTIONS = [
    ("def f(a, b, c, d, e, f, g):\n    return a\n", "PLR0913"),
    ("def f(x):\n" + "".join(f"    if x == {n}:\n        return {n}\n" for n in range(14)), "C901"),
    ("def f(x):\n" + "".join(f"    y{n} = x + {n}\n" for n in range(52)) + "    return x\n",
     "PLR0915"),
    ("def f(a, b):\n    return a + b\n", None),
]  # fmt: skip


@pytest.mark.parametrize(("source", "rule"), LONG_FUNCTIONS)
def test_lint_refuses_long_functions(tmp_path, source, rule):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    config = PACKAGE_DIR.parent / "pyproject.toml"
    run = subprocess.run([str(ruff), "check", "--config", str(config), "--no-cache", str(path)],
                         capture_output=True, text=True, check=False)  # fmt: skip
    if rule is None:
        assert run.returncode == 0, run.stdout
    else:
        assert rule in run.stdout
