"""Saved news pages (.html, .htm): the article without the page around it, and its metadata.

trafilatura finds the main text (navigation, share links, footers and comments
are dropped) and reads title, outlet (``og:site_name``) and author from the
page's metadata. The publication date comes from htmldate: first from the
metadata alone (``article:published_time``, structured data, ``<time>``), recorded
as ``metadata``; failing that, from the page's printed dateline, a full date after a label
such as 发布时间 (:func:`~xining_data.read.dateline.printed_date`), recorded as ``printed``. A bare year in the text is
no publication date (a review of 2024 names 2024 everywhere), so a page with
neither is left undated and the library infers a year, flagged as inferred.

Data tables of the article (a table with number cells) are kept: each becomes lines of
cells joined by `` | ``, read by :mod:`.tables` (header cells marked ``<th>`` are header
rows); a table used for layout gives the paragraphs of its cells, and one of links or
words alone (a navigation bar) nothing. The text around them is trafilatura's own.
"""

from __future__ import annotations

from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.read.dateline import printed_date
from xining_data.read.document import DATE_METADATA, DATE_PRINTED, Extracted
from xining_data.read.tables import RawTable, assembled, is_data_table

AUTHOR_META = ("author", "article:author", "byline", "dc.creator")


def read_webpage(data: bytes, path: str | Path) -> Extracted:
    """The main text of a saved page, one paragraph per block, and its metadata."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure is a broken page
        raise ReportError(path, f"not a readable web page ({type(exc).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise ReportError(path, "no article text found in the web page")
    published, origin = page_date(data)
    meta = {
        "title": doc.title or "",
        "publisher": doc.sitename or "",
        "author": doc.author or _meta_author(data),
        "url": doc.url or "",
        "published": published,
        "published_from": origin,
    }
    text, tables = assembled(_blocks(doc.body))
    if not text.strip():
        raise ReportError(path, "no article text found in the web page")
    return Extracted(text, "webpage", {k: v for k, v in meta.items() if v}, tables=tables)


BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table"})  # trafilatura's blocks


def _blocks(body) -> list[str | RawTable]:
    """The article's paragraphs (one per line of trafilatura's text) and its data tables, in
    order. A table used for layout (its cells hold paragraphs) gives its paragraphs; one of
    links or words alone (a navigation bar) is page furniture and gives nothing."""
    from copy import deepcopy

    from lxml import etree
    from trafilatura.xml import xmltotxt

    blocks: list[str | RawTable] = []
    run = etree.Element("body")

    def flush() -> None:
        nonlocal run
        if len(run):
            blocks.extend(line.strip() for line in xmltotxt(run, False).split("\n"))
        run = etree.Element("body")

    if (body.text or "").strip():
        blocks.append(body.text.strip())
    for child in body:
        if child.tag != "table":
            run.append(deepcopy(child))
            continue
        flush()
        table = _raw_table(child)
        if is_data_table(table):
            blocks.append(table)
        elif any(c.tag in BLOCK_TAGS for cell in child.iter("cell") for c in cell):
            for cell in _cells_of(child):
                blocks.extend(_blocks(cell))
    flush()
    return blocks


def _cells_of(table) -> list:
    """The cells of a table's own rows (not of tables nested in them), in reading order."""
    return [cell for row in table.findall("row") for cell in row.findall("cell")]


def _raw_table(table) -> RawTable:
    """trafilatura's ``<table><row><cell role="head">`` as rows of cell texts."""
    rows = []
    for row in table.findall("row"):
        rows.append(tuple("".join(cell.itertext()) for cell in row.findall("cell")))
    heads = 0
    for row in table.findall("row"):
        cells = row.findall("cell")
        if not cells or any(c.get("role") != "head" for c in cells):
            break
        heads += 1
    return RawTable(tuple(rows), heads)


def page_date(data: bytes) -> tuple[str, str]:
    """(YYYY-MM-DD, origin) of the page's publication, or ("", "") when it gives none."""
    from htmldate import find_date

    try:
        found = find_date(data, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - an unparsable date is no date
        found = None
    if found:
        return found, DATE_METADATA
    printed = printed_date(_page_text(data), labelled_anywhere=True)
    return (printed, DATE_PRINTED) if printed else ("", "")


def _page_text(data: bytes) -> str:
    """Everything the page prints, byline area included (the main text leaves it out)."""
    from lxml import html

    try:
        return html.fromstring(data).text_content()
    except Exception:  # noqa: BLE001
        return ""


def _meta_author(data: bytes) -> str:
    """The author named in a ``<meta>`` tag (trafilatura skips names it cannot split)."""
    from lxml import html

    try:
        tree = html.fromstring(data)
    except Exception:  # noqa: BLE001
        return ""
    for node in tree.iter("meta"):
        key = (node.get("name") or node.get("property") or "").strip().lower()
        if key in AUTHOR_META and (node.get("content") or "").strip():
            return node.get("content").strip()
    return ""
