"""Word press releases (.docx): body paragraphs and tables in document order.

python-docx reads the paragraphs and tables of the body; each table row becomes
one line with its cells joined by `` | ``, so a table stays readable text and its
figures keep offsets. Title and author come from the file's core properties;
a Word file's dates are when it was written, not published, so none is taken.
"""

from __future__ import annotations

import io
from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.read.document import Extracted, joined

CELL_SEPARATOR = " | "


def read_word(data: bytes, path: str | Path) -> Extracted:
    """The paragraphs and table rows of a .docx file, and its title and author."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zip, XML or package errors: all a broken file
        raise ReportError(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [table_row(row.cells) for row in item.rows]
            blocks.append("\n".join(r for r in rows if r.strip(CELL_SEPARATOR + " ")))
        else:
            blocks.append(item.text.strip())
    if not any(b.strip() for b in blocks):
        raise ReportError(path, "empty Word file (no text)")
    props = document.core_properties
    meta = {"title": (props.title or "").strip(), "author": (props.author or "").strip()}
    return Extracted(joined(blocks), "word", {k: v for k, v in meta.items() if v})


def table_row(cells) -> str:
    """One row of a table as text; a merged cell repeated by python-docx is written once."""
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is previous:  # a horizontally merged cell appears once per grid column
            continue
        previous = cell._tc
        texts.append(" ".join(cell.text.split()))
    return CELL_SEPARATOR.join(texts)
