"""What each figure means, read after the scan: its measure, indicator, reference period and
modality.

A stage of its own on the rows of the figures table (see :func:`add_readings`), so the scan
stays about numbers: :mod:`.measures` finds the phrase that names what the number measures,
:mod:`.indicators` maps it to a canonical indicator, :mod:`.reference` dates it and
:mod:`.modality` says whether it is a fact, a target or a forecast.
"""

from __future__ import annotations

from xining_data.extract.dates import infer_reference_year
from xining_data.extract.indicators import indicator
from xining_data.extract.measures import report_measures
from xining_data.extract.modality import modalities
from xining_data.extract.reference import CLAUSE_MARK, Layout, own_references, with_topics
from xining_data.read.report import Report
from xining_data.read.segment import articles_of

READING_COLUMNS = [
    "measure", "measure_start", "measure_end", "indicator", "ref_date", "ref_precision",
    "ref_source", "modality",
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


def layout(report: Report) -> Layout:
    """The report's paragraphs and article titles, as the reference periods need them."""
    arts = articles_of(report)
    return Layout(
        paragraphs=tuple((p.start, p.end) for a in arts for p in a.paragraphs),
        articles=tuple((a.start, a.end, a.title_start, a.title_end) for a in arts),
    )


def add_readings(report: Report, rows: list[dict]) -> None:
    """Add the :data:`READING_COLUMNS` to each row of a report's figures table (rows need
    start, end, text, kind, unit, date, date_precision, as_of and the sentence columns)."""
    text = report.text
    published, inferred = _publication(report)
    measures = report_measures(text, rows)
    # A figure's own period (its sentence's) says whether 将 marks a forecast; the topics of
    # paragraphs and titles then date the figures that are not goals.
    own = own_references(text, rows, published, inferred)
    moods = modalities(text, rows, own, published)
    goals = [mood not in ("", "actual") for mood in moods]
    refs = with_topics(text, rows, own, layout(report), goals)
    for row, m, ref, mood in zip(rows, measures, refs, moods, strict=True):
        row["measure"] = m.text
        row["measure_start"] = m.start
        row["measure_end"] = m.end
        row["indicator"] = indicator(m.text, row["kind"], row["unit"], _clause(text, row), m.rule)
        row["ref_date"] = ref.date
        row["ref_precision"] = ref.precision
        row["ref_source"] = ref.source
        row["modality"] = mood
