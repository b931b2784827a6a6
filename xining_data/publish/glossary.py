"""Terms a foreign reader lacks, explained once on the English page that uses them.

The glossary is data (``data/stories/glossary.csv``: term_zh, term_en, explanation_en,
source). :func:`with_glossary` reads what an English page shows and, when it uses a
glossary term (in any spelling: "pomegranate seed", "Pomegranate-seed homes"), adds one box
of the terms it uses, each with its explanation, before the ledger. Matching is on the
English term, hyphen or space and case as they come, a plural allowed.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from xining_data.base.paths import DATA_DIR

GLOSSARY_FILE = DATA_DIR / "stories" / "glossary.csv"
BOX_CLASS = "glossary"
BOX_HEADING = "Terms explained"
_TAG = re.compile(r"<[^>]+>")
_LEDGER_ANCHOR = 'id="ledger-'


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term_zh: str
    term_en: str
    explanation_en: str
    source: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The term as written on a page: words joined by a space or hyphen, any case."""
        words = [re.escape(w) for w in re.split(r"[\s-]+", self.term_en.strip())]
        return re.compile(r"\b" + r"[\s-]+".join(words) + r"s?\b", re.IGNORECASE)


@cache
def glossary() -> tuple[Term, ...]:
    """The glossary's terms, in file order."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as f:
        return tuple(
            Term(r["term_zh"], r["term_en"], r["explanation_en"], r["source"])
            for r in csv.DictReader(f)
        )


def terms_in(text: str) -> list[Term]:
    """The glossary terms ``text`` uses, in glossary order."""
    return [t for t in glossary() if t.pattern.search(text)]


def glossary_box(terms: list[Term]) -> str:
    """The box that explains ``terms``, one entry each (the original in a ``lang="zh"`` span)."""
    entries = "".join(
        f'<dt>{html.escape(t.term_en)} <span lang="zh">{html.escape(t.term_zh)}</span></dt>'
        f"<dd>{html.escape(t.explanation_en)}</dd>"
        for t in terms
    )
    return f'<aside class="{BOX_CLASS}"><h2>{BOX_HEADING}</h2><dl>{entries}</dl></aside>'


def _shown(cell: Any) -> str:
    """The text a cell shows: a markdown cell's source, a code cell's markdown/HTML outputs."""
    if cell.cell_type == "markdown":
        return str(cell.source)
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        parts += [str(data.get(m, "")) for m in ("text/markdown", "text/html")]
    return _TAG.sub(" ", html.unescape(" ".join(parts)))


def with_glossary(cells: list[Any], masthead: str = "") -> list[Any]:
    """The cells of an English page with a glossary box before the ledger (at the end when
    there is none), listing once each term the page uses (in its cells or ``masthead``, the
    text the template shows above them); the cells unchanged when it uses none."""
    import nbformat

    terms = terms_in(" ".join([masthead, *(_shown(c) for c in cells)]))
    if not terms:
        return cells
    box = nbformat.v4.new_markdown_cell(glossary_box(terms))
    ledger = next(
        (
            i
            for i, c in enumerate(cells)
            if c.cell_type == "code" and _LEDGER_ANCHOR in str(c.get("outputs", ""))
        ),
        len(cells),
    )
    return [*cells[:ledger], box, *cells[ledger:]]
