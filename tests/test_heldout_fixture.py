"""The held-out corpus (tests/fixtures/heldout): its gold agrees with its reports.

Twelve reports written blind, to measure how the extractor and the geocoder
generalise (see its README). Only the fixture is checked here, never the
library's scores on it: asserting those would invite tuning rules to its strings.
Print the scores with ``.venv/bin/python tests/test_corpus_fixture.py tests/fixtures/heldout``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from xining_data.read.report import read_report

TESTS_DIR = Path(__file__).parent
HELDOUT_DIR = TESTS_DIR / "fixtures" / "heldout"
_spec = importlib.util.spec_from_file_location(
    "heldout_make_gold", TESTS_DIR / "fixtures" / "corpus" / "make_gold.py"
)
make_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_gold)

MANIFEST = make_gold.manifest(HELDOUT_DIR)
BODIES = make_gold.bodies(HELDOUT_DIR)
GOLD_TABLES = ("figures.csv", "places.csv", "articles.csv")


def _rows(table: str) -> list[dict[str, str]]:
    return make_gold.read_rows(HELDOUT_DIR / "gold" / table)


def test_manifest_lists_every_report_file():
    assert sorted(MANIFEST) == sorted(p.name for p in HELDOUT_DIR.glob("*.txt"))


@pytest.mark.parametrize("file", sorted(MANIFEST))
def test_report_decodes_with_its_stated_encoding_to_the_gold_body(file):
    report = read_report(HELDOUT_DIR / file)
    assert report.encoding == MANIFEST[file]["encoding"]
    assert report.text == BODIES[file]


@pytest.mark.parametrize("table", make_gold.OFFSET_TABLES)
def test_every_gold_span_is_the_text_at_its_offsets(table):
    rows = _rows(table)
    assert rows and all(row["start"] for row in rows)
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert BODIES[row["report"]][start:end] == row["span"], row


@pytest.mark.parametrize("table", GOLD_TABLES)
def test_gold_names_only_reports_of_the_manifest(table):
    assert {row["report"] for row in _rows(table)} <= set(MANIFEST)
