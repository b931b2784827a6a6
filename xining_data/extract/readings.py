"""What each figure means, read after the scan: its measure, indicator, reference period and
modality.

A stage of its own on the rows of the figures table (see :func:`add_readings`), so the scan
stays about numbers: :mod:`.measures` finds the phrase that names what the number measures,
:mod:`.indicators` maps it to a canonical indicator, :mod:`.reference` dates it and
:mod:`.modality` says whether it is a fact, a target or a forecast.
"""

from __future__ import annotations

from bisect import bisect_left

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


def _clause(text: str, row: dict, marks: dict[tuple[int, int], list[int]]) -> str:
    """The raw text of a figure's clause, within its sentence; ``marks`` keeps where each
    sentence's clause marks stand, found once per sentence rather than once per figure."""
    s0, s1, start, end = row["sentence_start"], row["sentence_end"], row["start"], row["end"]
    if not s0 <= start <= end <= s1:  # a figure across its sentence's edge: read the text
        before = text[s0:start]
        a = s0 + max((m.end() for m in CLAUSE_MARK.finditer(before)), default=0)
        m = CLAUSE_MARK.search(text, end, s1)
        return text[a : m.start() if m else s1]
    at = marks.get((s0, s1))
    if at is None:
        at = marks[s0, s1] = [m.start() for m in CLAUSE_MARK.finditer(text, s0, s1)]
    i, j = bisect_left(at, start), bisect_left(at, end)  # marks are one character each
    return text[at[i - 1] + 1 if i else s0 : at[j] if j < len(at) else s1]


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
    marks: dict[tuple[int, int], list[int]] = {}
    for row, m, ref, mood in zip(rows, measures, refs, moods, strict=True):
        row["measure"] = m.text
        row["measure_start"] = m.start
        row["measure_end"] = m.end
        clause = _clause(text, row, marks) if m.text else ""  # no measure, no indicator
        row["indicator"] = indicator(m.text, row["kind"], row["unit"], clause, m.rule)
        row["ref_date"] = ref.date
        row["ref_precision"] = ref.precision
        row["ref_source"] = ref.source
        row["modality"] = mood
