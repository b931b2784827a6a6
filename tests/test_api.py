"""The public API: every exported name resolves, and importing the package stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

import xining_data


@pytest.mark.parametrize("name", xining_data.__all__)
def test_exported_name_resolves(name):
    assert getattr(xining_data, name) is not None


def test_unknown_name_raises():
    with pytest.raises(AttributeError):
        xining_data.no_such_thing  # noqa: B018


def test_import_does_not_load_heavy_modules():
    code = "import sys, xining_data; print(any(m in sys.modules for m in ('pandas', 'geopandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
