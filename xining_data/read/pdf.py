"""PDF reports (work reports, statistics communiqués): the text layer, page by page.

pdfplumber gives each page's text lines from top to bottom. Running heads,
footers and page numbers are page furniture, not the report: a line in the top or
bottom band of its page is dropped when it is a page number ("- 3 -", "第3页",
"3/12") or when, digits aside, it repeats on at least half the pages. A wider gap
than the usual line spacing, or an indented first line, starts a paragraph; the
remaining breaks are the layout's and are rejoined by the repair stage
(:mod:`xining_data.read.segment`), as for a printed column. Pages are separated
by a blank line and each keeps its span of offsets, so a figure knows its page.

The text is kept as printed: Kangxi radicals (13971⼈ with U+2F08) are unified
only in the derived view (``Report.normalized``). A PDF whose pages hold no text
is a scan and needs OCR first; an encrypted or broken file is one line of error.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.read.document import PARAGRAPH_BREAK, Extracted, PageSpan
from xining_data.read.ideographs import unify_ideographs

MARGIN_SHARE = 0.12  # top and bottom bands of a page where furniture stands
FURNITURE_LINES = 2  # furniture is among the first and last two lines of a page
REPEAT_SHARE = 0.5  # a running head or footer is on at least half the pages
PARAGRAPH_GAP = 1.6  # a gap this many times the usual one starts a paragraph
INDENT_CHARS = 1.5  # a first line indented by this many characters starts a paragraph
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4}|of\s*\d{1,4})?(?:\s*[页頁])?[\s\-—–·•]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def read_pdf(data: bytes, path: str | Path) -> Extracted:
    """The text of a PDF's text layer, furniture stripped, with the span of every page."""
    pages = _page_lines(data, path)
    if not any(lines for lines in pages):
        raise ReportError(path, "no text layer: run OCR first")
    furniture = _furniture(pages)
    parts: list[str] = []
    spans: list[PageSpan] = []
    at = 0
    for number, lines in enumerate(pages, start=1):
        body = [ln for i, ln in enumerate(lines) if (number, i) not in furniture]
        if not body:
            continue
        if parts:
            parts.append(PARAGRAPH_BREAK)
            at += len(PARAGRAPH_BREAK)
        page_text = _page_text(body)
        spans.append(PageSpan(at, at + len(page_text), number))
        parts.append(page_text)
        at += len(page_text)
    text = "".join(parts) + "\n"
    if not text.strip():
        raise ReportError(path, "no text layer: run OCR first")
    return Extracted(text, "pdf", {}, tuple(spans))


def _page_lines(data: bytes, path: str | Path) -> list[list[dict]]:
    """Each page's text lines (text, top, bottom, x0, page height), top to bottom."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            for page in pdf.pages:
                lines = page.extract_text_lines(strip=True, return_chars=True)
                for line in lines:
                    line["height_of_page"] = float(page.height)
                    sizes = [c["size"] for c in line.pop("chars") if c["text"].strip()]
                    line["size"] = statistics.median(sizes) if sizes else 0.0
                pages.append([ln for ln in lines if ln["text"].strip()])
            return pages
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a broken file
        causes = (exc, *getattr(exc, "args", ()))  # pdfplumber wraps pdfminer's errors
        if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes):
            raise ReportError(path, "encrypted PDF: cannot read without its password") from None
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None


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
            if _in_margin(lines[i]):
                key = _DIGITS.sub("#", unify_ideographs(lines[i]["text"])).replace(" ", "")
                candidates.append((number, i, key))
    repeats = Counter(key for _, _, key in {(n, 0, k) for n, _, k in candidates})
    needed = max(2, REPEAT_SHARE * len(pages))
    return {
        (n, i)
        for n, i, key in candidates
        if _PAGE_NUMBER.match(pages[n - 1][i]["text"]) or repeats[key] >= needed
    }


def _page_text(lines: list[dict]) -> str:
    """A page's lines: a blank line where a paragraph starts, a line break elsewhere."""
    gaps = [b["top"] - a["bottom"] for a, b in zip(lines, lines[1:], strict=False)]
    usual = statistics.median(g for g in gaps if g >= 0) if any(g >= 0 for g in gaps) else 0.0
    left = min(ln["x0"] for ln in lines)
    out = [lines[0]["text"]]
    for line, gap in zip(lines[1:], gaps, strict=True):
        indented = line["x0"] - left >= INDENT_CHARS * max(line["size"], 1.0)
        new_paragraph = gap > PARAGRAPH_GAP * usual + 1 or indented
        out.append(PARAGRAPH_BREAK if new_paragraph else "\n")
        out.append(line["text"])
    return "".join(out)
