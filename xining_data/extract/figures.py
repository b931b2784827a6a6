"""Figures: every number in a report, typed, exact and traceable to its sentence.

A figure is a quantity (67家, 10.85万元, 5.2%, 近万场次), a date (2024年9月25日, 去年), an
ordinal (第七, 首个) or an identifier that is a number (5G, “13131”), with where it stands in
the raw text, its sentence and article, and what it counts. Reading them is split by concept:

- :mod:`~xining_data.extract.vocab`: the word lists in ``data/vocab/*.csv`` and the patterns built
  from them, once;
- :mod:`~xining_data.extract.scanner`: one pass over a text, handing each token to
- :mod:`~xining_data.extract.dates` (absolute and relative dates) and
  :mod:`~xining_data.extract.quantities` (numeral, multiplier, range, unit, qualifiers);
- :mod:`~xining_data.extract.subjects`: what each figure counts, and over what period;
- :mod:`~xining_data.extract.tally`: the records a scan keeps, figures and the numerals that are not;
- :mod:`~xining_data.extract.tablecells`: the figures of a document's table cells, read with their
  row's indicator and the table's unit, in place of the scan's inside the table.

This module holds the :class:`Figure` record and turns scans of whole reports (articles
repaired of print-column breaks, offsets mapped back to the raw text) into the figures
table, checked against :data:`FIGURES_SCHEMA`. Every numeral ends up either as a figure or
in :func:`unclassified` with a status and a reason; nothing is dropped silently. Values are
``Decimal``; the table stores them as plain strings ('108500', '76.58') so CSV output is exact.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

import pandas as pd

from xining_data.base import lazyschema as pa  # pandera on the first full validation
from xining_data.base.frames import columns_of, frame_of_columns
from xining_data.base.tablecheck import checked_by_report
from xining_data.extract.dates import infer_reference_year
from xining_data.extract.measures import MAX_LENGTH
from xining_data.extract.modality import MODALITIES
from xining_data.extract.numerals import plain
from xining_data.extract.readings import READING_COLUMNS, add_readings
from xining_data.extract.scanner import Scanner
from xining_data.extract.tablecells import table_readings, table_sentences, with_table_figures
from xining_data.extract.tally import Found, Unclassified
from xining_data.extract.vocab import NUMERAL_CHARS, QUALIFIERS
from xining_data.read.ideographs import unify_ideographs
from xining_data.read.report import Report, load, read_reports
from xining_data.read.segment import Article, articles_of, sentences_of

COLUMNS = [
    "report", "article", "article_title", "theme", "start", "end", "text", "kind", "value",
    "value_min", "value_max", "qualifier", "unit", "subject", "date", "date_precision",
    "date_inferred", "period", "as_of", "sentence", "sentence_start", "sentence_end", "place",
    "place_adcode", "place_rule", *READING_COLUMNS,
]  # fmt: skip
UNCLASSIFIED_COLUMNS = ["report", "article", "start", "end", "text", "status", "reason", "sentence"]
# A fact stated twice is the same fact when these agree (see merged_figures).
MERGE_KEY = ["report", "theme", "kind", "value", "value_min", "value_max", "qualifier", "unit",
             "subject", "date"]  # fmt: skip


# Where the fields Found shares with Figure begin (after start, end, kind, rule, unit_text).
FOUND_FIGURE_FIELDS = 5


@dataclass(frozen=True)
class Figure:
    """One figure: where it stands in the text, what it is and how much."""

    start: int
    end: int
    text: str
    kind: str
    value: Decimal | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    qualifier: str = "exact"
    unit: str = ""
    subject: str = ""
    date: str = ""
    date_precision: str = ""
    date_inferred: bool = False
    period: str = ""
    as_of: str = ""


def scan(
    text: str,
    reference: dt.date | None = None,
    reference_inferred: bool = False,
    *,
    reference_precision: str = "day",
) -> tuple[list[Figure], list[Unclassified]]:
    """Figures and the unclassified numerals of a text (offsets index ``text``)."""
    found, skipped = Scanner(text, reference, reference_inferred, reference_precision).run()
    return [_figure(text, f) for f in found], skipped


_FIGURE_FIELDS = tuple(f.name for f in fields(Figure))
_new = object.__new__


def _built(start: int, end: int, text: str, found: Found) -> Figure:
    """The figure of a scanner's record at ``start``-``end`` (``text`` is what stands there).

    Its fields are filled at once, not by the frozen ``__init__``'s fifteen guarded
    ``setattr`` calls, which cost more than the rest of reading a figure; the result is the
    same (equal, hashed and printed alike, still frozen)."""
    # Found's fields after unit_text are Figure's after kind, in the same order (tests check).
    figure = _new(Figure)
    figure.__dict__.update(
        zip(
            _FIGURE_FIELDS,
            (start, end, text, found.kind, *found[FOUND_FIGURE_FIELDS:]),
            strict=True,
        )
    )
    return figure


def _figure(text: str, found: Found) -> Figure:
    """The figure of a scanner's record (its offsets index ``text``)."""
    return _built(found.start, found.end, text[found.start : found.end], found)


def extract(
    text: str,
    reference: dt.date | None = None,
    reference_inferred: bool = False,
    *,
    reference_precision: str = "day",
) -> list[Figure]:
    """Every figure in ``text``, in order; relative dates resolve against ``reference``.

    ``reference_inferred`` marks dates resolved from an inferred publication date;
    ``reference_precision`` (year, month, day) says how much of ``reference`` is known.
    """
    return scan(text, reference, reference_inferred, reference_precision=reference_precision)[0]


@dataclass(frozen=True)
class _Piece:
    """A stretch of repaired text and where it came from in the raw text."""

    at: int  # offset in the repaired text
    raw: int  # offset in the raw text
    length: int


def _blocks(report: Report, arts: list[Article]) -> list[tuple[str, list[_Piece]]]:
    """Per article: title and paragraphs with print-column breaks removed, and the offset map;
    then every raw stretch outside them (bylines, loose lines) as is."""
    raw, out, covered = unify_ideographs(report.text), [], []  # 13971⼈ (U+2F08) reads as 人
    for art in arts:
        spans: list[tuple[tuple[int, int], ...]] = []
        if art.title_start >= 0:
            spans.append(((art.title_start, art.title_end),))
        spans.extend(p.spans for p in art.paragraphs)
        parts, pieces, at = [], [], 0
        for para in spans:
            for s, e in para:
                pieces.append(_Piece(at, s, e - s))
                parts.append(raw[s:e])
                at += e - s
                covered.append((s, e))
            parts.append("\n")
            pieces.append(_Piece(at, para[-1][1], 0))
            at += 1
        out.append(("".join(parts), pieces))
    pos = 0
    for s, e in sorted(covered) + [(len(raw), len(raw))]:
        if s > pos and re.search(f"[{NUMERAL_CHARS}]", raw[pos:s]):
            out.append((raw[pos:s], [_Piece(0, pos, s - pos)]))
        pos = max(pos, e)
    return out


def _to_raw(pieces: list[_Piece], ats: list[int], index: int, end: bool = False) -> int:
    """Map an offset of the repaired text to the raw text (``end``: an exclusive end);
    ``ats`` are the pieces' offsets in the repaired text."""
    i = bisect_right(ats, index - 1 if end else index) - 1
    pc = pieces[max(i, 0)]
    return pc.raw + min(index - pc.at, pc.length)


def _scan_report(
    report: Report, unclassified: bool = True
) -> tuple[list[Figure], list[Unclassified]]:
    """The figures of a report, and (when ``unclassified``) the numerals that are none, at
    raw offsets; the figures table needs no unclassified record mapped back."""
    meta = report.meta
    ref, inferred, precision = (
        meta.reference_date,
        meta.published_inferred,
        meta.published_precision,
    )
    if ref is None and (year := infer_reference_year(report.text)) is not None:
        ref, inferred, precision = dt.date(year, 1, 1), True, "year"  # flagged as inferred
    figures: list[Figure] = []
    skipped: list[Unclassified] = []
    raw = report.text
    for text, pieces in _blocks(report, articles_of(report)):
        found, lost = Scanner(text, ref, inferred, precision).run()
        ats = [pc.at for pc in pieces]
        for f in found:  # each record made once, at its raw offsets
            s, e = _to_raw(pieces, ats, f.start), _to_raw(pieces, ats, f.end, end=True)
            figures.append(_built(s, e, raw[s:e], f))
        for u in lost if unclassified else ():
            s, e = _to_raw(pieces, ats, u.start), _to_raw(pieces, ats, u.end, end=True)
            skipped.append(Unclassified(s, e, raw[s:e], u.status, u.reason))
    figures.sort(key=lambda f: (f.start, f.end))
    skipped.sort(key=lambda u: (u.start, u.end))
    return figures, skipped


def _locator(report: Report):
    """Functions from a raw offset to its article and its sentence."""
    arts = articles_of(report)
    sents = sentences_of(report)
    art_starts = [a.start for a in arts]
    sent_starts = [s.start for s in sents]

    def article(offset: int) -> Article | None:
        i = bisect_right(art_starts, offset) - 1
        return arts[i] if i >= 0 and offset < arts[i].end else None

    def sentence(offset: int, end: int = 0) -> tuple[str, int, int]:
        """The sentence at ``offset``; with ``end``, every sentence of its article up to the
        one ``end`` falls in (a figure across a cut of a run without sentence ends)."""
        i = bisect_right(sent_starts, offset) - 1
        if i >= 0 and offset < sents[i].end:
            j = i
            while (
                end > sents[j].end
                and j + 1 < len(sents)
                and sents[j + 1].article == sents[i].article
            ):
                j += 1
            if j == i:
                return sents[i].text, sents[i].start, sents[i].end
            return "".join(s.text for s in sents[i : j + 1]), sents[i].start, sents[j].end
        a = report.text.rfind("\n", 0, offset) + 1
        b = report.text.find("\n", offset)
        b = len(report.text) if b < 0 else b
        return report.text[a:b].strip(), a, b

    return article, sentence


def _dec(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


_DECIMAL = r"-?\d+(?:\.\d+)?"
_ISO = r"\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}(?:-\d{2})?|---\d{2}|\d{3}"
FIGURES_SCHEMA = pa.DataFrameSchema(
    {
        "report": pa.Column(str),
        "article": pa.Column(int, pa.Check.ge(0)),
        "article_title": pa.Column(str),
        "theme": pa.Column(str),
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(1)),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kind": pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$")),
        "value": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "value_min": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "value_max": pa.Column(str, pa.Check.str_matches(rf"^(?:{_DECIMAL})?$")),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
        "unit": pa.Column(str),
        "subject": pa.Column(str),
        "date": pa.Column(str, pa.Check.str_matches(rf"^(?:(?:{_ISO})(?:/(?:{_ISO}))?)?$")),
        "date_precision": pa.Column(str, pa.Check.isin(["", "year", "month", "day", "decade"])),
        "date_inferred": pa.Column(bool),
        "period": pa.Column(str),
        "as_of": pa.Column(str),
        "sentence": pa.Column(str),
        "sentence_start": pa.Column(int),
        "sentence_end": pa.Column(int),
        "place": pa.Column(str),
        "place_adcode": pa.Column(str),
        "place_rule": pa.Column(str),  # filled by geo.places.attach_places
        "measure": pa.Column(str, pa.Check.str_length(max_value=MAX_LENGTH)),
        "measure_start": pa.Column(int),
        "measure_end": pa.Column(int),
        "indicator": pa.Column(str),
        "ref_date": pa.Column(str, pa.Check.str_matches(rf"^(?:(?:{_ISO})(?:/(?:{_ISO}))?)?$")),
        "ref_precision": pa.Column(str, pa.Check.isin(["", "year", "month", "day", "decade"])),
        "ref_source": pa.Column(
            str,
            pa.Check.isin(["", "clause", "as_of", "paragraph", "title", "published", "inferred"]),
        ),
        "modality": pa.Column(str, pa.Check.isin(["", *MODALITIES])),
    },
    checks=[
        pa.Check(lambda df: df["start"] < df["end"], error="start < end"),
        pa.Check(
            lambda df: (df["kind"] == "date") == (df["date"] != ""), error="dates carry a date"
        ),
    ],
    strict=False,  # later steps may add columns (the geocoder's place rule); these stay first
    ordered=True,
)
_INT_COLUMNS = ("article", "start", "end", "sentence_start", "sentence_end", "measure_start",
                "measure_end")  # fmt: skip


_KINDS = dict.fromkeys(_INT_COLUMNS, "int64") | {"date_inferred": "bool"}


def figures_table(
    report: Report | str | Path, published: str | None = None, validate: bool = True
) -> pd.DataFrame:
    """One row per figure, in text order, with its provenance (what the CLI prints).

    ``validate=False`` leaves the schema check to the caller, who checks many tables at once;
    :func:`figures_tables` does so for many reports.
    """
    return figures_of(load(report, published), validate)


def figures_of(report: Report, validate: bool = True) -> pd.DataFrame:
    """:func:`figures_table` for a report already loaded."""
    return figures_frame(figure_rows(report), [report], validate)


def figures_tables(
    reports: Iterable[Report | str | Path], published: str | None = None
) -> pd.DataFrame:
    """The figures of many reports as one table: :func:`figures_table` of each, in order,
    built and checked against :data:`FIGURES_SCHEMA` once (a table of its own per report
    costs more than reading its figures). A row that breaks the schema fails the call with a
    :class:`~xining_data.base.tablecheck.TableCheckError` naming its report."""
    loaded = [load(r, published) for r in reports]
    return figures_frame([row for r in loaded for row in figure_rows(r)], loaded)


def figure_rows(report: Report) -> list[dict]:
    """The figures table's rows of one report, as dicts of plain values, not yet checked."""
    figures, cells = with_table_figures(report, _scan_report(report, False)[0], _figure)
    article, sentence = _locator(report)
    rows = []
    for f in figures:
        if report.text[f.start : f.end] != f.text:  # provenance is the contract
            raise AssertionError(f"{report.id}: figure offsets {f.start}-{f.end} lost the text")
        art = article(f.start)
        sent, s_start, s_end = sentence(f.start, f.end)
        value = _dec(f.value)  # an exact figure's bounds are its value: written once
        rows.append(
            {
                "report": report.id,
                "article": art.order if art else 0,
                "article_title": art.title if art else "",
                "theme": art.theme if art else "",
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "kind": f.kind,
                "value": value,
                "value_min": value if f.value_min is f.value else _dec(f.value_min),
                "value_max": value if f.value_max is f.value else _dec(f.value_max),
                "qualifier": f.qualifier,
                "unit": f.unit,
                "subject": f.subject,
                "date": f.date,
                "date_precision": f.date_precision,
                "date_inferred": f.date_inferred,
                "period": f.period,
                "as_of": f.as_of,
                "sentence": sent,
                "sentence_start": s_start,
                "sentence_end": s_end,
                "place": "",
                "place_adcode": "",
                "place_rule": "",
            }
        )
    table_sentences(rows, cells, report.text)
    add_readings(report, rows)
    table_readings(rows, cells)
    if report.pages:  # a PDF: the page each figure is printed on
        for row in rows:
            row["page"] = report.page_at(row["start"])
    return rows


def figures_frame(
    rows: list[dict],
    reports: Sequence[Report],
    validate: bool = True,
    extra: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The figures table of ``rows`` (of :func:`figure_rows`, of ``reports``): the columns
    of :data:`COLUMNS`, then ``page`` when a report is a PDF (empty for the others), then the
    ``extra`` columns the rows carry (name -> kind, as ``frame_of`` reads it); checked
    against :data:`FIGURES_SCHEMA` once when ``validate``."""
    columns = figure_columns(rows, reports, extra)
    return figures_frame_of(columns, validate, extra)


def figure_columns(
    rows: list[dict], reports: Sequence[Report], extra: Mapping[str, str] | None = None
) -> dict[str, list]:
    """The columns of the figures table of ``rows`` (see :func:`figures_frame`), one list of
    plain values each: a long report's rows need not be kept as a dict each (issue 15)."""
    names = [*COLUMNS, *(["page"] if any(r.pages for r in reports) else []), *(extra or {})]
    return columns_of(rows, COLUMNS) | {
        name: [row.get(name) for row in rows] for name in names[len(COLUMNS) :]
    }


def figures_frame_of(
    columns: Mapping[str, list], validate: bool = True, extra: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The figures table of its columns (of :func:`figure_columns`)."""
    frame = frame_of_columns(columns, _KINDS | dict(extra or {}) | {"page": "object"})
    if "page" in frame:
        frame["page"] = pd.array(columns["page"], dtype="Int64")
    return checked_by_report(FIGURES_SCHEMA, frame, columns) if validate else frame


def unclassified(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """Every numeral that is not a figure, with its status and the reason."""
    report = load(report, published)
    _, skipped = _scan_report(report)
    article, sentence = _locator(report)
    rows = [
        {
            "report": report.id,
            "article": (art.order if (art := article(u.start)) else 0),
            "start": u.start,
            "end": u.end,
            "text": u.text,
            "status": u.status,
            "reason": u.reason,
            "sentence": sentence(u.start)[0],
        }
        for u in skipped
    ]
    df = pd.DataFrame(rows, columns=UNCLASSIFIED_COLUMNS)
    return df.astype({"article": "int64", "start": "int64", "end": "int64"})


def merged_figures(df: pd.DataFrame) -> pd.DataFrame:
    """One row per fact: mentions that agree on MERGE_KEY (report, article theme, kind, value
    and bounds, qualifier, unit, subject, date) are one fact, e.g. 40个村 5.1万人 stated twice.

    The first mention's row is kept, with ``mentions`` (how many) and ``starts`` (the offset of
    every mention, ';'-separated)."""
    if df.empty:
        return df.assign(mentions=pd.Series(dtype="int64"), starts=pd.Series(dtype=str))
    groups = df.groupby(MERGE_KEY, sort=False, dropna=False)
    first = groups.head(1).copy()
    first["mentions"] = groups["start"].transform("size")[first.index].astype("int64")
    starts = groups["start"].agg(lambda s: ";".join(str(v) for v in s))
    keys = pd.MultiIndex.from_frame(first[MERGE_KEY])
    first["starts"] = starts.reindex(keys).to_numpy()
    return first.reset_index(drop=True)


def corpus_figures(folder: str | Path | None = None) -> pd.DataFrame:
    """The figures of every report in a folder (the bundled corpus by default)."""
    return figures_tables(read_reports(folder))


def to_csv(df: pd.DataFrame) -> str:
    """The table as CSV text, exactly as the CLI prints it."""
    return df.to_csv(index=False, lineterminator="\n")
