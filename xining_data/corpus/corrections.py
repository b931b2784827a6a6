"""Corrections: a reporter's cited fix of a misread figure, kept beside the reports.

Raw reports are never edited, so a figure the extraction reads wrong (a misplaced
decimal, a unit taken from the wrong word) is fixed in ``corrections.csv`` in the
reports' folder, one row per figure: ``report`` (the file name), ``start`` and
``end`` (the figure's offsets), ``text`` (the figure's words as they stand, so a
row left behind by a changed report is refused instead of fixing another
number), the corrected ``value`` and optionally ``unit`` and ``qualifier``, and
why, from where and by whom: ``reason``, ``source``, ``who``, ``date``.

The figure keeps its text and offsets; its value (unit, qualifier) becomes the
corrected one and the columns :data:`CORRECTION_COLUMNS`, added at the end of the
figures table, say so and keep the value as read. The CLI, the build and
``verify`` apply the same rows through :func:`apply_corrections`; a report's rows
are part of its cache key, so changing a row rebuilds that report.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import astuple, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from xining_data.base.errors import ReportError

if TYPE_CHECKING:
    from xining_data.read.report import Report

CORRECTIONS = "corrections.csv"
CORRECTION_FIELDS = ["report", "start", "end", "text", "value", "unit", "qualifier", "reason",
                     "source", "who", "date"]  # fmt: skip
REQUIRED_FIELDS = ["report", "start", "end", "text", "value", "reason", "source", "who"]
# Added at the end of the figures table (its columns are only ever added at the end).
CORRECTION_COLUMNS = ["corrected", "value_as_read", "correction_reason", "correction_source",
                      "correction_by"]  # fmt: skip
CORRECTION_KINDS = {"corrected": "bool"}  # the others are text
NOT_CORRECTED = {"corrected": False, "correction_reason": "", "correction_source": "",
                 "correction_by": ""}  # fmt: skip


@dataclass(frozen=True)
class Correction:
    """One row of ``corrections.csv``: the figure it fixes, the right number, and its citation."""

    line: int  # the row's line in the file (the header is line 1), for messages
    report: str  # the report's file name, as in the folder
    start: int
    end: int
    text: str
    value: str  # a plain decimal ('13971', '4.5')
    unit: str = ""  # empty: keep the figure's unit
    qualifier: str = ""  # empty: keep the figure's qualifier
    reason: str = ""
    source: str = ""
    who: str = ""
    date: str = ""
    path: str = ""  # the corrections file

    def problem(self, what: str) -> ReportError:
        """The one-line error naming the file and the row."""
        return ReportError(
            self.path, f"row {self.line} ({self.report} {self.start}-{self.end}): {what}"
        )


Corrections = tuple[Correction, ...]


def corrections_key(corrections: Corrections) -> tuple:
    """The rows as plain values, for a report's cache key."""
    return tuple(astuple(c) for c in corrections)


def read_corrections(folder: str | Path) -> dict[str, Corrections]:
    """Report file name -> its corrections, from the folder's ``corrections.csv`` (empty when
    there is none). A malformed row, or one naming a file the folder lacks, is refused."""
    path = Path(folder) / CORRECTIONS
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = [(reader.line_num, row) for row in reader]
            columns = reader.fieldnames or []
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(path, f"unreadable corrections table ({exc})") from None
    if missing := [c for c in REQUIRED_FIELDS if c not in columns]:
        raise ReportError(path, f"corrections table has no column {', '.join(missing)}")
    out: dict[str, list[Correction]] = {}
    seen: dict[tuple[str, int, int], int] = {}
    for line, row in rows:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        c = _correction(line, row, path)
        if not (Path(folder) / c.report).is_file():
            raise c.problem(f"no report file {c.report!r} in {Path(folder)}")
        if (key := (c.report, c.start, c.end)) in seen:
            raise c.problem(f"corrects the same figure as row {seen[key]}")
        seen[key] = line
        out.setdefault(c.report, []).append(c)
    return {name: tuple(rows) for name, rows in out.items()}


def corrections_for(report_path: str | Path) -> Corrections:
    """The corrections of one report file, from ``corrections.csv`` beside it."""
    path = Path(report_path)
    return read_corrections(path.parent).get(path.name, ())


def _correction(line: int, row: dict[str, str], path: Path) -> Correction:
    """One row checked: the cells it needs, whole offsets, a number, a known qualifier."""
    from xining_data.extract.numerals import plain  # the build imports extraction lazily
    from xining_data.extract.vocab import QUALIFIERS

    cell = {name: (row.get(name) or "").strip() for name in CORRECTION_FIELDS}
    where = f"row {line}"
    if empty := [name for name in REQUIRED_FIELDS if not cell[name]]:
        raise ReportError(path, f"{where}: empty {', '.join(empty)}")
    try:
        start, end = int(cell["start"]), int(cell["end"])
    except ValueError:
        raise ReportError(path, f"{where}: start and end must be whole numbers") from None
    if not 0 <= start < end:
        raise ReportError(path, f"{where}: offsets {start}-{end} are not a span of text")
    try:
        value = Decimal(cell["value"].replace(",", ""))
    except InvalidOperation:
        raise ReportError(path, f"{where}: value {cell['value']!r} is not a number") from None
    if not value.is_finite():
        raise ReportError(path, f"{where}: value {cell['value']!r} is not a number")
    if cell["qualifier"] and cell["qualifier"] not in QUALIFIERS:
        known = ", ".join(QUALIFIERS)
        raise ReportError(path, f"{where}: qualifier {cell['qualifier']!r} is not one of {known}")
    if cell["date"]:
        try:
            dt.date.fromisoformat(cell["date"])
        except ValueError:
            raise ReportError(path, f"{where}: date {cell['date']!r} is not YYYY-MM-DD") from None
    # keep the text as written (a figure's words may begin or end with a space)
    fields = {**cell, "text": row.get("text") or "", "start": start, "end": end}
    return Correction(line=line, **{**fields, "value": plain(value)}, path=str(path))


def corrected_rows(rows: list[dict], report: Report, corrections: Corrections) -> list[dict]:
    """:func:`apply_corrections` on the figures table's rows of ``report`` (dicts, of
    :func:`xining_data.extract.figures.figure_rows`): without corrections the columns are
    added to the rows as they are, with no table built; with some, through the table."""
    if corrections:
        from xining_data.extract.figures import figures_frame

        frame = figures_frame(rows, [report], validate=False)
        return apply_corrections(frame, report.text, corrections).to_dict("records")
    for row in rows:
        row.update(NOT_CORRECTED, value_as_read=str(row["value"]))
    return rows


def apply_corrections(figures: pd.DataFrame, text: str, corrections: Corrections) -> pd.DataFrame:
    """The figures table with :data:`CORRECTION_COLUMNS` added and the corrections applied.

    ``text`` is the report's text, which the offsets index. A row whose words no longer
    stand at its offsets (the report changed), or that names no figure, or a date, is
    refused with a :class:`ReportError` naming the corrections file and the row.
    """
    from xining_data.extract.quantities import bounds
    from xining_data.extract.vocab import EXACT, RANGE

    out = figures.assign(
        corrected=pd.Series(False, index=figures.index, dtype=bool),
        value_as_read=figures["value"].astype(str),
        correction_reason="",
        correction_source="",
        correction_by="",
    )
    for c in corrections:
        found = text[c.start : c.end]
        if found != c.text:
            raise c.problem(
                f"stale correction: the report reads {found!r} there, the row says {c.text!r}"
            )
        at = out.index[(out["start"] == c.start) & (out["end"] == c.end)]
        if at.empty:
            raise c.problem(f"no figure {c.text!r} at these offsets (see the figures table)")
        if (out.loc[at, "kind"] == "date").any():
            raise c.problem(f"{c.text!r} is a date; corrections fix numbers")
        for i in at:  # one number now, with the bounds its qualifier gives
            qualifier = c.qualifier or str(out.at[i, "qualifier"]).replace(RANGE, EXACT)
            low, high = bounds(Decimal(c.value), None, qualifier)
            out.at[i, "value"], out.at[i, "qualifier"] = c.value, qualifier
            out.at[i, "value_min"] = c.value if low is not None else ""
            out.at[i, "value_max"] = c.value if high is not None else ""
        if c.unit:
            out.loc[at, "unit"] = c.unit
        out.loc[at, "corrected"] = True
        out.loc[at, "correction_reason"] = c.reason
        out.loc[at, "correction_source"] = c.source
        out.loc[at, "correction_by"] = c.who
    return out
