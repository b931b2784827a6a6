"""What each figure measures, which indicator it reports, and its reference period.

tests/cases/measures.csv: a sentence, a figure in it and the measure a reader would write
before a colon (empty for dates, ordinals and identifiers). tests/cases/indicators.csv: a
measure phrase with its unit and clause, and the indicator id (empty for negatives).
The reference periods' case table runs in tests/test_periods.py. The seed must score
measure 1.0 with the shared scorer, run in-process.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io

import pandas as pd
import pytest

from xining_data.extract.figures import extract, figures_table, to_csv
from xining_data.extract.indicators import catalogue, indicator
from xining_data.extract.measures import MAX_LENGTH, Lexicon, Spot, sentence_measures, words
from xining_data.read.report import ReportMeta, load

from conftest import CASES_DIR, EVAL_DIR, SEED_PATH

LABELLED = CASES_DIR.parent / "fixtures" / "labelled"
# Reports of our own writing with gold in the scorer's format (plus an indicator column),
# and their publication dates; written before the rules were run on them (see the note in
# each test for what was tuned afterwards).
OWN_REPORTS = {
    "001_own_city_report": "2025-10-15",
    "002_own_county_report": "2025-02-20",
    "003_own_district_report": "2025-03-10",
}

NOT_QUANTITIES = {"date", "ordinal", "identifier"}


def _rows(name: str) -> list[dict[str, str]]:
    with open(CASES_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _params(name: str) -> list:
    return [pytest.param(r, id=r["id"]) for r in _rows(name)]


# ------------------------------------------------------------------ measures


@pytest.mark.parametrize("case", _params("measures.csv"))
def test_measure_case(case):
    figures = extract(case["sentence"], ReportMeta(published="2025").reference_date)
    spots = [Spot(f.start, f.end, f.kind, f.unit) for f in figures]
    measures = sentence_measures(case["sentence"], spots)
    hits = [m for f, m in zip(figures, measures, strict=True) if case["figure"] in f.text]
    assert hits, f"{case['figure']} not found in {[f.text for f in figures]}"
    m = hits[0]
    assert m.text == case["measure"]
    if m.text:
        assert case["sentence"][m.start : m.end] == m.text
        assert len(m.text) <= MAX_LENGTH


def test_measure_cases_are_many_with_negatives():
    rows = _rows("measures.csv")
    assert len(rows) >= 40
    assert sum(1 for r in rows if not r["measure"]) >= 5


# ------------------------------------------------------------------ the seed, scored


@pytest.fixture(scope="module")
def seed_table() -> pd.DataFrame:
    return figures_table(SEED_PATH)


def _score(
    table: pd.DataFrame, tmp_path, gold=EVAL_DIR / "seed_figures_gold.csv", precision: float = 1
) -> tuple[int, str]:
    spec = importlib.util.spec_from_file_location("score_figures", EVAL_DIR / "score_figures.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    predictions = tmp_path / "figures.csv"
    predictions.write_text(to_csv(table), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = scorer.main(
            [str(gold), str(predictions), "--min-recall", "1", "--min-precision", str(precision),
             "--min-measure", "1"]
        )  # fmt: skip
    return code, out.getvalue()


@pytest.mark.parametrize("published", [None, "2025-01-15"])
def test_seed_scores_full_measure(published, tmp_path):
    code, report = _score(figures_table(SEED_PATH, published), tmp_path)
    assert code == 0, report
    assert "measure 1.000" in report


def test_seed_measures_are_raw_spans(seed_table):
    text = load(SEED_PATH).text
    for row in seed_table.itertuples():
        if row.measure:
            assert text[row.measure_start : row.measure_end] == row.measure
        else:
            assert (row.measure_start, row.measure_end) == (-1, -1)
        if row.kind in NOT_QUANTITIES:
            assert row.measure == ""


# ------------------------------------------------------------------ indicators


@pytest.mark.parametrize("case", _params("indicators.csv"))
def test_indicator_case(case):
    assert (
        indicator(case["measure"], case["kind"], case["unit"], case["clause"]) == case["indicator"]
    )


def test_indicator_cases_cover_the_catalogue_and_negatives():
    rows = _rows("indicators.csv")
    named = {r["indicator"] for r in rows}
    assert {i.id for i in catalogue()} <= named
    assert sum(1 for r in rows if not r["indicator"]) >= 10


def test_catalogue_lines_are_complete():
    ids = [i.id for i in catalogue()]
    assert len(ids) == len(set(ids))
    for ind in catalogue():
        assert ind.theme and ind.name_zh and ind.name_en and ind.unit_families and ind.source


def test_seed_indicators(seed_table):
    got = dict(
        zip(seed_table.text + "@" + seed_table.start.astype(str), seed_table.indicator, strict=True)
    )
    assert got["67家@283"] == "pomegranate_homes"
    assert got["10个@1391"] == "gig_markets"
    assert got["5.1万人@3071"] == "rural_water_beneficiaries"
    assert got["40个@3066"] == ""  # villages are not people served


# ------------------------------------------------------------------ reference periods


def test_every_seed_figure_has_a_reference_period(seed_table):
    assert (seed_table.ref_date != "").all()
    assert set(seed_table.ref_source) <= {"clause", "as_of", "published", "inferred"}
    dated = figures_table(SEED_PATH, "2025-01-15")
    assert "inferred" not in set(dated.ref_source)
    row = dated[dated.start == 2051].iloc[0]  # 去年11月，…结算…10.85万元
    assert (row.ref_date, row.ref_source) == ("2024-11", "clause")


@pytest.mark.parametrize("name", sorted(OWN_REPORTS))
def test_own_labelled_reports_score(name, tmp_path):
    """Recall, precision and measure 1.0 (前三季度 is a month range, 上月 a month: dates)."""
    table = figures_table(LABELLED / f"{name}.txt", OWN_REPORTS[name])
    code, report = _score(table, tmp_path, LABELLED / f"{name}_gold.csv")
    assert code == 0, report


def test_own_labelled_reports_indicators():
    right = total = 0
    for name, published in OWN_REPORTS.items():
        table = figures_table(LABELLED / f"{name}.txt", published)
        gold = pd.read_csv(LABELLED / f"{name}_gold.csv", dtype=str, keep_default_na=False)
        for g in gold[(gold.role == "required") & (gold.kind != "date")].itertuples():
            hit = table[(table.start < int(g.end)) & (int(g.start) < table.end)]
            total += 1
            right += int(len(hit) > 0 and hit.iloc[0].indicator == g.indicator)
    assert right / total >= 0.9, f"{right} of {total}"


def test_word_lists_answer_as_their_regular_expressions():
    """A word list answers most positions from its words' first and last characters (issue
    14); at every position of the case sentences it gives what its tries alone give."""
    lists = [v for v in vars(words()).values() if isinstance(v, Lexicon)]
    texts = [r["sentence"] for r in _rows("measures.csv")]
    for lexicon in lists:
        for text in texts:
            for i in range(-1, len(text) + 2):
                m = lexicon.forward.match(text, i, len(text))
                assert lexicon.at(text, i) == (m.group() if m else ""), (text, i)
                r = lexicon.backward.match(text[max(0, i - lexicon.longest) : i][::-1])
                assert lexicon.ending(text, i) == (r.group()[::-1] if r else ""), (text, i)
