"""Every path the project uses, in one place.

Library code asks this module where things are; nothing else spells a path.
Users point the library at their own reports with ``XINING_DATA_REPORTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PACKAGE_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
CONTEXT_DIR = DATA_DIR / "context"
GEO_DIR = DATA_DIR / "geo"
VOCAB_DIR = DATA_DIR / "vocab"
SCHEMAS_DIR = DATA_DIR / "schemas"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

# The project checkout (only meaningful in an editable install / a clone).
PROJECT_DIR = PACKAGE_DIR.parent
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
FIGURES_DIR = PROJECT_DIR / "figures"
BUILD_DIR = PROJECT_DIR / "build"
SITE_DIR = PROJECT_DIR / "site"

REPORTS_ENV = "XINING_DATA_REPORTS"
FIGURES_ENV = "XINING_DATA_FIGURES"
TABLES_ENV = "XINING_DATA_TABLES"


def reports_dir() -> Path:
    """The folder of raw reports: ``$XINING_DATA_REPORTS`` if set, else the bundled corpus."""
    override = os.environ.get(REPORTS_ENV)
    return Path(override).expanduser() if override else RAW_DIR


def tables_dir(reports: str | Path | None = None, build: str | Path | None = None) -> Path:
    """Where the tables of a folder of reports are built: ``$XINING_DATA_TABLES`` if set (a
    publish tells its notebooks so), else ``<build>/data`` for the default reports (the bundled
    corpus or ``$XINING_DATA_REPORTS``) and ``<build>/corpora/<name>-<hash of its path>/data``
    for another folder; ``build`` defaults to the project's ``build/``."""
    from xining_data.base.files import sha256_text

    override = os.environ.get(TABLES_ENV)
    if override:
        return Path(override).expanduser()
    root = Path(build) if build is not None else BUILD_DIR
    if reports is None or Path(reports).resolve() == reports_dir().resolve():
        return root / "data"
    folder = Path(reports).resolve()
    return root / "corpora" / f"{folder.name}-{sha256_text(str(folder))[:10]}" / "data"


def figures_dir() -> Path:
    """The figure kit's folder: ``$XINING_DATA_FIGURES`` if set, else the project's ``figures/``."""
    override = os.environ.get(FIGURES_ENV)
    return Path(override).expanduser() if override else FIGURES_DIR


CHART_CACHE_ENV = "XINING_DATA_CHART_CACHE"


def chart_cache_dir(build: str | Path | None = None) -> Path:
    """Where ``publish`` keeps the files of the charts it drew (``<build>/chart-cache``), to
    reuse them for a chart that has not changed; ``build`` defaults to the project's ``build/``."""
    return (Path(build) if build is not None else BUILD_DIR) / "chart-cache"
