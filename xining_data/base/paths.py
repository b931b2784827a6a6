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


def reports_dir() -> Path:
    """The folder of raw reports: ``$XINING_DATA_REPORTS`` if set, else the bundled corpus."""
    override = os.environ.get(REPORTS_ENV)
    return Path(override).expanduser() if override else RAW_DIR


def figures_dir() -> Path:
    """The figure kit's folder: ``$XINING_DATA_FIGURES`` if set, else the project's ``figures/``."""
    override = os.environ.get(FIGURES_ENV)
    return Path(override).expanduser() if override else FIGURES_DIR
