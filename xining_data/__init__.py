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
    "errors": ("ReportError",),
    "report": (
        "Report",
        "ReportMeta",
        "decode",
        "load",
        "normalize",
        "read_report",
        "read_reports",
    ),
    "segment": ("Article", "Paragraph", "Sentence", "articles", "sentences"),
    "themes": ("classify_theme",),
    "tables": ("articles_table", "figures_with_places"),
    "numerals": ("parse_numeral",),
    "figures": (
        "Figure",
        "corpus_figures",
        "extract",
        "figures_table",
        "merged_figures",
        "unclassified",
    ),
    "places": ("Place", "attach_places", "geocode", "places_table"),
    "geo": ("boundaries", "city", "distance_km", "divisions", "per_10k", "plot_divisions"),
    "context": ("check_population_totals", "context_table", "population"),
}
_ALIASES = {"parse_numeral": "parse"}
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
