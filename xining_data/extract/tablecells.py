"""Figures from the number cells of a document's tables.

A table cell holds a bare number; its row and column say what it is
(:mod:`xining_data.read.tables`): 1800.5 in the row 地区生产总值 under a unit
column reading 亿元 is money, 180050000000 yuan; 5.2 under 比上年增长% is a
percent change. The number and its unit are read together by the same scanner as
running text, so the table's units mean what they mean in a sentence; the figure
keeps the offsets of the number alone (``raw[start:end]`` is the cell's number).
A cell whose unit the scanner does not know, or which has none, is a figure of kind
``number`` with the table's unit as written.

A table's figures are its cells': what the scan of running text found in its header
rows, row headers (第三产业) or number cells is dropped; words with a number written in a
cell (1800.5亿元) are read as running text. A cell's sentence is its row's line, its
measure the row's indicator (with its offsets; also its subject, unless its unit names
what it counts: 人, 个), and its indicator the catalogue's for that measure, as for
running text, a change as a change (a share is no level of any indicator). A column
headed by a year (2023 | 2024) dates its cells: that year is their reference period, as
a date written in a figure's clause would be (``ref_source`` clause).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from xining_data.extract.indicators import indicator
from xining_data.extract.measures import MAX_LENGTH
from xining_data.extract.scanner import Scanner
from xining_data.extract.tally import Found
from xining_data.read.ideographs import unify_ideographs
from xining_data.read.report import Report
from xining_data.read.tables import TableCell

_YEAR_HEADER = re.compile(r"\s*((?:19|20)\d\d)\s*年?\s*")
NUMBER_KIND = "number"  # a cell the table gives no unit the scanner knows
F = TypeVar("F")  # a figure record with start and end (extract.figures.Figure)


def cell_found(text: str, cell: TableCell) -> Found:
    """One number cell of ``text`` (the report's text) as the scanner's record of a figure."""
    number = text[cell.start : cell.end]
    plain_number = number.replace("−", "-").replace(",", "")
    written = plain_number + unify_ideographs(cell.unit)  # a PDF's 万⼈ (U+2F08) is 万人
    scanned = Scanner(written, None, False, "day").run()[0]
    found = [f for f in scanned if f.start == 0 and f.end == len(written)]
    if found:
        f = found[0]  # what a unit counts (人, 个) is its subject, as in running text
        return f._replace(start=cell.start, end=cell.end, subject=f.subject or cell.label)
    return Found(
        cell.start, cell.end, NUMBER_KIND, unit_text=cell.unit, value=Decimal(plain_number),
        unit=cell.unit, subject=cell.label,
    )  # fmt: skip


def table_cells(report: Report) -> dict[tuple[int, int], TableCell]:
    """(start, end) -> the number cell standing there, for every table of the report."""
    return {(c.start, c.end): c for t in report.tables for c in t.cells}


def with_table_figures(
    report: Report, figures: list[F], figure: Callable[[str, Found], F]
) -> tuple[list[F], dict[tuple[int, int], TableCell]]:
    """The scan's figures with the table cells' figures (made by ``figure`` from the report's
    text and a record) in place of the scan's in the tables, in text order, and the cells by
    their offsets."""
    cells = table_cells(report)
    if not cells:
        return figures, cells
    kept = [f for f in figures if not any(t.covers(f.start, f.end) for t in report.tables)]
    kept += [figure(report.text, cell_found(report.text, cells[span])) for span in sorted(cells)]
    kept.sort(key=lambda f: (f.start, f.end))
    return kept, cells


def column_year(header: str) -> str:
    """The year a column's header is, or '' (2024, 2024年; not 2024年1-6月 nor 比上年增长)."""
    m = _YEAR_HEADER.fullmatch(header)
    return m[1] if m else ""


def table_sentences(rows: list[dict], cells: dict[tuple[int, int], TableCell], text: str) -> None:
    """A table figure's sentence is its row's line (set before the readings read it)."""
    for row in rows:
        if (cell := cells.get((row["start"], row["end"]))) is not None:
            row["sentence"] = text[cell.row_start : cell.row_end]
            row["sentence_start"], row["sentence_end"] = cell.row_start, cell.row_end


def table_readings(rows: list[dict], cells: dict[tuple[int, int], TableCell]) -> None:
    """A table figure's measure is its row's indicator cell, and its indicator the one the
    catalogue gives that measure (a change read as a change; a share as no indicator)."""
    for row in rows:
        if (cell := cells.get((row["start"], row["end"]))) is None:
            continue
        end = min(cell.label_end, cell.label_start + MAX_LENGTH)
        row["measure"] = cell.label[: end - cell.label_start]
        row["measure_start"], row["measure_end"] = cell.label_start, end
        if year := column_year(cell.header):  # 2023 | 2024: each column its own year
            row["ref_date"], row["ref_precision"], row["ref_source"] = year, "year", "clause"
        rule = "change" if cell.role == "change" else ""
        row["indicator"] = (
            ""
            if cell.role == "share"
            else indicator(unify_ideographs(row["measure"]), row["kind"], row["unit"], "", rule)
        )
