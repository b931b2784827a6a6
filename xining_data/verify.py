"""Verifying a build: the tables and the published stories still match their sources.

``python -m xining_data verify`` re-reads every raw report named in the build
manifest and checks that
- the manifest is readable and well formed, and the tables were built by this
  library (otherwise nothing can be re-extracted: rebuild);
- each input still has the size and sha256 the manifest recorded, no input has
  gone and no new one has come (the tables would be stale);
- the table files are the ones the build wrote (their sha256), each is a
  readable Parquet file, and its rows, in all and per report, are as many as
  the manifest says;
- every figure's and place's offsets point at its text (``raw[start:end] == text``),
  every figure lies inside its sentence and every article inside its report;
- the figures, places and articles rows of each report are exactly those its
  report gives when extracted again (values, units, dates, division codes,
  titles…; no row deleted, added or duplicated), so a table edited and its
  sha256 updated in the manifest is still caught;
- every number a published story cites in its ledger (the ``<table class="ledger">``
  of each HTML page under ``site/``) is a row of the figures table with the same
  text, value and offsets, or a fact of the context table with the same value;
- every number the story's prose prints just before a citation marker
  (``90个村[3]``) is a number of the ledger entries that marker cites.
Each failure is one ``FAIL`` line, never a traceback; the exit status is 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from xining_data.base.errors import ReportError
from xining_data.base.files import sha256_file, sha256_text
from xining_data.base.paths import CONTEXT_DIR, SITE_DIR
from xining_data.corpus.build import (
    DEFAULT_OUT,
    ERRORS,
    MANIFEST,
    TABLES,
    content_key,
    library_hash,
    report_tables,
)
from xining_data.corpus.corrections import Corrections, read_corrections
from xining_data.read.report import Report, parse_report, report_paths
from xining_data.read.sidecar import read_sidecar

T = TypeVar("T")

SHOWN_FAILURES = 100
# The columns each check reads (a 10,000-report build need not be loaded whole).
CHECKED = {
    "articles": ["report", "order", "start", "end"],
    "figures": ["report", "start", "end", "text", "value", "sentence_start", "sentence_end"],
    "places": ["report", "start", "end", "text"],
    "reports": ["report", "text_sha256"],
    "texts": ["report", "text", "text_sha256"],
}
LEDGER_CLASS = "ledger"
# The tables compared row by row with a fresh extraction, and the columns naming a row.
REEXTRACTED = {"figures": ("start", "end"), "places": ("start", "end"), "articles": ("order",)}


@dataclass
class Verification:
    """What was checked, what failed, and what could not be checked."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.checked.items())
        verdict = f"{len(self.failures)} failed" if self.failures else "all good"
        return f"verify: checked {counts or 'nothing'}: {verdict}"


# --- the manifest --------------------------------------------------------------------------

# What a well-formed manifest holds: each key and the type of its value.
_INPUT_FIELDS = {"path": str, "report": str, "sha256": str, "size": int, "status": str}
_TABLE_FIELDS = {"sha256": str, "rows": int}


def read_checked_manifest(data_dir: Path, v: Verification) -> dict | None:
    """The build manifest, or None after a FAIL line saying why it cannot be used."""
    path = data_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        v.fail(f"{path}: no build manifest (run python -m xining_data build)")
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        v.fail(f"{path}: unreadable build manifest ({_first_line(exc)})")
        return None
    if problem := _manifest_problem(manifest):
        v.fail(f"{path}: malformed build manifest: {problem}")
        return None
    return manifest


def _manifest_problem(manifest: object) -> str:
    """What makes the manifest unusable ('' when it is well formed)."""
    if not isinstance(manifest, dict):
        return "not a JSON object"
    inputs, tables = manifest.get("inputs"), manifest.get("tables")
    if not isinstance(inputs, list) or not isinstance(tables, dict):
        return "no list of inputs or no tables"
    for n, entry in enumerate(inputs):
        if problem := _fields_problem(entry, _INPUT_FIELDS):
            return f"input {n}: {problem}"
        if entry["status"] == "ok" and not isinstance(entry.get("rows"), dict):
            return f"input {n}: no rows per table"
    for name, entry in tables.items():
        if problem := _fields_problem(entry, _TABLE_FIELDS):
            return f"table {name}: {problem}"
    if not isinstance(manifest.get("library", {}), dict):
        return "library is not an object"
    return ""


def _fields_problem(entry: object, fields: dict[str, type]) -> str:
    if not isinstance(entry, dict):
        return "not an object"
    for key, kind in fields.items():
        if not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool):
            return f"{key} missing or not {kind.__name__}"
    return ""


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


# --- inputs and tables ---------------------------------------------------------------------


def _check_inputs(manifest: dict, v: Verification) -> dict[str, tuple[Report, Corrections]]:
    """Hashes against the manifest; returns report id -> the report read again and its
    corrections, for the inputs that still match and were built."""
    good: dict[str, tuple[Report, Corrections]] = {}
    listed = set()
    corpus = Path(str(manifest.get("corpus", "")))
    sidecars = _folder_table(read_sidecar, corpus, v)
    corrections = _folder_table(read_corrections, corpus, v)
    for entry in manifest["inputs"]:
        path = Path(entry["path"])
        listed.add(path.resolve())
        v.count("inputs")
        try:
            data = path.read_bytes()
        except OSError:
            v.fail(f"{path}: input of the build is gone")
            continue
        sidecar = tuple(sorted((sidecars.get(path.name) or {}).items()))
        sha = content_key(data, sidecar, corrections.get(path.name, ()))
        if sha != entry["sha256"] or len(data) != entry["size"]:
            v.fail(
                f"{path}: changed since the build "
                f"(sha256 {sha[:12]}, manifest {entry['sha256'][:12]})"
            )
            continue
        if entry["status"] != "ok":
            continue
        try:
            parsed = parse_report(data, path, sidecar=sidecars.get(path.name))
            good[entry["report"]] = (parsed, corrections.get(path.name, ()))
        except ReportError as exc:
            v.fail(f"{path}: built, but cannot be read again: {exc}")
    if corpus.is_dir():
        for path in report_paths(corpus):
            if path.resolve() not in listed:
                v.fail(f"{path}: report not in the build (run python -m xining_data build)")
    failed = manifest.get("reports", {}).get("failed", 0)
    if failed:
        v.notes.append(f"{failed} input(s) failed at build time: see {ERRORS}")
    return good


def _folder_table(
    read: Callable[[Path], dict[str, T]], corpus: Path, v: Verification
) -> dict[str, T]:
    """A table beside the reports, as the build read it: ``reports.csv`` or ``corrections.csv``
    (their rows are part of each report's hash); an unreadable one is a failure."""
    try:
        return read(corpus) if corpus.is_dir() else {}
    except ReportError as exc:
        v.fail(str(exc))
        return {}


def _load_tables(data_dir: Path, manifest: dict, v: Verification) -> dict[str, pd.DataFrame]:
    """Each table the manifest lists, checked against its sha256 and row count; a table that
    cannot be read is a failure, not a traceback."""
    tables = {}
    for name in TABLES:
        recorded = manifest["tables"].get(name)
        path = data_dir / f"{name}.parquet"
        if recorded is None or not path.is_file():
            v.fail(f"{path}: table missing")
            continue
        v.count("tables")
        if sha256_file(path) != recorded["sha256"]:
            v.fail(f"{path}: table changed since the build (sha256 differs from the manifest)")
        try:
            rows = pq.read_metadata(path).num_rows
            present = set(pq.read_schema(path).names)
            columns = None if name in REEXTRACTED else [c for c in CHECKED[name] if c in present]
            table = pd.read_parquet(path, columns=columns)
        except Exception as exc:  # noqa: BLE001 - any corrupt file: one line
            v.fail(f"{path}: not a readable Parquet table ({_first_line(exc)})")
            continue
        if rows != recorded["rows"]:
            v.fail(f"{path}: {rows} rows, the manifest says {recorded['rows']}")
        if missing := [c for c in CHECKED[name] if c not in table.columns]:
            v.fail(f"{path}: no column {', '.join(missing)}")
            continue
        tables[name] = table
    return tables


def _check_row_counts(tables: dict[str, pd.DataFrame], manifest: dict, v: Verification) -> None:
    """Rows per report and table, as the manifest recorded them at build time."""
    counts = {
        name: df["report"].value_counts().to_dict() if "report" in df else {}
        for name, df in tables.items()
    }
    for entry in manifest["inputs"]:
        if entry["status"] != "ok":
            continue
        for name, n in counts.items():
            recorded = entry["rows"].get(name)
            if recorded is not None and n.get(entry["report"], 0) != recorded:
                v.fail(
                    f"{entry['report']}: {n.get(entry['report'], 0)} {name} rows, "
                    f"the manifest says {recorded}"
                )


def _spans(df: pd.DataFrame, name: str, report: str, raw: str, v: Verification) -> None:
    """raw[start:end] == text for each row; figures inside their sentences."""
    if df.empty or not {"start", "end", "text"} <= set(df.columns):
        return
    has_sentence = {"sentence_start", "sentence_end"} <= set(df.columns)
    for row in df.itertuples(index=False):
        v.count(name)
        start, end = int(row.start), int(row.end)
        found = raw[start:end]
        if found != row.text:
            v.fail(f"{report} {name} {start}-{end}: raw text is {found!r}, table says {row.text!r}")
        elif has_sentence and not row.sentence_start <= start < end <= row.sentence_end:
            v.fail(
                f"{report} {name} {start}-{end} {row.text!r}: outside its sentence "
                f"{row.sentence_start}-{row.sentence_end}"
            )


def _articles(df: pd.DataFrame, report: str, raw: str, v: Verification) -> None:
    for row in df.itertuples(index=False):
        v.count("articles")
        if not 0 <= row.start < row.end <= len(raw):
            v.fail(
                f"{report} article {row.order}: offsets {row.start}-{row.end} outside the report"
            )


def _text(df: pd.DataFrame, report: str, raw: str, v: Verification) -> None:
    """The kept text is the text extracted again from the source, and its sha256 holds."""
    v.count("texts")
    row = df.iloc[0]
    if row["text"] != raw:
        v.fail(f"{report}: the kept text differs from the text extracted again from the source")
    elif row["text_sha256"] != sha256_text(raw):
        v.fail(f"{report}: the kept text's sha256 is wrong")


def _check_reports(
    tables: dict[str, pd.DataFrame],
    good: dict[str, tuple[Report, Corrections]],
    manifest: dict,
    v: Verification,
    reextract: bool,
) -> None:
    """Offsets of every row against its report's text, and (``reextract``) the rows against
    those the report gives when extracted again (reports whose hash still matches)."""
    known = {entry["report"] for entry in manifest["inputs"]}
    failed = {entry["report"] for entry in manifest["inputs"] if entry["status"] != "ok"}
    groups = {
        name: dict(tuple(df.groupby("report", sort=False))) if "report" in df else {}
        for name, df in tables.items()
    }
    for name, by_report in groups.items():
        for report in sorted(by_report.keys() - known):
            v.fail(f"{report}: {name} rows of a report that is not in the build manifest")
        for report in sorted(by_report.keys() & failed):
            v.fail(f"{report}: {name} rows of a report that failed at build time")
    for report, (parsed, corrections) in good.items():
        raw = parsed.text
        if report in groups.get("texts", {}):
            _text(groups["texts"][report], report, raw, v)
        if report in groups.get("articles", {}):
            _articles(groups["articles"][report], report, raw, v)
        for name in ("figures", "places"):
            if report in groups.get(name, {}):
                _spans(groups[name][report], name, report, raw, v)
        if reextract:
            _compare_with_extraction(parsed, corrections, report, groups, v)


def _compare_with_extraction(
    parsed: Report,
    corrections: Corrections,
    report: str,
    groups: dict[str, dict[str, pd.DataFrame]],
    v: Verification,
) -> None:
    """The report's rows of each re-extracted table against a fresh extraction of the report,
    with the same corrections applied."""
    try:
        fresh = report_tables(parsed, corrections=corrections)
    except Exception as exc:  # noqa: BLE001 - a library bug on this report: one line
        v.fail(f"{report}: cannot be extracted again ({type(exc).__name__}: {_first_line(exc)})")
        return
    for name, key in REEXTRACTED.items():
        if name not in groups:
            continue  # the table itself failed (missing or unreadable)
        expected = fresh[name].assign(report=report)
        stored = groups[name].get(report, pd.DataFrame(columns=expected.columns))
        v.count(f"{name} re-extracted", len(expected))
        if missing := [c for c in expected.columns if c not in stored.columns]:
            v.fail(f"{report} {name}: no column {', '.join(missing)}")
            continue
        _compare_rows(expected, stored, name, report, key, v)


def _compare_rows(
    expected: pd.DataFrame,
    stored: pd.DataFrame,
    name: str,
    report: str,
    key: tuple[str, ...],
    v: Verification,
) -> None:
    """Rows missing from the table, rows the extraction does not give, and rows whose key
    matches but whose values differ (named column by column)."""
    columns = list(expected.columns)
    want = Counter(_row_cells(expected, columns))
    have = Counter(_row_cells(stored, columns))
    missing, extra = list((want - have).elements()), list((have - want).elements())
    at = [columns.index(k) for k in key]
    label = columns.index("text") if "text" in columns else columns.index("title")
    for row in missing:
        where = " ".join(row[i] for i in at)
        pair = next((e for e in extra if [e[i] for i in at] == [row[i] for i in at]), None)
        if pair is None:
            v.fail(f"{report} {name} {where} {row[label]!r}: missing from the table")
            continue
        extra.remove(pair)
        changes = "; ".join(
            f"{c} is {pair[i]!r} in the table, re-extraction gives {row[i]!r}"
            for i, c in enumerate(columns)
            if pair[i] != row[i]
        )
        v.fail(f"{report} {name} {where} {row[label]!r}: {changes}")
    for row in extra:
        where = " ".join(row[i] for i in at)
        v.fail(
            f"{report} {name} {where} {row[label]!r}: not given by re-extraction"
            " (a row added or duplicated)"
        )


def _row_cells(df: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    """Each row as text cells, so that a table read back from Parquet compares equal to the
    frame it was written from (missing values, integer floats, numpy scalars)."""
    return [tuple(_cell(x) for x in row) for row in df[columns].itertuples(index=False)]


def _cell(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    return str(value)


# --- the published stories -----------------------------------------------------------------


class _LedgerParser(HTMLParser):
    """Rows of every ``<table class="ledger">`` as dicts keyed by the header cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self._in_ledger = False
        self._header: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._fixed: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table" and LEDGER_CLASS in (dict(attrs).get("class") or "").split():
            self._in_ledger, self._header = True, []
        elif self._in_ledger and tag == "tr":
            self._row = []
        elif self._in_ledger and tag in ("td", "th") and self._row is not None:
            value = dict(attrs).get("data-value")  # the value of a cell that shows words
            self._cell, self._fixed = [], value

    def handle_endtag(self, tag: str) -> None:
        if not self._in_ledger:
            return
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = "".join(self._cell).strip() if self._fixed is None else self._fixed
            self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._header:
                self._header = self._row
            else:
                self.rows.append(dict(zip(self._header, self._row, strict=False)))
            self._row = None
        elif tag == "table":
            self._in_ledger = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _column_names() -> dict[str, str]:
    """Ledger header cell (in any edition's language) -> the ledger's column name."""
    from xining_data.stories.ledger import LEDGER_COLUMNS, LEDGER_HEADERS

    names = {c: c for c in LEDGER_COLUMNS}
    for headers in LEDGER_HEADERS.values():
        names.update(zip(headers, LEDGER_COLUMNS, strict=True))
    return names


def ledger_rows(html: str) -> list[dict[str, str]]:
    """The ledger entries cited in a published story, keyed by the ledger's column names."""
    parser = _LedgerParser()
    parser.feed(html)
    names = _column_names()
    return [{names.get(k, k): value for k, value in row.items()} for row in parser.rows]


def _same_number(a: object, b: object) -> bool:
    try:
        return Decimal(str(a).replace(",", "")) == Decimal(str(b).replace(",", ""))
    except InvalidOperation:
        return str(a).strip() == str(b).strip()


def context_facts() -> pd.DataFrame:
    """The cited context facts (every CSV of the context folder with fact and value columns)."""
    frames = [pd.read_csv(p, dtype=str) for p in sorted(CONTEXT_DIR.glob("*.csv"))]
    frames = [f for f in frames if {"fact", "value"} <= set(f.columns)]
    return (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["fact", "value"])
    )


def _check_entry(
    entry: dict[str, str], where: str, figures: pd.DataFrame, facts: pd.DataFrame, v: Verification
) -> None:
    v.count("ledger entries")
    if entry.get("source", "report") != "report":
        rows = facts[facts["fact"] == entry.get("subject")]
        if not any(_same_number(entry.get("value"), value) for value in rows["value"]):
            v.fail(
                f"{where}: context fact {entry.get('subject')!r} = {entry.get('value')} "
                "is not in the context table"
            )
        return
    try:
        start, end = int(entry["start"]), int(entry["end"])
    except (KeyError, ValueError):
        v.fail(f"{where}: ledger entry without offsets: {entry}")
        return
    match = (
        figures[
            (figures["report"] == entry.get("report"))
            & (figures["start"] == start)
            & (figures["end"] == end)
        ]
        if not figures.empty
        else figures
    )
    label = f"{where}: {entry.get('report')} {start}-{end} {entry.get('text')!r}"
    if match.empty:
        v.fail(f"{label} is not in the figures table")
    elif not (match["text"] == entry.get("text")).any():
        v.fail(f"{label}: the figures table has {match['text'].iloc[0]!r}")
    elif entry.get("value") and not any(_same_number(entry["value"], x) for x in match["value"]):
        v.fail(f"{label}: value {entry['value']} differs from the table's {match['value'].iloc[0]}")


# --- numbers in the prose ------------------------------------------------------------------

# A number as a story prints it: 2467965, 51,000, 27.4, 5.1万, 16.4亿, 5.1 million.
PROSE_NUMBER = re.compile(
    r"(?<![\d.,])(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(万|亿|million|billion))?"
)
_SCALE = {"万": 10**4, "亿": 10**8, "million": 10**6, "billion": 10**9}
# Where a clause ends: the numbers before a marker are looked for in its clause only.
CLAUSE_END = re.compile(r"[。；;！？!?，：:]|[,.](?=\s)")
_MARKER = re.compile(r"#ledger-(\d+)$")
_BLOCKS = {"p", "li", "ul", "ol", "div", "section", "article", "header", "footer", "figure",
           "figcaption", "blockquote", "table", "tr", "td", "th", "caption", "br",
           "h1", "h2", "h3", "h4", "h5", "h6"}  # fmt: skip


@dataclass(frozen=True)
class ProseCitation:
    """Citation markers in a story's prose and the numbers printed just before them."""

    clause: str  # the clause the markers end
    numbers: tuple[str, ...]  # the last numbers of the clause, one per marker at most
    cited: tuple[str, ...]  # the ledger numbers the markers point at


class _ProseParser(HTMLParser):
    """The page's text outside scripts, styles and the ledger, cut at citation markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.citations: list[ProseCitation] = []
        self._text: list[str] = []
        self._group: list[str] = []
        self._marker: str | None = None
        self._skip: str | None = None  # the tag whose content is skipped
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if self._skip:
            self._depth += tag == self._skip
            return
        ledger = tag == "table" and LEDGER_CLASS in (attributes.get("class") or "").split()
        if tag in ("script", "style", "svg") or ledger:
            self._end_clause()
            self._skip, self._depth = tag, 1
        elif tag == "a" and (match := _MARKER.search(attributes.get("href") or "")):
            self._marker = match.group(1)
        elif tag in _BLOCKS:
            self._end_clause()

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._depth -= tag == self._skip
            if not self._depth:
                self._skip = None
            return
        if tag == "a" and self._marker is not None:
            self._group.append(self._marker)
            self._marker = None
        elif tag in _BLOCKS:
            self._end_clause()

    def handle_data(self, data: str) -> None:
        if self._skip or self._marker is not None:
            return
        if self._group and data.strip():
            self._end_group()
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._end_clause()

    def _end_group(self) -> None:
        """The markers just read cite the numbers at the end of the clause before them."""
        text = "".join(self._text)
        clause = CLAUSE_END.split(text)[-1]
        numbers = [m.group(0) for m in PROSE_NUMBER.finditer(clause)]
        kept = tuple(numbers[-len(self._group) :]) if numbers else ()
        self.citations.append(ProseCitation(clause.strip(), kept, tuple(self._group)))
        self._text, self._group = [], []

    def _end_clause(self) -> None:
        if self._group:
            self._end_group()
        self._text = []


def prose_citations(html: str) -> list[ProseCitation]:
    """Every group of citation markers in a page's prose, with the numbers just before it."""
    parser = _ProseParser()
    parser.feed(html)
    parser.close()
    return parser.citations


def prose_value(number: str) -> Decimal:
    """The value of a number as printed: '5.1万' -> 51000, '51,000' -> 51000."""
    match = PROSE_NUMBER.fullmatch(number.strip())
    if match is None:
        raise ValueError(f"not a printed number: {number!r}")
    sign, whole, fraction, scale = match.groups()
    value = Decimal(whole.replace(",", "") + (fraction or ""))
    return (-value if sign else value) * _SCALE.get(scale or "", 1)


def _entry_values(
    entry: dict[str, str], figures: pd.DataFrame, facts: pd.DataFrame
) -> set[Decimal]:
    """Every number a ledger entry stands for: its value, the figure row's bounds, the parts
    of its date, the numbers printed in its text, and a context fact's values and years."""
    cells: list[object] = [entry.get("value"), *re.findall(r"\d+", entry.get("date") or "")]
    cells += [m.group(0) for m in PROSE_NUMBER.finditer(entry.get("text") or "")]
    if entry.get("source", "report") != "report":
        for column in ("value", "year"):
            for cell in facts.loc[facts["fact"] == entry.get("subject"), column].dropna():
                cells += [m.group(0) for m in PROSE_NUMBER.finditer(str(cell))]
    if not figures.empty and entry.get("source", "report") == "report":
        with contextlib.suppress(KeyError, ValueError):
            rows = figures[
                (figures["report"] == entry.get("report"))
                & (figures["start"] == int(entry["start"]))
                & (figures["end"] == int(entry["end"]))
            ]
            for column in ("value", "value_min", "value_max"):
                cells += list(rows[column]) if column in rows else []
    values = set()
    for cell in cells:
        with contextlib.suppress(InvalidOperation, ValueError, TypeError):
            text = str(cell).replace(",", "").strip()
            values.add(prose_value(text) if PROSE_NUMBER.fullmatch(text) else Decimal(text))
    return values


def _totals(cited: list[dict[str, str] | None]) -> set[Decimal]:
    """A number computed from several cited figures that the prose may print before them: their
    total (67家 and 167家 cited together allow 234)."""
    values = []
    for entry in cited:
        with contextlib.suppress(InvalidOperation, ValueError, TypeError, AttributeError):
            values.append(Decimal(str(entry["value"]).replace(",", "")))
    return {sum(values)} if len(values) > 1 else set()


def _check_prose(
    html: str,
    entries: list[dict[str, str]],
    page: str,
    tables: tuple[pd.DataFrame, pd.DataFrame],
    v: Verification,
) -> None:
    """Each number printed just before a citation marker is a number of the entries it cites."""
    by_number = {entry.get("number"): entry for entry in entries}
    for citation in prose_citations(html):
        cited = [by_number.get(n) for n in citation.cited]
        if unknown := [n for n, e in zip(citation.cited, cited, strict=True) if e is None]:
            v.fail(f"{page}: the prose cites [{', '.join(unknown)}], which the ledger lacks")
            continue
        allowed = set().union(*(_entry_values(e, *tables) for e in cited if e is not None))
        allowed |= _totals(cited)
        for number in citation.numbers:
            v.count("numbers in the prose")
            if prose_value(number) not in allowed:
                marks = "".join(f"[{n}]" for n in citation.cited)
                v.fail(
                    f"{page}: the prose says {number} before {marks} "
                    f"({citation.clause[-40:]!r}), the ledger gives "
                    f"{', '.join(sorted({str(e.get('value')) for e in cited if e}))}"
                )


def _check_site(site_dir: Path, figures: pd.DataFrame | None, v: Verification) -> None:
    pages = sorted(site_dir.rglob("*.html")) if site_dir.is_dir() else []
    if not pages:
        v.notes.append("no published site: skipped")
        return
    figures = figures if figures is not None else pd.DataFrame()
    facts = context_facts()
    stories = 0
    for page in pages:
        html = page.read_text(encoding="utf-8", errors="replace")
        rows = ledger_rows(html)
        if not rows:
            continue
        stories += 1
        for entry in rows:
            where = f"{page.relative_to(site_dir)} [{entry.get('number', '?')}]"
            _check_entry(entry, where, figures, facts, v)
        _check_prose(html, rows, str(page.relative_to(site_dir)), (figures, facts), v)
    v.count("stories", stories)
    if not stories:
        v.notes.append(f"no story ledgers under {site_dir}: skipped")


# --- the whole check -----------------------------------------------------------------------


def verify(data_dir: str | Path | None = None, site_dir: str | Path | None = None) -> Verification:
    """Check a build (and the published site, if any) against the raw reports."""
    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_OUT
    site_dir = Path(site_dir) if site_dir is not None else SITE_DIR
    v = Verification()
    manifest = read_checked_manifest(data_dir, v)
    if manifest is None:
        _check_site(site_dir, None, v)
        return v
    built_with = str(manifest.get("library", {}).get("hash", ""))
    same_library = built_with == library_hash()
    if not same_library:
        v.fail(
            f"{data_dir / MANIFEST}: the tables were built by library {built_with[:12]!r}, the "
            f"library is now {library_hash()[:12]}: their rows cannot be extracted again to "
            "compare; rebuild (make data) to refresh them"
        )
    good = _check_inputs(manifest, v)
    tables = _load_tables(data_dir, manifest, v)
    _check_row_counts(tables, manifest, v)
    _check_reports(tables, good, manifest, v, reextract=same_library)
    _check_site(site_dir, tables.get("figures"), v)
    return v


def _print(lines: Iterable[str], limit: int) -> None:
    lines = list(lines)
    shown = lines if limit <= 0 else lines[:limit]
    for line in shown:
        print(f"FAIL {line}")
    if len(lines) > len(shown):
        print(f"… and {len(lines) - len(shown)} more failures (--limit 0 shows all)")


def main_verify(argv: list[str]) -> int:
    """``python -m xining_data verify``: 0 when everything matches, 1 when anything failed."""
    ap = argparse.ArgumentParser(
        prog="python -m xining_data verify",
        description="Check the built tables and the published stories against the raw reports.",
    )
    ap.add_argument("--data", metavar="DIR", help="build output (default: build/data)")
    ap.add_argument("--site", metavar="DIR", help="published site (default: site)")
    ap.add_argument(
        "--limit",
        type=int,
        default=SHOWN_FAILURES,
        help=f"failures printed (default {SHOWN_FAILURES}; 0: all)",
    )
    args = ap.parse_args(argv)
    result = verify(args.data, args.site)
    _print(result.failures, args.limit)
    for note in result.notes:
        print(note)
    print(result.summary())
    return 0 if result.ok else 1
