"""Writing tables: CSV or JSON, to stdout or atomically to a file.

In CSV, free-text cells a spreadsheet would run as a formula get a single quote
in front (:mod:`xining_data.base.spreadsheet`); the figures contract columns
(``text``, ``value``, offsets) are written exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from xining_data.base.files import write_text_atomic
from xining_data.base.spreadsheet import for_spreadsheet

FORMATS = ("csv", "json")


def render(df: pd.DataFrame, fmt: str) -> str:
    """The whole table as text, so nothing is half-written if rendering fails."""
    if fmt == "csv":
        return for_spreadsheet(df).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


def emit(df: pd.DataFrame, fmt: str, output: str | Path | None = None) -> None:
    """Print the table, or write it atomically to ``output``."""
    text = render(df, fmt)
    if output:
        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)
