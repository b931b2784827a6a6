"""Word press releases (.docx): body paragraphs and tables in document order.

python-docx reads the paragraphs and tables of the body. A table becomes lines of
text, one row a line with its cells joined by `` | `` (:mod:`.tables`), so its figures
keep offsets, and its number cells are read with their row's indicator and unit. Title
and author come from the file's core properties; a Word file's dates are when it was
written, not published, so none is taken.
"""

from __future__ import annotations

import io
from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.read.document import Extracted
from xining_data.read.tables import RawTable, assembled


def read_word(data: bytes, path: str | Path) -> Extracted:
    """The paragraphs and tables of a .docx file, and its title and author."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zip, XML or package errors: all a broken file
        raise ReportError(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    blocks: list[str | RawTable] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = item.rows
            blocks.append(RawTable(tuple(table_row(r.cells) for r in rows), header_rows(rows)))
        else:
            blocks.append(item.text.strip())
    text, tables = assembled(blocks)
    if not text.strip():
        raise ReportError(path, "empty Word file (no text)")
    props = document.core_properties
    meta = {"title": (props.title or "").strip(), "author": (props.author or "").strip()}
    return Extracted(text, "word", {k: v for k, v in meta.items() if v}, tables=tables)


def header_rows(rows) -> int:
    """How many rows open the table marked "repeat as header row" (``w:tblHeader``): Word's
    own word for a header, so a header with numbers in it (第1季度 | 第2季度) stays a header."""
    from docx.oxml.ns import qn

    count = 0
    for row in rows:
        properties = row._tr.trPr
        flag = None if properties is None else properties.find(qn("w:tblHeader"))
        if flag is None or flag.get(qn("w:val"), "true").lower() in ("0", "false", "off"):
            break
        count += 1
    return count


def table_row(cells) -> tuple[str | None, ...]:
    """One row's cell texts; a merged cell, repeated by python-docx once per grid column it
    spans, is given once (the rest are None, so the columns stay in place)."""
    texts: list[str | None] = []
    previous = None
    for cell in cells:
        texts.append(None if cell._tc is previous else cell.text)
        previous = cell._tc
    return tuple(texts)
