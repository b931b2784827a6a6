"""A rate per resident uses one figure per indicator and place: the stock, not a flow beside it.

"新命名市级社区“石榴籽家园”21家，累计达到46家": 21 were added in the year, 46 are held. Both
are facts of one indicator, place and period; only the 46 is turned into a rate. Rules are
cases (words of the clause before a figure); then checked on the facts of the test corpus
(tests/fixtures/corpus) and of the bundled report.
"""

from __future__ import annotations

import pandas as pd
import pytest

from xining_data.stories.archive import (
    PARTS_KEY,
    flow_or_stock,
    theme_archive,
    without_flows_beside_stocks,
)
from xining_data.stories.loader import load_corpus

from conftest import SEED_PATH

# (sentence, the figure's text, expected kind)
CASES = [
    ("新命名市级社区“石榴籽家园”21家，累计达到46家。", "21", "flow"),
    ("新命名市级社区“石榴籽家园”21家，累计达到46家。", "46", "stock"),
    ("今年以来，全区新增区级“石榴籽家园”14家，总数达到38家。", "14", "flow"),
    ("今年以来，全区新增区级“石榴籽家园”14家，总数达到38家。", "38", "stock"),
    ("截至目前，累计评选67家市级和167家县(区)级社区“石榴籽家园”。", "167", "stock"),
    ("全年城镇新增就业达到1.2万人。", "1.2", "flow"),
    ("全市现有零工市场5个。", "5", "stock"),
    ("建成民族团结进步主题广场1处。", "1", ""),
    ("累计新增就业3万人。", "3", "stock"),
]


@pytest.mark.parametrize(("sentence", "figure", "expected"), CASES)
def test_a_figure_is_a_flow_or_a_stock_by_the_words_of_its_clause(sentence, figure, expected):
    assert flow_or_stock(sentence, sentence.index(figure)) == expected


def _rows(sentence: str, figures: list[str], source: str = "r1") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": "pomegranate_homes",
            "place_adcode": "630100",
            "ref_date": "2023",
            "source": source,
            "value": figures,
            "sentence": sentence,
            "sentence_start": 100,
            "start": [100 + sentence.index(f) for f in figures],
        }
    )


@pytest.mark.parametrize(
    ("sentence", "figures", "kept"),
    [
        ("新命名市级社区“石榴籽家园”21家，累计达到46家。", ["21", "46"], ["46"]),
        ("累计评选67家市级和167家县(区)级社区“石榴籽家园”。", ["67", "167"], ["67", "167"]),
        ("新命名21家，新创建9家。", ["21", "9"], ["21", "9"]),  # no stock: the flows stay
    ],
)
def test_a_flow_is_dropped_only_beside_a_stock_of_its_source(sentence, figures, kept):
    assert list(without_flows_beside_stocks(_rows(sentence, figures))["value"]) == kept


@pytest.fixture(scope="module", params=["corpus", "seed"])
def corpus(request, tmp_path_factory):
    from pathlib import Path

    reports = (
        Path(__file__).parent / "fixtures" / "corpus"
        if request.param == "corpus"
        else SEED_PATH.parent
    )
    return load_corpus(reports, tmp_path_factory.mktemp(f"data-{request.param}"))


@pytest.mark.parametrize("theme", ["community", "employment", "water", "carbon"])
def test_the_figures_turned_into_rates_are_one_stock_per_indicator_and_place(corpus, theme):
    arch = theme_archive(corpus.figures, theme, corpus.original)
    stocks = without_flows_beside_stocks(arch.latest())
    kinds = [
        flow_or_stock(str(r.sentence), int(r.start) - int(r.sentence_start))
        for r in stocks.itertuples()
    ]
    stocks = stocks.assign(kind=kinds)
    for _, group in stocks.groupby(PARTS_KEY[:2]):
        assert not ({"flow", "stock"} <= set(group["kind"])), group[["value", "sentence"]]


def test_the_test_corpus_homes_per_resident_use_the_totals(corpus):
    """01_work_report: 新命名21家，累计达到46家; 06_chengbei: 新增14家，总数达到38家."""
    homes = theme_archive(corpus.figures, "community", corpus.original).latest_stocks()
    homes = homes[homes["indicator"] == "pomegranate_homes"]
    values = {(r.place_adcode, str(r.value)) for r in homes.itertuples()}
    if "01_work_report_2023" in set(corpus.figures["report"]):
        assert values == {("630100", "46"), ("630105", "38")}
    else:  # the bundled report: 67 city-level and 167 county-level homes, both totals
        assert {v for _, v in values} == {"67", "167"}
