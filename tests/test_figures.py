"""Figure extraction: the case table, the seed gold, the table's contract and properties.

tests/cases/figures.csv holds one expectation per row. A positive row names the exact span
of one figure and the fields it must have; an empty cell is not checked and ``-`` means the
field must be empty. A row of kind ``none`` is a negative: no quantity (any kind but ordinal
and identifier) may overlap its span. ``published`` is the reference date (default 2025).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xining_data.base.paths import RAW_DIR, VOCAB_DIR
from xining_data.extract.figures import (
    COLUMNS,
    FIGURES_SCHEMA,
    Figure,
    corpus_figures,
    extract,
    figures_table,
    merged_figures,
    scan,
    to_csv,
    unclassified,
)
from xining_data.extract.vocab import QUALIFIERS, WORD_QUALIFIERS
from xining_data.read.report import Report, ReportMeta

from conftest import CASES_DIR, EVAL_DIR, SEED_PATH

NOT_QUANTITIES = {"ordinal", "identifier"}


def _cases(negative: bool) -> list:
    with open(CASES_DIR / "figures.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [pytest.param(r, id=r["id"]) for r in rows if (r["kind"] == "none") == negative]


def _extract(case: dict) -> list[Figure]:
    meta = ReportMeta(
        published=case["published"] or "2025",
        published_inferred=case["published_inferred"] == "true",
    )
    return extract(
        case["text"],
        meta.reference_date,
        meta.published_inferred,
        reference_precision=meta.published_precision,
    )


def _check(expected: str, got) -> None:
    if expected == "-":
        assert got in (None, ""), f"expected nothing, got {got!r}"
    elif isinstance(got, Decimal) or (got is None and re.fullmatch(r"-?[\d.]+", expected)):
        assert got is not None and got == Decimal(expected), f"expected {expected}, got {got}"
    else:
        assert str(got) == expected, f"expected {expected!r}, got {got!r}"


@pytest.mark.parametrize("case", _cases(negative=False))
def test_figure_case(case):
    figures = _extract(case)
    start = case["text"].index(case["span"])
    end = start + len(case["span"])
    hits = [f for f in figures if (f.start, f.end) == (start, end)]
    assert hits, f"no figure spans {case['span']!r}; got {[(f.text, f.kind) for f in figures]}"
    figure = hits[0]
    assert figure.kind == case["kind"]
    for column in ("value", "value_min", "value_max", "qualifier", "unit", "subject", "date"):
        if case[column]:
            _check(case[column], getattr(figure, column))
    for column in ("period", "as_of"):
        if case[column]:
            _check(case[column], getattr(figure, column))
    if case["date_inferred"]:
        assert figure.date_inferred is (case["date_inferred"] == "true")


@pytest.mark.parametrize("case", _cases(negative=True))
def test_not_a_figure(case):
    start = case["text"].index(case["span"])
    end = start + len(case["span"])
    wrong = [
        (f.text, f.kind)
        for f in _extract(case)
        if f.start < end and start < f.end and f.kind not in NOT_QUANTITIES
    ]
    assert not wrong


def test_case_table_is_large_enough():
    assert len(_cases(negative=False)) >= 80
    assert len(_cases(negative=True)) >= 40


# ------------------------------------------------------------------ the seed report


@pytest.fixture(scope="module")
def seed_table() -> pd.DataFrame:
    return figures_table(SEED_PATH)


def test_seed_scores_full_recall_and_precision(seed_table, tmp_path):
    predictions = tmp_path / "figures.csv"
    predictions.write_text(to_csv(seed_table), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(EVAL_DIR / "score_figures.py"), str(EVAL_DIR / "seed_figures_gold.csv"),
         str(predictions), "--min-recall", "1", "--min-precision", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout
    assert "recall 1.000 precision 1.000" in run.stdout
    assert "qualifier_errors 0" in run.stdout


def test_seed_subjects_match_gold(seed_table):
    gold = pd.read_csv(EVAL_DIR / "seed_figures_gold.csv", dtype=str, keep_default_na=False)
    for g in gold[(gold.role == "required") & (gold.subject != "")].itertuples():
        hits = seed_table[
            (seed_table.start < int(g.end)) & (int(g.start) < seed_table.end)
            & (seed_table.kind == g.kind)
        ]  # fmt: skip
        assert list(hits.subject) == [g.subject], f"{g.span}: {list(hits.subject)}"


def test_seed_relative_dates_are_flagged_inferred(seed_table):
    relative = seed_table[seed_table.text.str.startswith("去年")]
    assert len(relative) == 3 and relative.date_inferred.all()
    assert not seed_table[seed_table.text == "2024年9月25日"].date_inferred.any()


def test_seed_as_of_and_period(seed_table):
    row = seed_table.set_index("text")
    assert row.loc["67家", "as_of"] == "publication"
    assert row.loc["近万场次", "period"] == "per year"


def test_table_contract(seed_table, shared_seed_text):
    assert list(seed_table.columns) == COLUMNS
    FIGURES_SCHEMA.validate(seed_table)
    for row in seed_table.itertuples():
        assert shared_seed_text[row.start : row.end] == row.text
        assert row.sentence_start <= row.start < row.end <= row.sentence_end
    for column in ("value", "value_min", "value_max"):
        values = seed_table[column][seed_table[column] != ""]
        assert not values.str.contains(r"[eE]|\.\d*0$|\.$").any()
    assert seed_table.loc[seed_table.text == "10.85万元", "value"].item() == "108500"
    assert (seed_table.article > 0).all() and (seed_table.place == "").all()


def test_merged_figures_count_mentions(seed_table):
    merged = merged_figures(seed_table)
    villages = merged[(merged.kind == "count") & (merged.subject == "村")]
    people = merged[merged.value == "51000"]
    assert villages.mentions.tolist() == [2] and people.mentions.tolist() == [2]
    assert villages.starts.item() == "2641;3066"
    assert merged.mentions.sum() == len(seed_table)
    assert not merged.duplicated(subset=["theme", "kind", "value", "unit", "subject", "date"]).any()


def test_unclassified_reports_every_numeral(seed_table, shared_seed_text):
    rest = unclassified(SEED_PATH)
    assert set(rest.status) <= {"not a figure", "unclassified"}
    assert {"零工", "千家万户", "一对一", "百度"} <= set(rest[rest.reason == "lexicon"].text)
    covered = set()
    for frame in (seed_table, rest):
        for s, e in zip(frame.start, frame.end, strict=True):
            covered.update(range(s, e))
    numerals = re.finditer(r"[0-9一二三四五六七八九十百千万亿两]", shared_seed_text)
    assert [m.group() for m in numerals if m.start() not in covered] == []


def test_print_column_break_inside_a_figure(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "全市就业\n\n今年，城镇新增就业6.95万\n\n人，超额完成任务。\n", encoding="utf-8"
    )
    table = figures_table(path, published="2025")
    row = table[table.kind == "count"].iloc[0]
    assert row.value == "69500" and row.text == "6.95万\n\n人"
    assert path.read_text(encoding="utf-8")[row.start : row.end] == row.text


def test_relative_dates_need_a_reference():
    figures, rest = scan("去年11月，项目开工。")
    assert not figures
    assert rest[0].reason == "relative date without a reference date"


def test_figure_is_frozen():
    figure = extract("新建5所学校")[0]
    with pytest.raises(AttributeError):
        figure.value = Decimal(6)


def test_corpus_figures_of_the_bundled_folder(seed_table):
    corpus = corpus_figures(RAW_DIR)
    pd.testing.assert_frame_equal(corpus[corpus.report == SEED_PATH.stem], seed_table)


def test_csv_output_is_exact(seed_table):
    text = to_csv(seed_table)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert ",108500,108500,108500,exact,CNY," in text


VOCABULARIES = ["boundaries", "lexicon", "markers", "measure_words", "nouns", "periods",
                "qualifiers", "units"]  # fmt: skip
# What makes an entry unique, where a word may stand in more than one row.
VOCABULARY_KEYS = {"qualifiers": ("word", "position"), "markers": ("word", "role")}


@pytest.mark.parametrize("name", VOCABULARIES)
def test_vocabulary_file(name):
    with open(VOCAB_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    words = [r["word"] for r in rows]
    assert rows and all(words) and "comment" in rows[0]
    keys = [tuple(r[c] for c in VOCABULARY_KEYS.get(name, ("word",))) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate entries"
    if name == "qualifiers":
        assert {r["qualifier"] for r in rows} <= set(QUALIFIERS)


def test_scan_records_are_typed():
    """A scan's record carries Figure's fields in Figure's order; a wrong name fails at once."""
    from dataclasses import fields

    from xining_data.extract.figures import FOUND_FIGURE_FIELDS
    from xining_data.extract.tally import Found

    shared = Found._fields[FOUND_FIGURE_FIELDS:]
    assert shared == tuple(f.name for f in fields(Figure))[4:]
    with pytest.raises(TypeError):
        Found(0, 1, "count", subjcet="村")  # the typo is the point


def test_one_qualifier_table():
    """The words' qualifiers plus exact and range are the table the schema and stories use."""
    from xining_data.stories import wording

    with open(VOCAB_DIR / "qualifiers.csv", encoding="utf-8", newline="") as f:
        used = {r["qualifier"] for r in csv.DictReader(f)}
    assert used == WORD_QUALIFIERS
    assert set(QUALIFIERS) == WORD_QUALIFIERS | {"exact", "range"}
    assert wording.QUALIFIERS is QUALIFIERS


# ------------------------------------------------------------------ properties

ALPHABET = (
    "0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万亿廿卅壹贰叁拾佰仟点"
    "年月日号个家人元亩米天多余近约超过以上下左右第首之分成度去今前这每数几"
    "，。、；：！？%％.,-~～—“”《》()（）\n "
    "市场企业投资增长就业村社区零工千家万户对系列步统唯"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_extract_never_raises_and_keeps_offsets(text):
    figures, rest = scan(text)
    for f in figures:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.qualifier in QUALIFIERS and f.kind
        assert f.value is None or isinstance(f.value, Decimal)
    for u in rest:
        assert text[u.start : u.end] == u.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_figures_table_passes_the_schema(text):
    report = Report(id="h", text=text, meta=ReportMeta(published="2025"))
    table = figures_table(report)
    FIGURES_SCHEMA.validate(table)
    for row in table.itertuples():
        assert text[row.start : row.end] == row.text


def _publication_years() -> list:
    with open(CASES_DIR / "publication_years.csv", encoding="utf-8", newline="") as f:
        return [pytest.param(r, id=r["id"]) for r in csv.DictReader(f)]


@pytest.mark.parametrize("case", _publication_years())
def test_reference_year_is_inferred_from_the_text(case):
    """tests/cases/publication_years.csv: the year an undated report speaks from."""
    from xining_data.extract.dates import infer_reference_year

    assert infer_reference_year(case["text"]) == (int(case["year"]) if case["year"] else None)


def test_inferred_years_of_the_test_corpus_against_its_manifest():
    """Every report of the test corpus read without its header or dateline: the inferred
    year is never after the true one (corpus.csv), and the rule finds the true year of most
    of those it can date, the press conference that says 去年 for its results and 今年 for
    its target among them."""
    from xining_data.extract.dates import infer_reference_year
    from xining_data.read.report import read_report

    folder = CASES_DIR.parent / "fixtures" / "corpus"
    manifest = pd.read_csv(folder / "corpus.csv", dtype=str)
    inferred = {
        r.file: infer_reference_year(read_report(folder / r.file).text)
        for r in manifest.itertuples()
    }
    truth = {r.file: int(r.published[:4]) for r in manifest.itertuples()}
    dated = {f: y for f, y in inferred.items() if y is not None}
    assert all(y <= truth[f] for f, y in dated.items()), (dated, truth)
    assert sum(y == truth[f] for f, y in dated.items()) >= 6
    assert inferred["03_press_conference_2024.txt"] == 2024


def test_plain_seed_without_date_scores_with_inferred_reference(tmp_path, shared_seed_text):
    """The seed as the evaluation reads it (no header, no --published) still resolves 去年."""
    plain = tmp_path / "seed.txt"
    plain.write_text(shared_seed_text, encoding="utf-8")
    df = figures_table(plain)
    last_year = df[df["text"].str.startswith("去年")]
    assert set(last_year["date"]) >= {"2024-11", "2024-04-01"}
    assert last_year["date_inferred"].all()
