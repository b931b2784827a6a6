"""What each figure means, read after the scan: its measure, indicator and reference period.

A stage of its own on the rows of the figures table (see :func:`add_readings`), so the scan
stays about numbers: :mod:`.measures` finds the phrase that names what the number measures,
:mod:`.indicators` maps it to a canonical indicator, :mod:`.reference` dates it.
"""

from __future__ import annotations

from xining_data.extract.dates import infer_reference_year
from xining_data.extract.indicators import indicator
from xining_data.extract.measures import report_measures
from xining_data.extract.reference import CLAUSE_MARK, references
from xining_data.read.report import Report

READING_COLUMNS = [
    "measure", "measure_start", "measure_end", "indicator", "ref_date", "ref_precision",
    "ref_source",
]  # fmt: skip


def _clause(text: str, row: dict) -> str:
    """The raw text of a figure's clause, within its sentence."""
    s0, s1 = row["sentence_start"], row["sentence_end"]
    before = text[s0 : row["start"]]
    a = s0 + max((m.end() for m in CLAUSE_MARK.finditer(before)), default=0)
    m = CLAUSE_MARK.search(text, row["end"], s1)
    return text[a : m.start() if m else s1]


def _publication(report: Report) -> tuple[str, bool]:
    """The report's publication date (ISO) and whether it was inferred from its text."""
    meta = report.meta
    if meta.published:
        return meta.published, meta.published_inferred
    year = infer_reference_year(report.text)
    return ("", False) if year is None else (str(year), True)


def add_readings(report: Report, rows: list[dict]) -> None:
    """Add the :data:`READING_COLUMNS` to each row of a report's figures table (rows need
    start, end, text, kind, unit, date, date_precision, as_of and the sentence columns)."""
    text = report.text
    published, inferred = _publication(report)
    measures = report_measures(text, rows)
    refs = references(text, rows, published, inferred)
    for row, m, ref in zip(rows, measures, refs, strict=True):
        row["measure"] = m.text
        row["measure_start"] = m.start
        row["measure_end"] = m.end
        row["indicator"] = indicator(m.text, row["kind"], row["unit"], _clause(text, row), m.rule)
        row["ref_date"] = ref.date
        row["ref_precision"] = ref.precision
        row["ref_source"] = ref.source
