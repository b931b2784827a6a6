"""xining-data: figures from Chinese city reports as typed, traceable, geocoded data.

The public API. Each name lives in the module named after its concept and is
imported on first use, so that ``import xining_data`` (and a ``publish`` with
nothing to do) stays fast; ``from xining_data import figures_table`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, tuple[str, ...]] = {
    "base.errors": ("ReportError",),
    "base.tablecheck": ("TableCheckError",),
    "read.report": (
        "Report",
        "ReportMeta",
        "decode",
        "load",
        "normalize",
        "read_report",
        "read_reports",
    ),
    "read.segment": ("Article", "Paragraph", "Sentence", "articles", "sentences"),
    "read.themes": ("classify_theme",),
    "corpus.tables": ("articles_table", "figures_with_places"),
    "extract.numerals": ("parse_numeral",),
    "extract.figures": (
        "Figure",
        "corpus_figures",
        "extract_figures",
        "figures_table",
        "figures_tables",
        "merged_figures",
        "unclassified",
    ),
    "geo.places": ("Place", "attach_places", "geocode", "places_table", "places_tables"),
    "geo.boundaries": (
        "boundaries",
        "city",
        "distance_km",
        "divisions",
        "per_10k",
    ),
    "publish.charts": ("plot_divisions",),
    "geo.context": ("check_population_totals", "context_table", "population"),
}
# Public name -> the name in its module (``extract`` alone names the stage package).
_ALIASES = {"parse_numeral": "parse", "extract_figures": "extract"}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'xining_data' has no attribute {name!r}")
    module = importlib.import_module(f".{_WHERE[name]}", __name__)
    value = getattr(module, _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
