"""Reports as they arrive: saved web pages, PDFs and Word files -> text, metadata and pages.

One module per format (:mod:`.webpage`, :mod:`.pdf`, :mod:`.word`) turns a file's
bytes into an :class:`Extracted`: the text the library reads (offsets index it),
what the file says about itself (title, outlet, author, date and where the date
came from) and, for a PDF, the page of every stretch of text. A format's library is imported only when a file of that
format is read, so plain-text reports start as fast as before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xining_data.base.errors import ReportError

# suffix -> format name
FORMATS = {".html": "webpage", ".htm": "webpage", ".pdf": "pdf", ".docx": "word"}
PARAGRAPH_BREAK = "\n\n"  # how paragraphs are joined, as in a plain-text report

# Where a publication date came from.
DATE_PRINTED = "printed"  # in the text of the page
DATE_METADATA = "metadata"  # the file's own metadata (meta tags, structured data)
DATE_INFERRED = "inferred"  # not given; the year the text writes most (see extract.dates)


@dataclass(frozen=True)
class PageSpan:
    """Text offsets ``[start, end)`` printed on one page (numbered from 1)."""

    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Extracted:
    """A document's text as the library reads it, with what the file says about itself."""

    text: str
    kind: str  # webpage, pdf, word
    meta: Mapping[str, str] = field(default_factory=dict)  # ReportMeta field -> value
    pages: tuple[PageSpan, ...] = ()


def is_document(path: str | Path) -> bool:
    """A file read by one of the format modules (not a plain-text report)."""
    return Path(path).suffix.lower() in FORMATS


def extract(data: bytes, path: str | Path) -> Extracted:
    """The text, metadata and pages of a document file, by its suffix; ReportError if broken."""
    kind = FORMATS.get(Path(path).suffix.lower())
    if not data.strip():
        raise ReportError(path, "empty file")
    if kind == "webpage":
        from xining_data.read.webpage import read_webpage

        return read_webpage(data, path)
    if kind == "pdf":
        from xining_data.read.pdf import read_pdf

        return read_pdf(data, path)
    if kind == "word":
        from xining_data.read.word import read_word

        return read_word(data, path)
    raise ReportError(path, f"not a document format the library reads ({', '.join(FORMATS)})")


def joined(paragraphs: Sequence[str]) -> str:
    """Paragraphs as a plain-text report holds them: a blank line between two."""
    return PARAGRAPH_BREAK.join(p for p in paragraphs if p.strip()) + "\n"


def page_at(pages: Sequence[PageSpan], offset: int) -> int | None:
    """The page printing the character at ``offset`` (None without pages or between them)."""
    i = bisect_right([p.start for p in pages], offset) - 1
    if i < 0 or offset >= pages[i].end:
        return None
    return pages[i].page
