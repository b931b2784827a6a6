"""The pip lock and the conda environment describe the same set."""

from __future__ import annotations

import importlib.util

from xining_data.base.paths import PROJECT_DIR

spec = importlib.util.spec_from_file_location("environment", PROJECT_DIR / "scripts/environment.py")
environment = importlib.util.module_from_spec(spec)
spec.loader.exec_module(environment)


def test_every_direct_dependency_is_locked():
    pins = environment.locked()
    missing = [r for r in environment.direct() if environment._name(r) not in pins]
    assert missing == []


def test_environment_yml_matches_lock_and_pyproject():
    committed = (PROJECT_DIR / "environment.yml").read_text(encoding="utf-8")
    assert committed == environment.environment_yml(), "run: make lock (or scripts/environment.py)"


def test_required_stack_is_declared():
    names = {environment._name(r) for r in environment.direct()}
    assert {"jupyterlab", "pandas", "geopandas", "seaborn", "nbconvert"} <= names
