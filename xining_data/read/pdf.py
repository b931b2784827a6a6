"""PDF reports (work reports, statistics communiqués): the text layer, page by page.

pdfplumber gives each page's text lines from top to bottom. Running heads,
footers and page numbers are page furniture, not the report: a line in the top or
bottom band of its page is dropped when it is a page number ("- 3 -", "第3页",
"3/12") or when, digits aside, it repeats on at least half the pages. A wider gap
than the usual line spacing, an indented first line or a change of type size starts
a paragraph; within one, a line that stops mid-sentence (it runs to its column's right edge or
holds a comma, and ends without sentence-final punctuation) is joined to the next (the
break is the layout's); the breaks left (after a sentence's end, a short line that may
be a heading, a row of cells set without rules) are judged by the repair stage (:mod:`xining_data.read.segment`), as for a printed column. A page printed
in two columns is read column by column: a white strip down the middle that no line of
the body crosses, but for a few spanning both (a title), divides it; the page is cut
across at those lines and each band read left column first. Tables found by
pdfplumber's table finder (ruled cells) are read by :mod:`.tables`. Pages are separated
by a blank line and each keeps its span of offsets, so a figure knows its page.

The text is kept as printed: Kangxi radicals (13971⼈ with U+2F08) are unified
only in the derived view (``Report.normalized``). A PDF whose pages hold no text
is a scan and needs OCR first; an encrypted or broken file is one line of error.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np

from xining_data.base.errors import ReportError
from xining_data.read.document import PARAGRAPH_BREAK, Extracted, PageSpan
from xining_data.read.ideographs import unify_ideographs
from xining_data.read.tables import RawTable, Table, placed

# pdfminer logs what it makes of a damaged file ("Could not get FontBBox …"); with no handler
# Python prints that on stderr, around the one line that names the file. An application that
# sets up logging still sees it.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

MARGIN_SHARE = 0.12  # top and bottom bands of a page where furniture stands
FURNITURE_LINES = 2  # furniture is among the first and last two lines of a page
REPEAT_SHARE = 0.5  # a running head or footer is on at least half the pages
PARAGRAPH_GAP = 1.6  # a gap this many times the usual one starts a paragraph
INDENT_CHARS = 1.5  # a first line indented by this many characters starts a paragraph
GUTTER_SPAN = (0.3, 0.7)  # where between two columns the white strip is looked for
GUTTER_MIN = 6  # points: the strip is wider than a space between two words
SPANNING_LINES = 3  # lines that may cross the strip (titles over both columns)…
SPANNING_SHARE = 0.1  # …or this share of the body's lines, when more
SIDE_SHARE = 0.3  # each column holds text on this share of the body's lines at least
FILL_SHARE = 0.6  # a column's lines cover this share of its width (a median line)
MIN_COLUMN_LINES = 6  # fewer body lines than this: one column
SIZE_CHANGE = 0.5  # points: a line in another type size (a heading) starts a paragraph
BAND_PAD = 0.5  # points around a spanning line, so its characters fall inside its band
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4}|of\s*\d{1,4})?(?:\s*[页頁])?[\s\-—–·•]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SENTENCE_FINAL = "。！？!?；;…"
_CLOSERS = "”’」』）)》"
_CLAUSE = "，、,；;：:"
FULL_LINE_CHARS = 1.5  # a line ending this many characters short of its column's edge is full
WIDE_GAP = 2.0  # characters' widths: a gap this wide inside a line parts two table cells


def read_pdf(data: bytes, path: str | Path) -> Extracted:
    """The text of a PDF's text layer, furniture stripped, with the span of every page and
    the readings of its tables."""
    pages = _page_items(data, path)
    if not any(item.get("text") for items in pages for item in items):
        raise ReportError(path, "no text layer: run OCR first")
    furniture = _furniture(pages)
    parts: list[str] = []
    spans: list[PageSpan] = []
    tables: list[Table] = []
    at = 0
    for number, items in enumerate(pages, start=1):
        body = [x for i, x in enumerate(items) if (number, i) not in furniture]
        if not body:
            continue
        if parts:
            parts.append(PARAGRAPH_BREAK)
            at += len(PARAGRAPH_BREAK)
        page_text, page_tables = placed(_blocks(body), at)
        spans.append(PageSpan(at, at + len(page_text), number))
        parts.append(page_text)
        tables.extend(page_tables)
        at += len(page_text)
    text = "".join(parts) + "\n"
    if not text.strip():
        raise ReportError(path, "no text layer: run OCR first")
    return Extracted(text, "pdf", {}, tuple(spans), tuple(tables))


def _page_items(data: bytes, path: str | Path) -> list[list[dict]]:
    """Each page's text lines (text, top, bottom, x0, left of its column, page height) and
    tables (a ``table`` and its top), in reading order."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [_reading_order(page) for page in pdf.pages]
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a broken file
        causes = (exc, *getattr(exc, "args", ()))  # pdfplumber wraps pdfminer's errors
        if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes):
            raise ReportError(path, "encrypted PDF: cannot read without its password") from None
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None


def _reading_order(page) -> list[dict]:
    """A page's lines and tables in reading order: top to bottom, and on a page printed in
    two columns, the left column before the right one between lines spanning both."""
    try:
        found = page.find_tables()
    except Exception:  # noqa: BLE001 - a table the finder cannot read is read as lines
        found = []
    boxes = [t.bbox for t in found]
    text_page = page.filter(lambda o: not _inside(o, boxes)) if boxes else page
    height = float(page.height)
    gutter, extent = _gutter(text_page, height)
    bands = _bands(text_page, gutter, extent, height)
    items: list[dict] = []
    for band, (y0, y1, spanning) in enumerate(bands):
        sides = [(0.0, float(page.width))] if spanning else [(0.0, gutter), (gutter, page.width)]
        for side, (x0, x1) in enumerate(sides):
            crop = text_page.within_bbox((x0, y0, x1, y1)) if gutter else text_page
            lines = [ln for ln in crop.extract_text_lines(strip=True, return_chars=True)]
            lines = [ln for ln in lines if ln["text"].strip()]
            left = min((ln["x0"] for ln in lines), default=0.0)
            right = max((ln["x1"] for ln in lines), default=0.0)
            for line in lines:
                chars = [c for c in line.pop("chars") if c["text"].strip()]
                size = statistics.median(c["size"] for c in chars) if chars else 0.0
                line |= {"size": size, "left": left, "right": right, "gapped": _gapped(chars)}
                line |= {"height_of_page": height, "key": (band, side, line["top"])}
                items.append(line)
            if not gutter:
                break
    for table, (x0, top, x1, _) in zip(found, boxes, strict=True):
        band = next((i for i, b in enumerate(bands) if b[0] <= top < b[1]), 0)
        side = 1 if gutter and not bands[band][2] and (x0 + x1) / 2 > gutter else 0
        rows = tuple(tuple(row) for row in table.extract())
        items.append({"table": RawTable(rows), "top": top, "key": (band, side, top)})
    return sorted(items, key=lambda x: x["key"])


def _gapped(chars: list[dict]) -> bool:
    """A line with a wide white gap between two characters: cells of a table set without
    rules, not a line of prose."""
    return any(
        b["x0"] - a["x1"] > WIDE_GAP * max(a["size"], 1.0)
        for a, b in zip(chars, chars[1:], strict=False)
    )


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    """Does a character (or any object) stand inside one of the boxes (a table's)?"""
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _gutter(page, height: float) -> tuple[float, tuple[float, float]]:
    """The x of the white strip between two columns of text (0.0 for one column): in the
    middle of the page, no word of the body crosses it but on a few spanning lines, and
    both sides hold text on many lines; and the top and bottom of the columns' text."""
    words = [
        w
        for w in page.extract_words()
        if MARGIN_SHARE * height <= w["top"] and w["bottom"] <= (1 - MARGIN_SHARE) * height
    ]
    rows = {round(w["top"]) for w in words}
    if len(rows) < MIN_COLUMN_LINES:
        return 0.0, (0.0, height)
    width = float(page.width)
    x0, x1 = (np.array([w[k] for w in words]) for k in ("x0", "x1"))
    row = np.array([round(w["top"]) for w in words])
    allowed = max(SPANNING_LINES, SPANNING_SHARE * len(rows))
    best, best_run, run = 0.0, 0.0, 0.0
    for x in range(int(GUTTER_SPAN[0] * width), int(GUTTER_SPAN[1] * width)):
        crossing = len(np.unique(row[(x0 < x) & (x < x1)]))
        run = run + 1 if crossing <= allowed else 0
        if run > best_run:
            best, best_run = x - run / 2, run
    left = [w for w in words if w["x1"] <= best]
    right = [w for w in words if w["x0"] >= best]
    enough = SIDE_SHARE * len(rows)
    sides = [{round(w["top"]) for w in side} for side in (left, right)]
    if best_run < GUTTER_MIN or min(len(side) for side in sides) < enough:
        return 0.0, (0.0, height)
    if not (_filled(left) and _filled(right)):  # labels and numbers of a table without rules
        return 0.0, (0.0, height)
    columns = left + right
    return best, (min(w["top"] for w in columns), max(w["bottom"] for w in columns))


def _filled(words: list[dict]) -> bool:
    """Lines of text fill their column: on most lines, the words cover most of its width (the
    labels or numbers of a table set without rules leave it mostly white)."""
    width = max(w["x1"] for w in words) - min(w["x0"] for w in words)
    ink: dict[int, float] = {}
    for w in words:
        ink[round(w["top"])] = ink.get(round(w["top"]), 0.0) + w["x1"] - w["x0"]
    return statistics.median(ink.values()) >= FILL_SHARE * width


def _spanning(page, gutter: float) -> list[tuple[float, float]]:
    """(top, bottom) of the lines over both columns: a title, a centred page number. A line
    of the page with characters on both sides of the gutter spans it unless the white strip
    runs through it (then it is two columns' lines side by side)."""
    spans: list[tuple[float, float]] = []
    for line in page.extract_text_lines(return_chars=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        left = [c["x1"] for c in chars if c["x1"] <= gutter]
        right = [c["x0"] for c in chars if c["x0"] >= gutter]
        crossing = any(c["x0"] < gutter < c["x1"] for c in chars)
        if crossing or (left and right and min(right) - max(left) < GUTTER_MIN):
            if spans and line["top"] <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], line["bottom"]))
            else:
                spans.append((line["top"], line["bottom"]))
    return spans


def _bands(
    page, gutter: float, extent: tuple[float, float], height: float
) -> list[tuple[float, float, bool]]:
    """The page cut across at spanning lines: (top, bottom, spanning) from top to bottom;
    one band for a page of one column. Above and below the columns' text (``extent``: a
    running head, a page number) the page is one band across."""
    if not gutter:
        return [(0.0, height, True)]
    head, foot = extent[0] - BAND_PAD, extent[1] + BAND_PAD
    bands: list[tuple[float, float, bool]] = [(0.0, head, True)]
    at = head
    for top, bottom in _spanning(page.within_bbox((0, head, page.width, foot)), gutter):
        top, bottom = top - BAND_PAD, bottom + BAND_PAD
        if top > at:
            bands.append((at, top, False))
        bands.append((max(at, top), bottom, True))
        at = bottom
    bands.append((at, foot, False))
    bands.append((foot, height, True))
    return bands


def _in_margin(line: dict) -> bool:
    height = line["height_of_page"]
    return line["top"] < MARGIN_SHARE * height or line["bottom"] > (1 - MARGIN_SHARE) * height


def _furniture(pages: list[list[dict]]) -> set[tuple[int, int]]:
    """(page, line index) of every running head, footer and page number."""
    candidates: list[tuple[int, int, str]] = []
    for number, lines in enumerate(pages, start=1):
        edge = set(range(min(FURNITURE_LINES, len(lines))))
        edge |= set(range(max(0, len(lines) - FURNITURE_LINES), len(lines)))
        for i in sorted(edge):
            if "text" in lines[i] and _in_margin(lines[i]):
                key = _DIGITS.sub("#", unify_ideographs(lines[i]["text"])).replace(" ", "")
                candidates.append((number, i, key))
    repeats = Counter(key for _, _, key in {(n, 0, k) for n, _, k in candidates})
    needed = max(2, REPEAT_SHARE * len(pages))
    return {
        (n, i)
        for n, i, key in candidates
        if _PAGE_NUMBER.match(pages[n - 1][i]["text"]) or repeats[key] >= needed
    }


def _blocks(items: list[dict]) -> list[str | RawTable]:
    """A page's runs of lines (as text) and its tables, in reading order."""
    blocks: list[str | RawTable] = []
    run: list[dict] = []
    for item in items:
        if "table" in item:
            if run:
                blocks.append(_page_text(run))
            blocks.append(item["table"])
            run = []
        else:
            run.append(item)
    if run:
        blocks.append(_page_text(run))
    return blocks


def _page_text(lines: list[dict]) -> str:
    """A run of lines as paragraphs. A line indented from its column's left edge, a wider gap
    than usual (the step up from the foot of one column to the head of the next is no gap)
    or a change of type size starts a paragraph. Within one, a line that stops mid-sentence
    goes on in the next without a break, so a word or figure cut at the line's end (城镇登记
    失业 / 率) is whole; after sentence-final punctuation the break stays, for the repair
    stage to judge."""
    gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:], strict=False)]
    usual = statistics.median(g for g in gaps if g >= 0) if any(g >= 0 for g in gaps) else 0.0
    out = [lines[0]["text"]]
    for before, line, gap in zip(lines[:-1], lines[1:], gaps, strict=True):
        indented = line["x0"] - line["left"] >= INDENT_CHARS * max(line["size"], 1.0)
        resized = abs(line["size"] - before["size"]) > SIZE_CHANGE
        if gap > PARAGRAPH_GAP * usual + 1 or indented or resized:
            out.append(PARAGRAPH_BREAK)
        else:
            out.append(_line_join(before, line["text"]))
        out.append(line["text"])
    return "".join(out)


def _line_join(before: dict, after: str) -> str:
    """What stands between two lines of one paragraph: nothing (or a space between two Latin
    words or numbers) when the first stops mid-sentence, running to its column's right edge
    or holding a comma (a heading or a last line stops short, without one); else a line
    break, for the repair stage to judge, as after a sentence's end or a row of cells."""
    text = before["text"]
    full = before["x1"] >= before["right"] - FULL_LINE_CHARS * max(before["size"], 1.0)
    ends = text.rstrip(_CLOSERS)[-1:] in _SENTENCE_FINAL
    if ends or before["gapped"] or not (full or any(c in _CLAUSE for c in text)):
        return "\n"
    return " " if text[-1:].isascii() and text[-1:].isalnum() and after[:1].isascii() else ""
