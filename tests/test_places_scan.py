"""The place scan's shortcuts find what the plain rules find (issue 14: the places table's speed).

- the gazetteer scan visits only the positions whose two characters can start a word: it finds
  what trying every position, longest word first, finds;
- the paragraphs of a report are scanned in batches joined by line breaks: each paragraph's
  mentions are those it has scanned alone (no rule reaches across a line break);
- a suffix that takes a place (项目, 村) is passed over where no place ends before it: the
  facilities are those every suffix gives;
- a mention's sentence is looked up among its own paragraph's sentences: the same bounds as
  the whole report's list gives, at every offset;
- figures get their places on a shallow copy: the figures table given stays as it was.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xining_data.extract.figures import figures_table
from xining_data.geo.places import (
    _batches,
    _facilities,
    _rejected,
    _scan,
    _Sentences,
    attach_places,
    gazetteer,
)
from xining_data.geo.placewords import place_words
from xining_data.read.report import Report, read_report
from xining_data.read.segment import sentence_bounds_of

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = sorted((FIXTURES / "corpus").glob("*.txt")) + sorted((FIXTURES / "heldout").glob("*.txt"))


def _words() -> list[str]:
    """Place words of every kind and length, the words that are no place, deictic words and
    suffixes: what the scan's rules turn on."""
    gaz, words = gazetteer(), place_words()
    forms = sorted(gaz.forms)
    sample = forms[:: max(1, len(forms) // 300)] + [f for f in forms if len(f) == 2][:80]
    suffixes = words.specific_suffixes + words.generic_suffixes + words.subcounty_suffixes
    return sample + sorted(words.not_places) + sorted(words.deictics) + list(suffixes)


_PIECES = st.sampled_from(_words()) | st.text(
    alphabet="的了在和中心项目工程一二城镇村路街北岸部民居助力“”，。 3", max_size=3
)
_TEXT = st.lists(_PIECES, max_size=20).map("".join)


def _plain_find(text: str) -> list[tuple[int, str]]:
    """The scan's rule without shortcuts: at each position the longest word, unless it runs
    across a word of the language, else a shorter one, else the next position."""
    gaz, out, i = gazetteer(), [], 0
    longest = max(map(len, gaz.words))
    while i < len(text):
        for size in range(longest, 1, -1):
            word = text[i : i + size]
            if len(word) == size and word in gaz.words and not _rejected(text, i, word):
                out.append((i, word))
                i += size
                break
        else:
            i += 1
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_scan_finds_what_every_position_finds(text: str) -> None:
    assert list(gazetteer().find(text, _rejected)) == _plain_find(text)


def _found(text: str, firsts: list[int] | None = None) -> list[tuple]:
    """Each mention of one stretch of text (paragraphs starting at ``firsts``), with its
    parts, as plain values."""

    def values(m) -> tuple:
        return (m.start, m.end, m.form, m.kind, m.level, m.rule, m.candidates)

    mentions = _facilities(text, _scan(text, firsts=firsts or [0]))
    return [(*values(m), [values(p) for p in m.parts]) for m in mentions]


def _shifted(found: list[tuple], by: int) -> list[tuple]:
    def move(v: tuple) -> tuple:
        return (v[0] - by, v[1] - by, *v[2:])

    return [(*move(f[:-1]), [move(p) for p in f[-1]]) for f in found]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT.filter(lambda t: "\n" not in t), min_size=1, max_size=6))
def test_batched_paragraphs_find_what_each_finds_alone(paragraphs: list[str]) -> None:
    views = [(text, range(len(text) + 1), i) for i, text in enumerate(paragraphs)]
    (batch,) = _batches(views)
    found = _found(batch.text, batch.starts)
    for i, text in enumerate(paragraphs):
        start = batch.starts[i]
        mine = [f for f in found if start <= f[0] < start + len(text) + 1]
        assert _shifted(mine, start) == _found(text), text


def _every_suffix_found(text: str) -> list[tuple]:
    """:func:`_found` with every suffix looked at, a place before it or not."""
    with mock.patch("xining_data.geo.places._names_alone", lambda _suffix: True):
        return _found(text)


_FACILITY_TEXT = st.lists(
    _PIECES | st.sampled_from(["新建", "第七", "西关大", "海湖", "城南新", "桥头", "“", "新华"]),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FACILITY_TEXT)
def test_suffixes_without_a_place_before_them_give_what_every_suffix_gives(text: str) -> None:
    assert _found(text) == _every_suffix_found(text)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_facilities_of_a_report_are_those_every_suffix_gives(path: Path) -> None:
    text = read_report(path).text
    assert _found(text) == _every_suffix_found(text)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_sentence_of_a_paragraph_is_the_report_sentence(path: Path) -> None:
    report = read_report(path)
    bounds = sentence_bounds_of(report)
    starts = [s for s, _e in bounds]
    sentences = _Sentences(report)
    for raw in range(len(report.text)):
        i = bisect_right(starts, raw) - 1
        assert sentences.of(raw) == (bounds[i] if i >= 0 else (0, len(report.text))), raw


def test_sentences_given_are_used_as_they_are() -> None:
    report = Report(id="g", text="西宁市。城西区。")
    assert _Sentences(report, [(0, 8)]).of(5) == (0, 8)


def test_attach_places_leaves_the_figures_given_as_they_were() -> None:
    report = read_report(REPORTS[0])
    figures = figures_table(report)
    before = figures.copy()
    placed = attach_places(figures, report)
    placed.loc[placed.index[0], "text"] = "改"
    assert figures.equals(before) and list(figures.columns) == list(before.columns)
    assert {"place", "place_adcode", "place_rule"} <= set(placed.columns)
