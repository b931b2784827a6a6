"""Terms a foreign reader lacks are explained once on each English page that uses them.

The glossary is data (data/stories/glossary.csv); the box is added at publish time. Cases for
the matching and the box, then every English page of both corpora (the bundled report and
tests/fixtures/corpus): each glossary term the page uses is explained exactly once, and the
box explains no term the page does not use.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from xining_data.publish import glossary as gl
from xining_data.publish import proofread as pr


def test_the_glossary_is_data_with_a_source_each():
    terms = gl.glossary()
    assert {"石榴籽家园", "零工市场", "河长制"} <= {t.term_zh for t in terms}
    assert all(t.term_en and t.explanation_en and t.source for t in terms)
    assert len({t.term_en.lower() for t in terms}) == len(terms)


# (English text, the glossary terms (Chinese) it uses)
TERM_CASES = [
    ('How far do the "pomegranate seed" homes reach?', ["石榴籽家园"]),
    ("Pomegranate-seed community homes: 46", ["石榴籽家园"]),
    ("Xining has 5 gig-work markets and 12 gig-work stations.", ["零工市场", "零工驿站"]),
    ("Gig work and work injuries", []),  # gig work is plain English
    ("The river chiefs of 40 rivers", ["河长制"]),
    ("A pomegranate, seeds and a market", []),
]


@pytest.mark.parametrize(("text", "expected"), TERM_CASES)
def test_terms_are_found_in_any_spelling(text, expected):
    assert [t.term_zh for t in gl.terms_in(text)] == expected


def _cells(*texts: str, ledger: bool = True) -> list:
    cells = [nbformat.v4.new_markdown_cell(t) for t in texts]
    if ledger:
        cell = nbformat.v4.new_code_cell("s.show_ledger()")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"text/html": '<table class="ledger"><tr id="ledger-1">'}
            )
        ]
        cells.append(cell)
    return cells


def test_the_box_comes_before_the_ledger_and_lists_each_term_once():
    cells = gl.with_glossary(
        _cells("Pomegranate seed homes: 46.", "Per resident, pomegranate-seed homes: 2.1.")
    )
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "markdown", "code"]
    box = cells[2].source
    assert box.count("<dt>") == 1 and 'class="glossary"' in box


def test_a_page_without_a_term_gets_no_box():
    cells = _cells("Xining's water: 40 villages.", ledger=False)
    assert gl.with_glossary(cells) == cells


def _box_and_rest(html: str) -> tuple[list[str], str]:
    match = re.search(r'<aside class="glossary">.*?</aside>', html, re.S)
    if not match:
        return [], html
    terms = re.findall(r"<dt>(.*?) <span", match.group(0))
    return terms, html[: match.start()] + html[match.end() :]


@pytest.mark.notebook
def test_every_glossary_term_on_an_english_page_is_explained_once(site):
    problems = []
    for page in sorted(site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        boxed, rest = _box_and_rest(html)
        read = pr.read_page(rest)
        shown = " ".join(p.text for p in read.passages)
        used = [t.term_en for t in gl.terms_in(shown)]
        if read.language != "en":
            used = []
        if sorted(boxed) != sorted(used) or len(set(boxed)) != len(boxed):
            problems.append(f"{page.name}: explains {boxed}, uses {used}")
    assert problems == []


def test_the_house_stylesheet_styles_the_box_and_each_part_of_it():
    """The box is set apart from the story (a ground or a rule), its terms from their
    explanations; every element the box is made of has a rule."""
    from xining_data.publish.pages import TEMPLATE_DIR

    css = (TEMPLATE_DIR / "static" / "story.css").read_text("utf-8")
    box = gl.glossary_box(list(gl.glossary())[:1])
    rules = dict(re.findall(rf"aside\.{gl.BOX_CLASS}\s*([a-z0-9\[\]=\"]*)\s*\{{([^}}]*)\}}", css))
    assert re.search(r"background|border", rules.get("", ""))
    for element in sorted(set(re.findall(r"<([a-z0-9]+)", box)) - {"aside", "span"}):
        assert rules.get(element), element
