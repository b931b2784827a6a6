"""Places on reports the library has never seen: the labelled corpus of tests/fixtures/corpus.

Eight of its eleven reports have no header, so 我市/全市/全省 resolve through the place the text
names most; two are about a township and its villages (大堡子镇, 陶北村, 湟源县城关镇); some
place words stand inside outlets', agencies' and brands' names. The floors are what the place
finder reaches (issue 11): before it, 60 of 104 mentions were found with 9 false positives
of 95 rows.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from xining_data.geo.places import gazetteer, name_parts_table
from xining_data.read.report import read_report

TESTS_DIR = Path(__file__).parent
MIN_FOUND = 104  # of 104 labelled mentions
MAX_FALSE_POSITIVES = 0  # of 104 rows (西宁 of the account name “西宁气象” was one)


def _fixture_module():
    """tests/test_corpus_fixture.py, which scores places under the contract of tests/eval."""
    spec = importlib.util.spec_from_file_location(
        "corpus_fixture_scores", TESTS_DIR / "test_corpus_fixture.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


FIXTURE = _fixture_module()


@pytest.fixture(scope="module")
def scores() -> dict:
    return {file: FIXTURE.score_places_of(file) for file in FIXTURE.FILES}


def test_corpus_places_found_and_precise(scores: dict) -> None:
    found = sum(s.found for s in scores.values())
    mentions = sum(s.mentions for s in scores.values())
    false_positives = sum(s.false_positives for s in scores.values())
    assert mentions == 104
    assert found >= MIN_FOUND, {f: (s.found, s.mentions) for f, s in scores.items()}
    assert false_positives <= MAX_FALSE_POSITIVES, {f: s.false_positives for f, s in scores.items()}


@pytest.mark.parametrize("file", FIXTURE.FILES)
def test_every_report_finds_all_its_mentions(scores: dict, file: str) -> None:
    score = scores[file]
    assert score.found == score.mentions


def test_places_inside_names_are_marked_as_such() -> None:
    """Every place the gold labels as part of a name (西宁市统计局, 三江源牌, “西宁气象”公众号)
    is a row of the name-parts table with its code, and that table marks nothing else. Names
    that are no form of the gazetteer alone (城北 of the masthead 城北新闻) are not looked for."""
    forms = gazetteer().forms
    gold = [row for row in FIXTURE.PLACES if row["role"] == "name" and row["span"] in forms]
    marked = {}
    for file in FIXTURE.FILES:
        report = read_report(FIXTURE.CORPUS_DIR / file, FIXTURE._published(file))
        marked[file] = list(name_parts_table(report).itertuples())
    for row in gold:
        start, end = int(row["start"]), int(row["end"])
        hits = [p for p in marked[row["report"]] if p.start < end and start < p.end]
        assert hits, row
        codes = {c for c in row["adcodes"].split(";") if c}
        assert all(p.adcode in codes for p in hits) if codes else True, (row, hits)
        assert all(p.name_start <= p.start < p.end <= p.name_end for p in hits)
    assert sum(len(rows) for rows in marked.values()) == len(gold)
