"""Reports as they arrive: saved web pages, PDFs and Word files -> text, metadata and pages.

One module per format (:mod:`.webpage`, :mod:`.pdf`, :mod:`.word`) turns a file's
bytes into an :class:`Extracted`: the text the library reads (offsets index it),
what the file says about itself (title, outlet, author, date and where the date
came from) and, for a PDF, the page of every stretch of text (records in
:mod:`.document`). A format's library is imported only when a file of that format
is read, so plain-text reports start as fast as before.
"""

from __future__ import annotations

from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.read.document import Extracted

# suffix -> format name
FORMATS = {".html": "webpage", ".htm": "webpage", ".pdf": "pdf", ".docx": "word"}


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
