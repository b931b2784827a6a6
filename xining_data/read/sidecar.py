"""Metadata without editing files: a ``reports.csv`` table beside the reports.

A plain-text archive cannot carry a web page's metadata, and raw files are never
edited, so a folder may hold ``reports.csv`` with the columns ``file, title,
outlet, url, published``: one row per report file, named as in the folder.
Empty cells give nothing; a filled cell wins over the file's own header or
metadata (``read_report`` warns when the two differ).
"""

from __future__ import annotations

import csv
from pathlib import Path

from xining_data.base.errors import ReportError

SIDECAR = "reports.csv"
# sidecar column -> ReportMeta field
SIDECAR_FIELDS = {"title": "title", "outlet": "publisher", "url": "url", "published": "published"}


def sidecar_path(report: str | Path) -> Path:
    """Where the sidecar of a report file would be: beside it."""
    return Path(report).parent / SIDECAR


def read_sidecar(folder: str | Path) -> dict[str, dict[str, str]]:
    """file name -> its row, from the folder's ``reports.csv`` (empty when there is none)."""
    path = Path(folder) / SIDECAR
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(path, f"unreadable sidecar table ({exc})") from None
    if rows and "file" not in rows[0]:
        raise ReportError(path, "sidecar table has no 'file' column")
    return {(r.get("file") or "").strip(): r for r in rows if (r.get("file") or "").strip()}


def sidecar_row(report: str | Path) -> dict[str, str] | None:
    """The sidecar row of one report file, or None."""
    return read_sidecar(Path(report).parent).get(Path(report).name)
