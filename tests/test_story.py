"""The story-text layer: number formatting, strict queries, templates and the ledger."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xining_data import notebook as story
from xining_data.stories.lookup import Event, StoryDataError
from xining_data.stories.story import LiteralNumberError, Story
from xining_data.stories.wording import derived_qualifier, fmt_date, fmt_number, fmt_percent

# value, qualifier, value_max, digits, zh, en
NUMBER_CASES = [
    ("more-than-thousand", "1000", "more_than", None, None, "逾1000", "over 1,000"),
    ("nearly-ten-thousand", "10000", "nearly", None, None, "近1万", "nearly 10,000"),
    ("about", "27.4", "about", None, 0, "约27", "about 27"),
    ("at-most", "2468", "at_most", None, None, "至多2468", "at most 2,468"),
    ("exact-small", "67", "exact", None, None, "67", "67"),
    ("exact-wan-decimal", "51000", "exact", None, None, "5.1万", "51,000"),
    ("money-wan", "108500", "exact", None, None, "10.85万", "108,500"),
    ("not-round-wan", "2467965", "exact", None, None, "2467965", "2,467,965"),
    ("yi", "1640000000", "exact", None, None, "16.4亿", "1.64 billion"),
    ("million", "2500000", "exact", None, None, "250万", "2.5 million"),
    ("range", "10000", "range", "50000", None, "1万至5万", "10,000 to 50,000"),
    ("decimal-kept", "76.58", "exact", None, None, "76.58", "76.58"),
    ("trailing-zeros", "30.60", "exact", None, None, "30.6", "30.6"),
    ("round-half-up", "9.45", "about", None, 1, "约9.5", "about 9.5"),
    ("round-to-integer", "9.5", "exact", None, 0, "10", "10"),
    ("over-rounds-down", "4.052", "more_than", None, 1, "逾4", "over 4"),
    ("nearly-rounds-up", "27.397", "nearly", None, 1, "近27.4", "nearly 27.4"),
    ("at-most-rounds-up", "2467.965", "at_most", None, 0, "至多2468", "at most 2,468"),
    ("thousands", "205663.75", "exact", None, -3, "20.6万", "206,000"),
    ("none-qualifier", "3", None, None, None, "3", "3"),
    ("empty-qualifier", "3", "", None, None, "3", "3"),
    ("int-input", 12, "exact", None, None, "12", "12"),
    ("decimal-input", Decimal("1.5"), "exact", None, None, "1.5", "1.5"),
    ("float-input", 0.1, "exact", None, None, "0.1", "0.1"),
    ("negative", "-2.3", "exact", None, None, "-2.3", "-2.3"),
]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    ("value", "qualifier", "value_max", "digits", "zh", "en"),
    [case[1:] for case in NUMBER_CASES],
    ids=[case[0] for case in NUMBER_CASES],
)
def test_fmt_number(language, value, qualifier, value_max, digits, zh, en):
    expected = {"zh": zh, "en": en}[language]
    assert fmt_number(value, qualifier, language, value_max=value_max, digits=digits) == expected


BAD_NUMBERS = [
    ("unknown-qualifier", "1", "roughly", "zh", None),
    ("unknown-language", "1", "exact", "fr", None),
    ("empty-value", None, "exact", "zh", None),
    ("nan-value", float("nan"), "exact", "en", None),
    ("text-value", "十", "exact", "zh", None),
    ("nan-text", "nan", "exact", "zh", None),
    ("empty-text", "", "exact", "en", None),
    ("range-without-max", "1", "range", "en", None),
]


@pytest.mark.parametrize(
    ("value", "qualifier", "language", "value_max"),
    [c[1:] for c in BAD_NUMBERS],
    ids=[c[0] for c in BAD_NUMBERS],
)
def test_fmt_number_rejects(value, qualifier, language, value_max):
    with pytest.raises(ValueError):
        fmt_number(value, qualifier, language, value_max=value_max)


@given(st.integers(min_value=0, max_value=10**12))
def test_english_integers_read_back(n):
    text = fmt_number(n, "exact", "en")
    for word, scale in ((" billion", 10**9), (" million", 10**6)):
        if text.endswith(word):
            assert Decimal(text.removesuffix(word)) * scale == n
            return
    assert int(text.replace(",", "")) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_integers_read_back(n):
    text = fmt_number(n, "exact", "zh")
    for word, scale in (("亿", 10**8), ("万", 10**4)):
        if text.endswith(word):
            assert Decimal(text.removesuffix(word)) * scale == n
            return
    assert int(text) == n


DATE_CASES = [
    ("day", "2024-09-25", None, False, "2024年9月25日", "25 September 2024"),
    ("month", "2023-11", None, False, "2023年11月", "November 2023"),
    ("year", "2024", None, False, "2024年", "2024"),
    ("precision-cuts", "2024-11-01", "month", False, "2024年11月", "November 2024"),
    (
        "inferred",
        "2024-11",
        "month",
        True,
        "2024年11月（推算日期）",
        "November 2024 (inferred date)",
    ),
]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    ("iso", "precision", "inferred", "zh", "en"),
    [c[1:] for c in DATE_CASES],
    ids=[c[0] for c in DATE_CASES],
)
def test_fmt_date(language, iso, precision, inferred, zh, en):
    assert fmt_date(iso, precision, language, inferred=inferred) == {"zh": zh, "en": en}[language]


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [("2024-04-01", "2024-11", 7), ("2023-11", "2024-09-25", 10), ("2024-05", "2024-05", 0)],
    ids=["pilot-to-settlement", "across-years", "same-month"],
)
def test_months_between(start, end, months):
    assert story.months_between(start, end) == months


def test_months_between_needs_months():
    with pytest.raises(ValueError):
        story.months_between("2024", "2024-11")


@pytest.mark.parametrize(
    ("qualifier", "decreasing", "expected"),
    [
        ("exact", False, "about"),
        ("more_than", False, "more_than"),
        ("more_than", True, "at_most"),
        ("nearly", False, "nearly"),
        ("nearly", True, "more_than"),
        ("about", True, "about"),
    ],
    ids=["exact", "over-up", "over-down", "nearly-up", "nearly-down", "about"],
)
def test_derived_qualifier(qualifier, decreasing, expected):
    assert derived_qualifier(qualifier, decreasing=decreasing) == expected


def test_rates_and_shares():
    assert story.per_10k(234, 2_340_000) == pytest.approx(1.0)
    assert story.per_100k(234, 2_340_000) == pytest.approx(10.0)
    assert story.share("51000", "2550000") == pytest.approx(0.02)
    assert fmt_percent(0.02066, "en") == "2.1%"
    with pytest.raises(ValueError):
        story.per_10k(1, 0)
    with pytest.raises(ValueError):
        story.share(1, 0)


# --- templates -----------------------------------------------------------------------------

TEMPLATE_CASES = [
    ("digit", "{n} per 100,000 residents"),
    ("year", "the 2020 census counted {n}"),
    ("fullwidth-digit", "共{n}个，占１成"),
]


@pytest.mark.parametrize(
    "template", [c[1] for c in TEMPLATE_CASES], ids=[c[0] for c in TEMPLATE_CASES]
)
def test_templates_refuse_literal_numbers(template):
    with pytest.raises(LiteralNumberError):
        story.say(template, template, "en", n="1")


def test_say_picks_the_language():
    assert story.say("共{n}家", "{n} homes", "zh", n="234") == "共234家"
    assert story.say("共{n}家", "{n} homes", "en", n="234") == "234 homes"
    assert story.say("第七水厂", "the Seventh Water Plant", "zh") == "第七水厂"  # names allowed
    assert story.say("", "on the WGS84 ellipsoid, CO2", "en") == "on the WGS84 ellipsoid, CO2"


# --- queries -------------------------------------------------------------------------------


def _figures() -> pd.DataFrame:
    rows = [
        ("r", 1, "文章甲", "community", 10, 13, "67家", "count", "67", "exact", "家", "市级社区“石榴籽家园”",
         None, None, False, "累计评选67家市级和167家县(区)级社区。"),
        ("r", 1, "文章甲", "community", 16, 20, "167家", "count", "167", "exact", "家", "县(区)级社区“石榴籽家园”",
         None, None, False, "累计评选67家市级和167家县(区)级社区。"),
        ("r", 2, "文章乙", "employment", 40, 46, "去年11月", "date", None, None, None, None,
         "2024-11", "month", True, "去年11月，许先生顺利结算。"),
        ("r", 2, "文章乙", "employment", 60, 66, "去年4月1日", "date", None, None, None, None,
         "2024-04-01", "day", True, "去年4月1日，西宁被确定为试点城市之一。"),
        ("r", 2, "文章乙", "employment", 70, 73, "10个", "count", "10", "exact", "个", "零工市场",
         None, None, False, "10个零工市场与2个零工驿站。"),
    ]  # fmt: skip
    columns = ["report", "article", "article_title", "theme", "start", "end", "text", "kind",
               "value", "qualifier", "unit", "subject", "date", "date_precision", "date_inferred",
               "sentence"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report": ["r", "r"],
            "order": [1, 2],
            "title": ["文章甲", "文章乙"],
            "reporter": ["徐顺凯", "樊娅楠"],
        }  # fmt: skip
    )


FIND_CASES = [
    ("by-subject", {"kind": "count", "subject_contains": "零工市场"}, "10个"),
    ("by-subject-prefix", {"subject_contains": "市级社区"}, "67家"),
    ("by-theme-and-kind", {"theme": "employment", "kind": "count"}, "10个"),
    ("by-sentence", {"kind": "date", "sentence_contains": "结算"}, "去年11月"),
]


@pytest.mark.parametrize(
    ("conditions", "text"), [c[1:] for c in FIND_CASES], ids=[c[0] for c in FIND_CASES]
)
def test_find_returns_the_one_row(conditions, text):
    assert story.find(_figures(), **conditions)["text"] == text


FIND_FAILURES = [
    ("none", {"kind": "money"}, "no row matches"),
    ("several", {"kind": "count", "theme": "community"}, "2 rows match"),
    ("several-dates", {"kind": "date"}, "2 rows match"),
]


@pytest.mark.parametrize(
    ("conditions", "message"), [c[1:] for c in FIND_FAILURES], ids=[c[0] for c in FIND_FAILURES]
)
def test_find_fails_loudly(conditions, message):
    with pytest.raises(StoryDataError, match=message):
        story.find(_figures(), **conditions)


def test_event_dates_in_order_and_flagged():
    events = [
        Event("结算", "首例跨省直接结算", "first settlement"),
        Event("试点城市", "试点", "pilot"),
    ]
    table = story.event_dates(_figures(), events, "en")
    assert list(table["label"]) == ["pilot", "first settlement"]
    assert table["inferred"].all()
    with pytest.raises(StoryDataError):
        story.event_dates(_figures(), [Event("没有", "无", "none")], "en")


def test_documents_in_order_without_repeats():
    text = "印发《甲方案》，修订《乙标准》，再次提到《甲方案》。"
    assert story.documents(text) == ["甲方案", "乙标准"]


# --- the ledger ----------------------------------------------------------------------------


def test_ledger_numbers_in_citation_order_and_reuses_numbers():
    figures = _figures()
    s = Story(figures, _articles(), language="en")
    market = story.find(figures, subject_contains="零工市场")
    homes = story.find(figures, subject_contains="市级社区")
    assert s.cite(market) == r"[\[1\]](#ledger-1)"
    assert s.cite(homes) == r"[\[2\]](#ledger-2)"
    assert s.cite(market) == r"[\[1\]](#ledger-1)"
    table = s.ledger_table()
    assert list(table["number"]) == [1, 2]
    assert list(table["text"]) == ["10个", "67家"]
    assert list(table["reporter"]) == ["樊娅楠", "徐顺凯"]
    required = ["number", "text", "value", "qualifier", "subject", "article_title", "reporter",
                "sentence", "report", "start", "end"]  # fmt: skip
    assert [c for c in table.columns if c in required] == required
    html = s.ledger_html()
    assert 'id="ledger-1"' in html and 'id="ledger-2"' in html
    assert "data:text/csv;base64," in html


def test_story_sentence_is_filled_from_the_table():
    figures = _figures()
    for language, expected in (("zh", "共10个零工市场[\\[1\\]](#ledger-1)"),
                               ("en", "10 gig-work markets[\\[1\\]](#ledger-1)")):  # fmt: skip
        s = Story(figures, _articles(), language=language)
        row = story.find(figures, subject_contains="零工市场")
        number, marker = s.num(row, cite=False), s.cite(row)
        text = s.say("共{n}个零工市场{c}", "{n} gig-work markets{c}", n=number, c=marker)
        assert text == expected


def _context() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "fact": ["常住人口", "第七水厂日供水量", "首批授牌数"],
            "value": ["2467965", "19", "25"],
            "unit": ["人", "万立方米/日", "家"],
            "year": ["2020", "2024", "2021"],
            "division": ["西宁市"] * 3,
            "reliability": [
                "official statistics",
                "secondary copy or mirror: verify before publishing",
                "news outlet",
            ],
            "source": ["yearbook", "mirror", "paper"],
            "quote": ["q1", "q2", "q3"],
            "publishable": [True, False, True],
        }  # fmt: skip
    )


def test_context_facts_cited_and_unpublishable_refused():
    ctx = _context()
    s = Story(_figures(), _articles(), language="en")
    assert s.cite(story.find_fact(ctx, "常住人口")) == r"[\[1\]](#ledger-1)"
    assert s.cite(story.find_fact(ctx, "首批")).startswith(" (single source)")
    with pytest.raises(StoryDataError, match="not publishable"):
        s.cite(story.find_fact(ctx, "第七水厂"))
    assert list(s.ledger_table()["number"]) == [1, 2]  # the refused fact took no number
    assert story.find_fact_or_none(ctx, "平均工资") is None


def test_a_context_fact_is_dated_by_its_own_year_in_the_ledger():
    """A 2020 census total cited on a 2025 page keeps 2020: the report's date never dates it."""
    ctx = _context()
    s = Story(_figures(), _articles(), language="zh")
    for fact in ("常住人口", "首批"):
        s.cite(story.find_fact(ctx, fact))
    table = s.ledger_table()
    assert list(table["date"]) == [story.find_fact(ctx, f)["year"] for f in ("常住人口", "首批")]


def test_source_line_names_report_article_and_reporter():
    figures = _figures()
    s = Story(figures, _articles(), language="zh")
    line = s.source_line([story.find(figures, subject_contains="零工市场")])
    assert line == "来源：《文章乙》（未注明发布单位，未注明日期）（樊娅楠）"
    reports = pd.DataFrame({"report": ["r"], "title": ["城市年报"], "outlet": ["西宁晚报"],
                            "published": ["2024-05"], "published_precision": ["month"],
                            "published_inferred": [False]})  # fmt: skip
    s = Story(figures, _articles(), language="en", reports=reports)
    line = s.source_line([story.find(figures, subject_contains="零工市场")])
    assert line == (
        "Source: “城市年报” (Xining Evening News (西宁晚报), May 2024), “文章乙” "
        "(Fan Yanan (樊娅楠))"
    )
    assert "r" not in s.sources()[0]["text"].split()


@pytest.mark.parametrize(
    ("text", "year", "numbers"),
    [("2021 (10月22日)", "2021", ["2021", "10", "22"]), ("62 -> 100", None, ["62", "100"]),
     ("2024 (reported 2024-10-12)", "2024", ["2024", "2024", "10", "12"])],
    ids=["year-with-day", "pair", "reported"],
)  # fmt: skip
def test_context_cells(text, year, numbers):
    if year is None:
        with pytest.raises(ValueError):
            story.year_of(text)
    else:
        assert story.year_of(text) == year
    assert story.numbers_in(text) == numbers


TOTAL_CASES = [
    ("all-exact", [("67", "exact"), ("167", "exact")], "234", "exact"),
    ("over-stays-over", [("1000", "more_than"), ("12", "exact")], "1012", "more_than"),
    ("nearly-stays-nearly", [("10000", "nearly"), ("5", "exact")], "10005", "nearly"),
    ("mixed-is-about", [("1000", "more_than"), ("10000", "nearly")], "11000", "about"),
]


@pytest.mark.parametrize(
    ("parts", "value", "qualifier"), [c[1:] for c in TOTAL_CASES], ids=[c[0] for c in TOTAL_CASES]
)
def test_total_keeps_the_qualifier(parts, value, qualifier):
    rows = [{"value": v, "qualifier": q} for v, q in parts]
    assert story.total(rows) == (Decimal(value), qualifier)


FIGURE_CASES = [
    (
        "money",
        {"value": "108500", "qualifier": "exact", "unit": "CNY"},
        "10.85万元",
        "108,500 yuan",
    ),
    (
        "over-days",
        {"value": "20", "qualifier": "more_than", "unit": "day"},
        "逾20天",
        "over 20 days",
    ),
    ("measure-word", {"value": "3", "qualifier": "exact", "unit": "套"}, "3套", "3"),
    ("people", {"value": "51000", "qualifier": "exact", "unit": "人"}, "5.1万人", "51,000 people"),
    (
        "billions",
        {"value": "164435000000", "qualifier": "exact", "unit": "CNY"},
        "1644.35亿元",
        "164.435 billion yuan",
    ),  # fmt: skip
    ("untranslated", {"value": "2", "qualifier": "exact", "unit": "Gbps"}, "2Gbps", "2 Gbps"),
    ("percent", {"value": "30.6", "qualifier": "exact", "unit": "%"}, "30.6%", "30.6%"),
    ("no-unit", {"value": "7", "qualifier": "", "unit": ""}, "7", "7"),
    (
        "range",
        {"value": "3", "value_max": "5", "qualifier": "range", "unit": "个"},
        "3至5个",
        "3 to 5",
    ),
]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    ("row", "zh", "en"), [c[1:] for c in FIGURE_CASES], ids=[c[0] for c in FIGURE_CASES]
)
def test_fmt_figure_with_unit(language, row, zh, en):
    assert story.fmt_figure(row, language, unit=True) == {"zh": zh, "en": en}[language]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_ledger_headers_match_columns_one_for_one(language):
    """The published ledger is read back (xining_data.verify) through these headers."""
    assert len(story.LEDGER_HEADERS[language]) == len(story.LEDGER_COLUMNS)
    s = Story(_figures(), _articles(), language=language)
    s.cite(story.find(_figures(), subject_contains="零工市场"))
    html = s.ledger_html()
    assert all(f"<th>{h}</th>" in html for h in story.LEDGER_HEADERS[language])
    assert len(re.findall(r"<td[ >]", html)) == len(story.LEDGER_COLUMNS)


def test_every_ledger_column_has_a_width_in_the_house_stylesheet():
    """The page sizes the ledger's columns by class (``ledger-<column>``), so the sentence
    column gets room and the table fits its box; a new column needs a width too."""
    from xining_data.publish.pages import TEMPLATE_DIR

    css = (TEMPLATE_DIR / "static" / "story.css").read_text("utf-8")
    html = Story(_figures(), _articles(), language="zh").ledger_html()
    assert '<div class="xd-ledger"' in html
    for column in story.LEDGER_COLUMNS:
        assert f'<col class="ledger-{column}">' in html
        assert re.search(rf"\.ledger-{column}\b[^{{]*\{{[^}}]*width:", css), column


# --- the page around the story -------------------------------------------------------------


def _declared(monkeypatch) -> list[dict]:
    """Capture what story_meta displays (the page's masthead and footer)."""
    import IPython.display

    shown: list[dict] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    return shown


@pytest.mark.parametrize(
    ("language", "byline"), [("zh", "xining-data 数据新闻组"), ("en", "xining-data data desk")]
)
def test_masthead_and_footer_carry_the_house_defaults_and_the_cited_sources(
    language, byline, monkeypatch
):
    from xining_data.stories.storymeta import STORY_MIME

    shown = _declared(monkeypatch)
    s = Story(_figures(), _articles(), language=language, theme="water", as_of="2025-01")
    with pytest.raises(ValueError, match="masthead"):
        s.footer(method=["m"])
    s.masthead(headline="H", dek="D", order=3)
    s.cite(story.find(_figures(), subject_contains="零工市场"))
    s.footer(method=["m"])
    masthead, footer = (bundle[STORY_MIME] for bundle in shown)
    date = {"zh": "2025年1月", "en": "January 2025"}[language]
    assert masthead == {"headline": "H", "dek": "D", "byline": byline, "date": date,
                        "theme": "water", "order": 3}  # fmt: skip
    assert footer == {**masthead, "sources": s.sources(), "method": ["m"]}
    unknown = s.say(
        "《文章乙》（未注明发布单位，未注明日期）",
        "“文章乙” (outlet not printed, date not printed)",
    )
    assert footer["sources"] == [{"text": unknown, "url": ""}]


# as_of, inferred, zh, en: the dateline says when a date is inferred, and when there is none
DATELINE_CASES = [
    ("2025", True, "2025年（推算日期）", "2025 (inferred date)"),
    ("2024-11-20", False, "2024年11月20日", "20 November 2024"),
    ("", False, "报道未注明日期", "reports undated"),
]


@pytest.mark.parametrize(("as_of", "inferred", "zh", "en"), DATELINE_CASES)
def test_the_dateline_says_what_is_known(as_of, inferred, zh, en):
    for language, expected in (("zh", zh), ("en", en)):
        s = Story(_figures(), language=language, as_of=as_of, as_of_inferred=inferred)
        assert s.dateline() == expected


PRECISION_CASES = [
    ("point", "点位", "a point"),
    ("province", "仅到省", "province level only"),
    ("unknown-code", "unknown-code", "unknown-code"),
]


@pytest.mark.parametrize(("code", "zh", "en"), PRECISION_CASES, ids=[c[0] for c in PRECISION_CASES])
def test_story_words_for_place_precision(code, zh, en):
    for language, expected in (("zh", zh), ("en", en)):
        assert Story(_figures(), language=language).precision(code) == expected


def test_fixed_words_exist_in_both_editions():
    from xining_data.stories import editions

    for table in (
        editions.WORDS,
        editions.THEME_LABELS,
        editions.PRECISION_LABELS,
        editions.UNIT_WORDS,
    ):
        for key, words in table.items():
            assert set(words) == set(editions.LANGUAGES), key
            assert all(w.strip() for w in words.values()), key
    assert Story(_figures(), language="en").theme_name("carbon") == "Climate and carbon"
    assert Story(_figures(), language="en").theme_name("unknown") == "unknown"


# --- the corpus ----------------------------------------------------------------------------


def _corpus() -> story.Corpus:
    figures = _figures().assign(sentence_start=[0, 0, 40, 60, 70],
                                sentence_end=[25, 25, 55, 69, 80])  # fmt: skip
    places = pd.DataFrame(
        {"report": ["r", "r", "r"], "start": [2, 71, 90], "end": [4, 73, 94],
         "text": ["西宁", "城西区", "湟中区"]}
    )  # fmt: skip
    articles = _articles().assign(start=[0, 30], end=[30, 100])
    reports = pd.DataFrame({"report": ["r"], "published": ["2025"], "published_inferred": [True],
                            "place_adcode": [""], "place_from": [""], "copy_of": ["r"]})  # fmt: skip
    texts = pd.DataFrame({"report": ["r"], "text": ["x" * 100]})
    return story.Corpus(reports, figures, figures, articles, places, _context(), texts)


def test_corpus_facts_from_its_reports_table():
    corpus = _corpus()
    assert (corpus.as_of, corpus.as_of_inferred) == ("2025", True)
    assert corpus.city_adcode == story.DEFAULT_CITY  # no report names its place
    assert corpus.city_inferred
    assert corpus.original == {"r": "r"}


PLACE_CASES = [
    ("article-of-a-count", "市级社区", "places_in_article", ["西宁"]),
    ("article-of-the-markets", "零工市场", "places_in_article", ["城西区", "湟中区"]),
    ("sentence-of-the-markets", "零工市场", "places_in_sentence", ["城西区"]),
    ("sentence-of-a-count", "市级社区", "places_in_sentence", ["西宁"]),
]


@pytest.mark.parametrize(
    ("subject", "method", "names"), [c[1:] for c in PLACE_CASES], ids=[c[0] for c in PLACE_CASES]
)
def test_corpus_places_of_a_figure(subject, method, names):
    corpus = _corpus()
    row = story.find(corpus.merged, subject_contains=subject)
    assert list(getattr(corpus, method)(row)["text"]) == names


def test_corpus_article_of_a_figure_must_exist():
    corpus = _corpus()
    row = story.find(corpus.merged, subject_contains="零工市场")
    assert corpus.article_of(row)["title"] == "文章乙"
    with pytest.raises(StoryDataError):
        corpus.article_of({**row, "article": 9})


def test_every_unit_word_is_a_unit_the_extractor_writes():
    """The story's unit words are keyed by the figures table's normalised units."""
    import csv

    from xining_data.base.paths import VOCAB_DIR
    from xining_data.stories.editions import UNIT_WORDS

    with open(VOCAB_DIR / "units.csv", encoding="utf-8", newline="") as f:
        written = {row["unit"] for row in csv.DictReader(f)} | {"CNY", "day", "year", "month", "%"}
    with open(VOCAB_DIR / "measure_words.csv", encoding="utf-8", newline="") as f:
        written |= {next(iter(row.values())) for row in csv.DictReader(f)}  # classifiers
    assert set(UNIT_WORDS) <= written
