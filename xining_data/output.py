"""Writing tables: CSV or JSON, to stdout or atomically to a file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "json")


def render(df: pd.DataFrame, fmt: str) -> str:
    """The whole table as text, so nothing is half-written if rendering fails."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


def write_atomic(path: str | Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(df: pd.DataFrame, fmt: str, output: str | Path | None = None) -> None:
    """Print the table, or write it atomically to ``output``."""
    text = render(df, fmt)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
