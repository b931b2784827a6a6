"""The public API: every exported name is the object its module defines, and importing the
package stays light."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import xining_data

EXPORTS = [
    (name, module, attribute)
    for module, names in xining_data._EXPORTS.items()
    for name in names
    for attribute in [xining_data._ALIASES.get(name, name)]
]


@pytest.mark.parametrize(("name", "module", "attribute"), EXPORTS)
def test_exported_name_is_the_one_its_module_defines(name, module, attribute):
    home = importlib.import_module(f"xining_data.{module}")
    value = getattr(xining_data, name)
    assert value is getattr(home, attribute)
    assert callable(value), f"{name} is a function or a class"
    assert value.__module__ == home.__name__, f"{name} is defined in {module}, not re-exported"
    assert inspect.getdoc(value), f"{name} says what it is for"


def test_every_name_in_all_is_exported():
    assert set(xining_data.__all__) == {name for name, *_ in EXPORTS} | {"__version__"}
    assert xining_data.__version__.count(".") == 2


def test_unknown_name_raises():
    with pytest.raises(AttributeError, match="no_such_thing"):
        xining_data.no_such_thing  # noqa: B018


def test_import_does_not_load_heavy_modules():
    code = "import sys, xining_data; print(any(m in sys.modules for m in ('pandas', 'geopandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_notebook_facade_finds_names_in_its_modules_and_refuses_others():
    from xining_data import notebook
    from xining_data.stories import lookup, wording

    assert notebook.find is lookup.find
    assert notebook.share is wording.share
    with pytest.raises(AttributeError, match="no_such_thing"):
        notebook.no_such_thing  # noqa: B018
