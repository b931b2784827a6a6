"""A document as the library reads it: its text, what the file says about itself, its pages.

The records every format reader (:mod:`.webpage`, :mod:`.pdf`, :mod:`.word`) returns,
kept apart from the dispatch in :mod:`.formats` so that readers and dispatch do not
import each other.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xining_data.read.tables import Table

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
    tables: tuple[Table, ...] = ()  # its tables' number cells and what they stand for


def joined(paragraphs: Sequence[str]) -> str:
    """Paragraphs as a plain-text report holds them: a blank line between two."""
    return PARAGRAPH_BREAK.join(p for p in paragraphs if p.strip()) + "\n"


def page_at(pages: Sequence[PageSpan], offset: int) -> int | None:
    """The page printing the character at ``offset`` (None without pages or between them)."""
    i = bisect_right([p.start for p in pages], offset) - 1
    if i < 0 or offset >= pages[i].end:
        return None
    return pages[i].page
