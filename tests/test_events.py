"""When and where on a theme page: dated events, their timeline, and places under divisions.

tests/cases/events.csv holds one date per row: the sentence, the date's words, and the label
its event takes ('' when the date is no event: a comparison's base, a goal, a dateline).
"""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from xining_data.extract.figures import figures_table
from xining_data.read.report import Report, ReportMeta
from xining_data.stories.events import event_label, events, timeline_events

from conftest import CASES_DIR

matplotlib.use("Agg")

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def _cases() -> list:
    with open(CASES_DIR / "events.csv", encoding="utf-8", newline="") as f:
        return [pytest.param(r, id=r["id"]) for r in csv.DictReader(f)]


def _date_row(text: str, date_text: str) -> pd.Series:
    table = figures_table(Report("r", text, ReportMeta(published="2024-12-01")))
    dates = table[(table["kind"] == "date") & (table["text"] == date_text)]
    assert len(dates) == 1, table[["text", "kind"]]
    return dates.iloc[0]


@pytest.mark.parametrize("case", _cases())
def test_a_date_makes_an_event_labelled_by_its_clause(case):
    assert event_label(_date_row(case["text"], case["date_text"])) == case["label"]


def _events(rows: list[tuple[str, str, str, bool]]) -> pd.DataFrame:
    """Events from (report, ISO date, precision, inferred) with a label of their own."""
    return pd.DataFrame(
        [
            {"report": r, "date": d, "precision": p, "inferred": i, "label": f"{r} {d}",
             "printed": d, "sentence": "", "figure": {}}
            for r, d, p, i in rows
        ]
    )  # fmt: skip


def test_a_copy_tells_an_event_once_with_the_printed_date():
    """A repost's event is its original's; of the two, the printed date is kept."""
    table = figures_table(Report("a", "去年全县新增就业3000人。1月18日上午，县里召开总结会。",
                                 ReportMeta(published="2024", published_inferred=True)))  # fmt: skip
    copy = figures_table(Report("b", "去年全县新增就业3000人。1月18日上午，县里召开总结会。",
                                ReportMeta(published="2024-01-19")))  # fmt: skip
    found = events(pd.concat([table, copy]), {"a": "a", "b": "a"})
    day = found[found["label"] == "县里召开总结会"]
    assert list(day["date"]) == ["2024-01-18"] and not day["inferred"].any()


def test_the_timeline_keeps_the_most_precise_events_in_date_order():
    rows = [("r", f"{2000 + n}", "year", False) for n in range(20)]
    rows += [("r", "2010-05-04", "day", False), ("r", "2011-06", "month", True)]
    chosen = timeline_events(_events(rows), limit=5)
    assert list(chosen["date"][:2]) == ["2010-05-04", "2011-06"]
    assert list(chosen["date"]) == sorted(chosen["date"], key=lambda d: d[:4])
    assert len(chosen) == 5


def test_a_year_is_a_span_and_only_a_day_is_a_point():
    """A year is drawn from 1 January to 31 December (no dot in July), a month as its month,
    a day as a point; the legend names the marks drawn, hollow for inferred."""
    import matplotlib.dates as mdates
    from matplotlib.patches import Rectangle

    from xining_data.publish.charts import timeline_chart

    table = _events([("r", "2023", "year", False), ("r", "2024-02", "month", True),
                     ("r", "2024-07-21", "day", False)])  # fmt: skip
    fig = timeline_chart(table, color="#E07B00", language="en")
    ax = fig.axes[0]
    bars = sorted(
        (p.get_x(), p.get_x() + p.get_width()) for p in ax.patches if isinstance(p, Rectangle)
    )
    assert bars == [
        (mdates.datestr2num("2023-01-01"), mdates.datestr2num("2024-01-01")),
        (mdates.datestr2num("2024-02-01"), mdates.datestr2num("2024-03-01")),
    ]
    points = [line.get_xdata()[0] for line in ax.lines if line.get_marker() == "o"]
    assert points == [mdates.datestr2num("2024-07-21")]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["a day (date printed)", "known only to the year or month: the whole period",
                      "an inferred year or month"]  # fmt: skip
    labels = [t for t in ax.texts if t.get_text().startswith("r ")]
    assert all(t.get_bbox_patch() is not None for t in labels)  # on white: no gridline through


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from xining_data.stories.loader import load_corpus

    return load_corpus(CORPUS, tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize(
    ("theme", "division", "names"),
    [
        ("employment", "630123", {"城关镇", "纳隆口村", "万丰社区"}),
        ("community", "630105", {"大堡子镇", "陶北村"}),
        ("overview", "630105", {"第四污水处理厂", "廿里铺镇"}),
    ],
)
def test_townships_and_villages_are_listed_under_their_division(corpus, theme, division, names):
    from xining_data.stories.archive import named_places, theme_archive

    arch = theme_archive(corpus.figures, theme, corpus.original)
    named = named_places(corpus.places, corpus.articles, arch.figures, theme)
    assert names <= set(named.loc[named["division"] == division, "name"])
    assert not named["name"].str.startswith(("全", "该", "本")).any()  # words that point back
    assert not named.duplicated(["name", "division"]).any()


def test_a_facility_says_how_closely_the_text_locates_it(corpus):
    from xining_data.stories.archive import named_places, theme_archive
    from xining_data.stories.narrative import places_by_division
    from xining_data.stories.story import Story

    arch = theme_archive(corpus.figures, "overview", corpus.original)
    named = named_places(corpus.places, corpus.articles, arch.figures, "overview")
    for language, words in (("zh", "**城北区**"), ("en", "**Chengbei District**")):
        text = places_by_division(Story(corpus.merged, language=language), named)
        line = next(line for line in text.splitlines() if words in line)
        assert "大堡子镇" in line and "陶北村" in line
    assert "第六水厂（只定位到全市）" in places_by_division(Story(corpus.merged), named)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_timeline_chart_quotes_the_reports_words_as_the_list_does(
    corpus, language, tmp_path, monkeypatch
):
    """The English chart draws no bare Chinese: each label is the quoted original, as in the
    list under it; the Chinese chart draws the words as they are."""
    import xining_data.publish.charts as charts
    from xining_data import notebook as story

    drawn = []
    real = charts.timeline_chart
    monkeypatch.setattr(charts, "timeline_chart", lambda e, **k: drawn.append(e) or real(e, **k))
    monkeypatch.setenv("XINING_DATA_FIGURES", str(tmp_path))
    s = story.NotebookStory.from_corpus(corpus, language, "overview")
    s.when(story.theme_archive(corpus.figures, "overview", corpus.original), corpus)
    (labels,) = [list(events["label"]) for events in drawn]
    assert labels
    quoted = [label.startswith("“") and label.endswith("”") for label in labels]
    assert all(quoted) if language == "en" else not any(quoted)
