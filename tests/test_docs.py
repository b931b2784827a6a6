"""The README is the map a newcomer reads: it must match the tree, the CLI and the Makefile.

In the spirit of sqlite-utils' ``test_docs.py``: a module, a command or a make target that
the README does not name fails here, so documentation cannot fall behind the code.
"""

from __future__ import annotations

import re

import pytest

from xining_data.base.paths import PACKAGE_DIR, PROJECT_DIR
from xining_data.cli import parser

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")

# The module map: one table row per stage, naming its folder and each of its modules.
MAP_ROW = re.compile(
    r"^\|[^|]*\|\s*`xining_data/(?P<folder>[a-z_]*/?)`\s*\|(?P<modules>.*)\|\s*$", re.M
)


def map_rows(text: str) -> dict[str, set[str]]:
    """Folder (``read/``, or ```` for the top) → the module names its row puts in backticks."""
    return {
        m["folder"]: set(re.findall(r"`([a-z_]+)`", m["modules"])) for m in MAP_ROW.finditer(text)
    }


def modules_by_folder() -> dict[str, set[str]]:
    tree: dict[str, set[str]] = {}
    for path in PACKAGE_DIR.rglob("*.py"):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        folder = path.parent.relative_to(PACKAGE_DIR).as_posix()
        tree.setdefault("" if folder == "." else f"{folder}/", set()).add(path.stem)
    return tree


@pytest.mark.parametrize("folder", sorted(modules_by_folder()))
def test_every_module_is_in_the_readme_map(folder):
    rows = map_rows(README)
    assert folder in rows, f"README's module map has no row for xining_data/{folder}"
    missing = modules_by_folder()[folder] - rows[folder]
    assert not missing, f"README's row for xining_data/{folder} does not name {sorted(missing)}"


def test_the_map_names_no_module_that_is_gone():
    tree = modules_by_folder()
    for folder, names in map_rows(README).items():
        assert names <= tree.get(folder, set()), f"xining_data/{folder}: {names - tree[folder]}"


def commands() -> list[str]:
    subparsers = next(a for a in parser()._actions if a.dest == "command")
    return sorted(subparsers.choices)


@pytest.mark.parametrize("command", commands())
def test_every_cli_command_is_documented(command):
    assert f"python -m xining_data {command}" in README


def make_targets() -> list[str]:
    return sorted(re.findall(r"^([a-z][a-z-]*):.*## ", MAKEFILE, re.M))


@pytest.mark.parametrize("target", make_targets())
def test_every_make_target_is_documented(target):
    assert re.search(rf"`make {target}`|`{target}`", README), f"make {target} is not in the README"


# The reader (negative cases): a row is read only for its own folder, and a module is a name in
# backticks, so prose that mentions a module without listing it does not count.
MAP_CASES = [
    (
        "| read | `xining_data/read/` | `report` (decode), `segment` |",
        {"read/": {"report", "segment"}},
    ),
    ("| top | `xining_data/` | `cli`, `verify` |", {"": {"cli", "verify"}}),
    ("| read | xining_data/read/ | report |", {}),
    ("The `report` module reads.", {}),
]


@pytest.mark.parametrize(("text", "expected"), MAP_CASES)
def test_map_rows_reader(text, expected):
    assert map_rows(text) == expected


def test_there_are_commands_and_targets_to_check():
    assert {"figures", "build", "verify", "publish"} <= set(commands())
    assert {"test", "test-fast", "publish", "data"} <= set(make_targets())
