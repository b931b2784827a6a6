"""Tables inside documents: rows as lines of text, and what each number cell stands for.

A communiqué holds its figures in tables ("指标 | 单位 | 数值 | 比上年增长%"). A reader
(:mod:`.webpage`, :mod:`.word`, :mod:`.pdf`) hands each table here as rows of cell
texts; the table becomes lines of the report's text, one row a line with its cells
joined by `` | ``, so every cell has offsets. Beside the text the table's reading is
kept as :class:`TableCell` records, one per cell that holds a number: its row's
indicator (the row-header cell), its column's header, its unit and its role.

- Header rows are the rows the format marks as header (HTML ``<th>`` rows, Word's "repeat
  as header row"), and at least every row above the first row that holds a number; a form's
  column-number row (栏次: 甲 | 乙 | 1 | 2 | 3=1+2) is header, never data. A header row of one
  cell such as "单位：亿元" (or such a line just above the table) gives the table's unit.
- A column's role comes from its header, by the words of ``data/vocab/table_headers.csv``:
  the row-header column (指标, 项目), the unit column (单位), a change (比上年增长, 增速:
  a percent unless the header names a unit), a share (占比, 比重); any other column
  holds levels.
- A level's unit is the row's unit cell, else a unit in brackets after the row header
  (常住人口（万人）), else one in its column's header (数值(万元), 增长(%)), else the table's.
- A cell is a number when, footnote marks (①, *, ※, †, superscript digits) aside, it is
  digits with an optional sign, thousands commas and decimals; empty cells, "—", "-" and
  words hold no figure. A table of one column or without a number is layout, not data,
  and is only text.

Which words make a number a figure (亿元 -> money in yuan) is the extractor's business
(:mod:`xining_data.extract.tablecells`); this module reads structure only.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from xining_data.base.paths import VOCAB_DIR

CELL_SEPARATOR = " | "
ROW_BREAK = "\n"
PARAGRAPH_BREAK = "\n\n"  # as between paragraphs of a plain-text report (read.document)
ROLES = ("label", "unit", "level", "change", "share")
UNIT_CHARS = 5  # a unit cell is short: 亿元, 万人次, 万平方米
FOOTNOTE_MARKS = "①②③④⑤⑥⑦⑧⑨⑩*＊※†‡¹²³⁴⁵⁶⁷⁸⁹⁰"
_NUMBER = re.compile(
    rf"^\s*(?P<number>[-−+]?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[-−+]?\d+(?:\.\d+)?)"
    rf"\s*[{re.escape(FOOTNOTE_MARKS)}]*\s*$"
)
_BRACKET_UNIT = re.compile(r"[（(]\s*(?P<unit>[^()（）\d]{1,8}?)\s*[)）]\s*$")
_PERCENT_HEADER = re.compile(r"[%％]\s*$")
# A statistics form's column-number row (栏次) under its header: 甲 | 乙 | 1 | 2 | 3=1+2.
_COLUMN_MARK = re.compile(r"^\s*(?:[甲乙丙丁戊己]|\d{1,2}(?:\s*[=＝][\d+＋\-－×*/()（）\s]+)?)\s*$")
_TABLE_UNIT = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*(?P<unit>[^\s,，;；、]{1,8})\s*$")
_MARKS = re.compile(rf"[{re.escape(FOOTNOTE_MARKS)}\s]+$")


@dataclass(frozen=True)
class RawTable:
    """A table as a reader finds it: rows of cell texts, ``None`` where a merged cell
    continues (it is written once but keeps its column), and how many rows are marked as
    header (``<th>``), when the format says."""

    rows: tuple[tuple[str | None, ...], ...]
    header_rows: int = 0


@dataclass(frozen=True)
class TableCell:
    """A number in a table and what its row and column say about it (offsets: report text)."""

    start: int  # the number, footnote marks excluded
    end: int
    row: int  # in the table, from 0, header rows included
    column: int
    header: str  # the column's header ("" without)
    label: str  # the row's indicator: its row-header cell without footnote marks or unit
    label_start: int
    label_end: int
    unit: str  # as the table writes it: 亿元, 万人, % ("" when it gives none)
    role: str  # level, change or share
    row_start: int  # the row's line
    row_end: int


@dataclass(frozen=True)
class Table:
    """A table's lines in the report's text and its number cells."""

    start: int
    end: int
    body_start: int  # where the rows below the header begin
    cells: tuple[TableCell, ...]
    labels: tuple[tuple[int, int], ...] = ()  # every row header below the header, numbers or not

    def covers(self, start: int, end: int) -> bool:
        """Is ``[start, end)`` the table's own: in its header, a row header or a number cell?
        (A figure there is the table's to give; words written in a cell are not.)"""
        if self.start <= start < self.body_start:
            return True
        spans = [*self.labels, *((c.start, c.end) for c in self.cells)]
        return any(s < end and start < e for s, e in spans)


@cache
def header_words() -> tuple[tuple[str, str], ...]:
    """(word, role) of ``data/vocab/table_headers.csv``, in its order (first match wins)."""
    with open(VOCAB_DIR / "table_headers.csv", encoding="utf-8", newline="") as f:
        return tuple((r["word"], r["role"]) for r in csv.DictReader(f))


def column_role(header: str) -> str:
    """label, unit, change or share by the header's words; level for any other header."""
    bare = _BRACKET_UNIT.sub("", header).strip().rstrip("%％").strip()
    for word, role in header_words():
        if role == "unit":
            if bare == word or (bare.endswith(word) and len(bare) <= len(word) + 2):
                return role
        elif word in bare:
            return role
    return "level"


def header_unit(header: str) -> str:
    """The unit a header names: 数值(万元) -> 万元, 比上年增长% -> % ('' when none)."""
    if m := _BRACKET_UNIT.search(header):
        return "%" if m["unit"] in ("%", "％") else m["unit"]
    return "%" if _PERCENT_HEADER.search(header) else ""


def table_unit(text: str) -> str:
    """The unit a line such as "单位：亿元" gives a whole table ('' for any other line)."""
    m = _TABLE_UNIT.match(text)
    return m["unit"] if m else ""


def number_span(cell: str) -> tuple[int, int] | None:
    """Where the number of a number cell stands in it, footnote marks excluded; None when the
    cell holds no number (empty, "—", words, a number with a unit written in)."""
    m = _NUMBER.match(cell)
    return m.span("number") if m else None


_CJK = "\u3400-\u9fff\uf900-\ufaff\u2e80-\u2fdf"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def cell_text(cell: str | None) -> str:
    """A cell as one line: a line break inside a cell between two ideographs is dropped (城镇新增
    / 就业 is 城镇新增就业), any other run of whitespace is one space."""
    return " ".join(_CJK_BREAK.sub("", (cell or "").strip()).split())


@dataclass(frozen=True)
class _Layout:
    """The rendered rows: per row, its line's offsets and each cell's (start, text)."""

    lines: tuple[tuple[int, int], ...]
    cells: tuple[dict[int, tuple[int, str]], ...]


def render(table: RawTable, at: int) -> tuple[str, _Layout]:
    """The table's lines (starting at offset ``at``) and where every cell stands."""
    lines, spans, cells, pos = [], [], [], at
    for row in table.rows:
        texts = {c: cell_text(t) for c, t in enumerate(row) if t is not None}
        if not any(texts.values()):
            continue
        line_start, placed, parts = pos, {}, []
        for c, text in texts.items():
            if parts:
                parts.append(CELL_SEPARATOR)
                pos += len(CELL_SEPARATOR)
            placed[c] = (pos, text)
            parts.append(text)
            pos += len(text)
        lines.append("".join(parts))
        spans.append((line_start, pos))
        cells.append(placed)
        pos += len(ROW_BREAK)
    return ROW_BREAK.join(lines), _Layout(tuple(spans), tuple(cells))


def read_table(table: RawTable, at: int, above: str = "") -> tuple[str, Table]:
    """The table's text (placed at offset ``at``) and its reading; ``above`` is the line
    printed just above it (a "单位：亿元" there is the table's unit)."""
    text, layout = render(table, at)
    cells, labels = _cells(layout, table_unit(above), table.header_rows)
    body_start = min((c.row_start for c in cells), default=at + len(text))
    return text, Table(at, at + len(text), body_start, tuple(cells), tuple(labels))


_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*$")


def is_data_table(table: RawTable) -> bool:
    """A table with a number cell under a row's indicator (not a table used for layout)."""
    return bool(read_table(table, 0)[1].cells)


def _is_number_row(row: dict[int, tuple[int, str]]) -> bool:
    """A row holding a number that is no bare year (a header row may read 2023 | 2024) and no
    column number."""
    return not _is_column_numbers(row) and any(
        number_span(t) and not _YEAR.match(t) for _, t in row.values()
    )


def _is_column_numbers(row: dict[int, tuple[int, str]]) -> bool:
    """A form's column-number row (栏次: 甲 | 乙 | 1 | 2 | 3=1+2): part of the header, no data.
    Every filled cell is a mark, and it names a column by 甲/乙 or counts 1, 2, 3 … in order."""
    filled = [t.strip() for _, t in row.values() if t and t.strip()]
    if len(filled) < 2 or not all(_COLUMN_MARK.match(t) for t in filled):
        return False
    numbers = [int(re.match(r"\d+", t)[0]) for t in filled if t[0].isdigit()]
    return len(numbers) < len(filled) or numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    )


def _headers(layout: _Layout, first_data: int) -> tuple[dict[int, str], str]:
    """Column -> header text (the header rows of two cells or more, joined), and the unit a
    one-cell header row gives the whole table."""
    headers: dict[int, str] = {}
    unit = ""
    for row in layout.cells[:first_data]:
        filled = {c: t for c, (_, t) in row.items() if t}
        if _is_column_numbers(row):
            continue
        if len(filled) == 1:
            unit = table_unit(next(iter(filled.values()))) or unit
            continue
        for c, t in filled.items():
            headers[c] = f"{headers[c]} {t}" if c in headers and headers[c] != t else t
    return headers, unit


def _label_column(layout: _Layout, roles: dict[int, str], first_data: int) -> int | None:
    """The row-header column: its header says so, else the first column of words."""
    named = [c for c, r in roles.items() if r == "label"]
    if named:
        return named[0]
    columns = sorted({c for row in layout.cells for c in row})
    for c in columns:
        texts = [row[c][1] for row in layout.cells[first_data:] if c in row and row[c][1]]
        if texts and sum(number_span(t) is None for t in texts) > len(texts) / 2:
            return c
    return None


def _cells(
    layout: _Layout, caption_unit: str, header_rows: int = 0
) -> tuple[list[TableCell], list[tuple[int, int]]]:
    """The number cells of a table with their readings (none for a layout table), and the
    spans of its row headers."""
    rows = layout.cells
    first_data = next((i for i, row in enumerate(rows) if _is_number_row(row)), len(rows))
    first_data = max(first_data, min(header_rows, len(rows)))
    if first_data == len(rows) or max(len(row) for row in rows) < 2:
        return [], []
    headers, unit_row = _headers(layout, first_data)
    table_unit_text = unit_row or caption_unit
    roles = {c: column_role(h) for c, h in headers.items()}
    label_col = _label_column(layout, roles, first_data)
    if label_col is None:
        return [], []
    roles[label_col] = "label"
    unit_cols = [c for c, r in roles.items() if r == "unit"] or _unnamed_units(
        layout, headers, first_data, label_col
    )
    out: list[TableCell] = []
    labels: list[tuple[int, int]] = []
    for r in range(first_data, len(rows)):
        row = rows[r]
        if label_col not in row or not row[label_col][1] or number_span(row[label_col][1]):
            continue
        label_at, label = row[label_col]
        labels.append((label_at, label_at + len(label)))
        label_bare, label_unit = _label(label)
        row_unit = next((row[c][1] for c in unit_cols if c in row and row[c][1]), "") or label_unit
        level_unit = row_unit or table_unit_text
        for c, (start, text) in row.items():
            role = roles.get(c, "level")
            span = number_span(text)
            if role in ("label", "unit") or span is None:
                continue
            unit = _unit(role, header_unit(headers.get(c, "")), level_unit, row_unit)
            out.append(
                TableCell(
                    start + span[0], start + span[1], r, c, headers.get(c, ""), label_bare,
                    label_at, label_at + len(label_bare), unit, role, *layout.lines[r],
                )
            )  # fmt: skip
    return out, labels


def _unnamed_units(
    layout: _Layout, headers: dict[int, str], first_data: int, label_col: int
) -> list[int]:
    """A column without a header (under a header cell spanning two columns, 指标 over the
    row header and its unit) whose cells are all short words: the unit column."""
    found = []
    for c in sorted({c for row in layout.cells[first_data:] for c in row}):
        texts = [row[c][1] for row in layout.cells[first_data:] if c in row and row[c][1]]
        if c == label_col or headers.get(c) or not texts:
            continue
        if all(number_span(t) is None and len(t) <= UNIT_CHARS for t in texts):
            found.append(c)
    return found[:1]


def _label(label: str) -> tuple[str, str]:
    """A row header without its trailing footnote marks and bracketed unit, and that unit."""
    bare = _MARKS.sub("", label)
    unit = ""
    if m := _BRACKET_UNIT.search(bare):
        unit = "%" if m["unit"] in ("%", "％") else m["unit"]
        bare = _MARKS.sub("", bare[: m.start()])
    return bare.rstrip(), unit


def _unit(role: str, from_header: str, level_unit: str, row_unit: str) -> str:
    """A cell's unit by its column's role: a change or share is a percent unless its header
    names a unit; a change of a percent is in percentage points."""
    if role == "level":
        return row_unit or from_header or level_unit
    if from_header and from_header != "%":
        return from_header
    if role == "change" and level_unit == "%":
        return "百分点"
    return "%"


def assembled(blocks: Sequence[str | RawTable]) -> tuple[str, tuple[Table, ...]]:
    """Paragraphs and tables as one text, a blank line between two blocks (as
    :func:`~xining_data.read.document.joined` joins paragraphs), with each table's reading."""
    text, tables = placed(blocks, 0)
    return text + "\n", tables


def placed(blocks: Sequence[str | RawTable], at: int) -> tuple[str, tuple[Table, ...]]:
    """The blocks' text, starting at offset ``at`` of the report, a blank line between two
    (none at the end), and the readings of its tables."""
    parts: list[str] = []
    tables: list[Table] = []
    above = ""
    for block in blocks:
        gap = len(PARAGRAPH_BREAK) if parts else 0
        if isinstance(block, RawTable):
            text, table = read_table(block, at + gap, above.rsplit("\n", 1)[-1])
        else:
            text, table = block, None
        if not text.strip():
            continue
        if parts:
            parts.append(PARAGRAPH_BREAK)
        at += gap + len(text)
        if table is not None and table.cells:
            tables.append(table)
        parts.append(text)
        above = text if table is None else ""
    return "".join(parts), tuple(tables)
