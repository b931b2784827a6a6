"""The proofreading rules (xining_data.publish.proofread) and the wording they guard.

Each rule is tested on cases (inputs and the problems expected, negatives included), then run
over every page the real stories publish, on the bundled report and on the test corpus
(tests/fixtures/corpus): a rule holds for generated text, not only for the passages that
prompted it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xining_data import verify
from xining_data.publish import proofread as pr
from xining_data.stories.editions import UNIT_WORDS, english_of, name_in, original, person_in
from xining_data.stories.ledger import report_name
from xining_data.stories.story import Story, say
from xining_data.stories.wording import digits_for, fmt_figure, fmt_number, share

# --- licensed words ---------------------------------------------------------------------------

# (generated sentence, its sources' sentences, language, words not licensed)
LICENSED_CASES = [
    ("此后全市新建[3]套交通气象站。", ["近年来，全市新建3套交通气象站。"], "zh", ["此后"]),
    ("此后全市新建3套交通气象站。", ["2020年建成一座，此后又新建3套。"], "zh", []),
    ("全市已建成3套交通气象站。", ["近年来，全市新建3套交通气象站。"], "zh", ["已", "建成"]),
    ("全市已建成3套交通气象站。", ["全市已建成3套交通气象站。"], "zh", []),
    ("项目带动就业1200人。", ["项目吸纳就业1200人。"], "zh", ["带动"]),
    ("报道称，使用清洁能源的公交车有300辆。", ["清洁能源公交车300辆。"], "zh", []),
    ("即使如此，仍有12个村。", ["仍有12个村未通水。"], "zh", []),
    ("因此失业率下降。", ["失业率下降到2.4%。"], "zh", ["因此"]),
    ("It has since built 3 traffic weather stations.", ["近年来，全市新建3套交通气象站。"], "en",
     ["since"]),
    ("The city has built 3 new traffic weather stations.", ["全市新建3套交通气象站。"], "en", []),
    ("The drive put 10 stations in place.", ["报道称全市有10个站点。"], "en", ["put … in place"]),
    ("Thanks to the project, 1,200 people found work.", ["项目吸纳就业1200人。"], "en",
     ["thanks to"]),
    ("Unemployment fell because of the markets.", ["失业率为2.4%。"], "en", ["because"]),
    ("The programme resulted in 500 jobs.", ["带来500个岗位。"], "en", []),
    ("The report says 500 jobs were added.", ["新增500个岗位。"], "en", []),
    ("Since 2020, 500 jobs were added.", ["2020年以来新增500个岗位。"], "en", []),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "sources", "language", "expected"), LICENSED_CASES)
def test_tense_aspect_and_cause_words_need_their_source(sentence, sources, language, expected):
    assert pr.unlicensed(sentence, sources, language) == expected


def test_the_licensed_word_list_is_data_with_a_comment_each():
    words = pr.licensed_words()
    assert {"已", "此后", "建成", "实现", "since", "has built", "put … in place"} <= {
        w.word for w in words
    }
    assert all(w.licensed_by and w.language in ("zh", "en") for w in words)


def _page(body: str, ledger_rows: list[tuple[int, str]], language: str = "zh") -> str:
    names = {"zh": ("编号", "原句"), "en": ("No.", "Sentence")}[language]
    headers = "".join(f"<th>{h}</th>" for h in names)
    rows = "".join(f'<tr id="ledger-{n}"><td>{n}</td><td>{s}</td></tr>' for n, s in ledger_rows)
    return (
        f'<html lang="{language}"><head><title>t</title><style>p{{}}</style></head><body>'
        f'{body}<table class="ledger"><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody>'
        "</table></body></html>"
    )


def test_a_page_is_read_as_sentences_with_the_ledger_entries_they_cite():
    html = _page(
        '<p>此后全市新建3套<a href="#ledger-1">[1]</a>。报道称有5个<a href="#ledger-2">[2]</a>。</p>',
        [(1, "近年来，全市新建3套交通气象站。"), (2, "有5个。")],
    )
    page = pr.read_page(html)
    assert page.ledger[1]["sentence"] == "近年来，全市新建3套交通气象站。"
    prose = [p for p in page.passages if p.kind == "prose"]
    assert [s for p in prose for s in p.sentences()] == [
        ("此后全市新建3套[1]。", (1,)),
        ("报道称有5个[2]。", (2,)),
    ]
    assert pr.check_licensed(page) == ["'此后' not in its sources [1]: 此后全市新建3套[1]。"]


# --- machine language -------------------------------------------------------------------------

# (text, passage kind, language, a hit expected)
MACHINE_CASES = [
    ("more_than", "cell", "en", True),
    ("over", "cell", "en", False),
    ("exact", "cell", "zh", True),
    ("exact", "cell", "en", True),
    ('"a" is approximate: nearly 10,000, not an exact count.', "prose", "en", False),
    ("report 000_4f7dffbbf6220809", "prose", "en", True),
    ("来源：报道 06_chengbei_district_page_2024", "prose", "zh", True),
    ("湟中区: located at city precision", "prose", "en", True),
    ("湟中区: located at city level only", "prose", "en", False),
    ("The report states these figures 2 times; they are one fact, counted once.", "prose", "en", True),
    ("today's total is about 9.4 times that.", "prose", "en", False),
    ("report", "cell", "zh", True),
    ("报道", "cell", "zh", False),
    ("publisher: unknown", "prose", "en", True),
    ("Growth is unknown.", "prose", "en", False),
    ("nan", "cell", "en", True),
    ("None of these figures matches an indicator.", "prose", "en", False),
    ("城镇新增就业5.1万人人", "prose", "zh", True),
    ("城镇新增就业5.1万人", "prose", "zh", False),
    ("51,000 people people found jobs", "prose", "en", True),
    ("CO2 emissions fell", "prose", "en", False),
    ("中国民族报 2021-10-26 http://www.mzb.com.cn/html/content_19807.htm", "prose", "en", False),
    ("completed it about 7 months later", "cell", "zh", False),  # an English row of a zh page
    ("about", "cell", "zh", True),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "language", "hit"), MACHINE_CASES)
def test_machine_language_is_caught_and_reader_language_is_not(text, kind, language, hit):
    assert bool(pr.forbidden_in(text, kind, language)) is hit


# --- the English edition ----------------------------------------------------------------------

# (English text, the Chinese left once quoted originals and glosses are taken out)
ENGLISH_CASES = [
    ("Beijing Bo'ai Hospital (北京博爱医院) treats patients.", ""),
    ("“政府工作报告（摘要）” (Xining City People's Government (西宁市人民政府), 2023)", ""),
    ("Homes (in the report: 县(区)级社区“石榴籽家园”) in Xining", ""),
    ("the 湟水 river", "湟水"),
    ("the 𠮷 village", "𠮷"),  # a supplementary-plane character is Chinese too
    ("the 﨑 bridge", "﨑"),  # and a compatibility ideograph
    ("According to “城北新闻” (城北区融媒体中心, 2024)", "城北区融媒体中心"),
    ("2024年", "年"),
    ("No Chinese at all", ""),
]  # fmt: skip


@pytest.mark.parametrize(("text", "left"), ENGLISH_CASES)
def test_chinese_in_english_text_is_only_quoted_or_a_gloss(text, left):
    assert pr.foreign_chinese(text) == left


@given(st.text(alphabet='西宁城区“”"AI 算力底座，。𠮷㐀﨑', min_size=1, max_size=30))
def test_a_quoted_original_is_one_quote_whatever_quotes_it_holds(text):
    """A clause cut inside its own quotation (以“打造…) is still one quoted original in English."""
    assert pr.foreign_chinese(f"Label: {original(text, 'en')} (report)") == ""


def test_originals_marked_as_chinese_are_not_english_text():
    html = _page('<p>Sentence: <span lang="zh-Hans">全市新建3套</span>.</p>', [], "en")
    assert pr.check_english(pr.read_page(html)) == []
    assert pr.check_english(pr.read_page(_page("<p>全市新建3套</p>", [], "en")))


# (Chinese name, English)
NAME_CASES = [
    ("北京博爱医院", "Beijing Bo'ai Hospital"),  # the cited English-name table
    ("大河滩水库", "Dahetan Reservoir"),  # pinyin stem, ending translated
    ("西宁市人民政府（测试用虚构文本）", "Xining City People's Government"),
    ("城北区融媒体中心", "Chengbei District Media Centre"),
    ("西宁晚报", "Xining Evening News"),
    ("Xinhua", "Xinhua"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "english"), NAME_CASES)
def test_names_in_english_come_from_the_table_or_pinyin(name, english):
    assert english_of(name) == english
    assert pr.foreign_chinese(name_in(name, "en")) == ""
    assert name_in(name, "zh") == name


def test_people_are_named_family_name_first_in_pinyin():
    assert person_in("韩雪莲", "en") == "Han Xuelian (韩雪莲)"
    assert person_in("韩雪莲、李华", "en") == "Han Xuelian, Li Hua (韩雪莲、李华)"
    assert person_in("韩雪莲", "zh") == "韩雪莲"


# --- sources named ----------------------------------------------------------------------------

REPORTS = pd.DataFrame(
    {
        "report": ["a", "b", "c"],
        "title": ["城市年报", "团结", None],
        "outlet": ["西宁晚报", "unknown (not printed on the page)", None],
        "published": ["2024-05-02", "2025", None],
        "published_precision": ["day", "year", None],
        "published_inferred": [False, True, False],
    }
)
# (report, language, name)
REPORT_NAME_CASES = [
    ("a", "zh", "《城市年报》（西宁晚报，2024年5月2日）"),
    ("a", "en", "“城市年报” (Xining Evening News (西宁晚报), 2 May 2024)"),
    ("b", "zh", "《团结》（未注明发布单位，2025年（推算日期））"),
    ("b", "en", "“团结” (outlet not printed, 2025 (inferred date))"),
    ("c", "zh", "《无标题》（未注明发布单位，未注明日期）"),
    ("c", "en", "“untitled” (outlet not printed, date not printed)"),
]  # fmt: skip


@pytest.mark.parametrize(("report", "language", "name"), REPORT_NAME_CASES)
def test_a_report_is_named_by_title_outlet_and_date_and_says_what_is_unknown(
    report, language, name
):
    assert report_name(report, REPORTS, language) == name
    assert not pr.forbidden_in(name, "prose", language)


def _figures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report": ["000_4f7dffbbf6220809"],
            "start": [10], "end": [14], "text": ["逾千支"], "value": ["1000"],
            "qualifier": ["more_than"], "unit": ["支"], "kind": ["count"], "subject": ["小分队"],
            "sentence": ["组建文化小分队逾千支。"], "article": [1], "article_title": ["文章"],
            "date": [None],
        }
    )  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_ledger_shows_words_and_keeps_codes_for_verify(language):
    reports = REPORTS.assign(report=["000_4f7dffbbf6220809", "b", "c"])
    s = Story(_figures(), None, language=language, reports=reports)
    s.cite(_figures().iloc[0].to_dict())
    html = f'<html lang="{language}"><body>{s.ledger_html()}</body></html>'
    page = pr.read_page(html)
    assert pr.check_machine_language(page) == []
    assert pr.check_english(page) == []
    (entry,) = verify.ledger_rows(html)
    assert (entry["qualifier"], entry["report"], entry["source"]) == (
        "more_than",
        "000_4f7dffbbf6220809",
        "report",
    )
    assert page.ledger[1]["qualifier"] == {"zh": "逾", "en": "over"}[language]


# --- templates and units ----------------------------------------------------------------------

UNITS = sorted(UNIT_WORDS) + ["家", "个", "套", "支", "场次", "处"]
values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
qualifiers = st.sampled_from(["exact", "more_than", "nearly", "about"])


@given(value=values, unit=st.sampled_from(UNITS), qualifier=qualifiers)
def test_a_figure_with_its_unit_prints_the_unit_once(value, unit, qualifier):
    row = {"value": str(value), "unit": unit, "qualifier": qualifier}
    for language in ("zh", "en"):
        with_unit = fmt_figure(row, language, unit=True)
        bare = fmt_figure(row, language)
        # a template that adds the unit takes the bare value; one that does not, the value with it
        for text in (say("有{n}{u}", "{n} {u}", language, n=bare, u=_unit(unit, language)),
                     say("有{n}", "{n}", language, n=with_unit)):  # fmt: skip
            assert not pr.forbidden_in(text, "prose", language), text
        assert not pr.forbidden_in(fmt_number(value, qualifier, language), "prose", language)


def _unit(unit: str, language: str) -> str:
    return UNIT_WORDS.get(unit, {}).get(language, unit)


def test_a_unit_added_twice_is_caught():
    row = {"value": "51000", "unit": "人", "qualifier": "exact"}
    assert pr.forbidden_in(say("{n}人", "{n} people", "zh", n=fmt_figure(row, "zh", unit=True)),
                           "prose", "zh")  # fmt: skip
    assert pr.forbidden_in(say("{n}人", "{n} people", "en", n=fmt_figure(row, "en", unit=True)),
                           "prose", "en")  # fmt: skip


# --- false precision --------------------------------------------------------------------------

# (reported value, qualifier, divisor, zh, en)
PRECISION_CASES = [
    ("10000", "nearly", 365, "近30", "nearly 30"),  # 近万场次 a year is not 近27.4 a day
    ("10000", "more_than", 365, "逾20", "over 20"),
    ("33500", "exact", 365, "91.8", "91.8"),
    ("1000", "about", 12, "约80", "about 80"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "qualifier", "divisor", "zh", "en"), PRECISION_CASES)
def test_a_ratio_keeps_the_precision_and_the_qualifier_of_its_figure(
    value, qualifier, divisor, zh, en
):
    ratio = share(value, divisor)
    digits = digits_for(ratio, value)
    assert fmt_number(ratio, qualifier, "zh", digits=digits) == zh
    assert fmt_number(ratio, qualifier, "en", digits=digits) == en


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=0, max_value=6),
       st.integers(min_value=2, max_value=400))  # fmt: skip
def test_a_ratio_never_shows_more_digits_than_its_figure(lead, zeros, divisor):
    value = Decimal(lead) * 10**zeros
    ratio = share(value, divisor)
    shown = fmt_number(ratio, "nearly", "zh", digits=digits_for(ratio, value))
    digits = shown.removeprefix("近").rstrip("万亿").replace(".", "").strip("0")
    assert len(digits) <= 1


# --- stated counts ----------------------------------------------------------------------------


def _counted_page(language: str, text: str, rows: int, ledger: int = 0) -> str:
    body = "".join(f"<tr><td>{i}</td></tr>" for i in range(rows))
    table = f"<table><thead><tr><th>a</th></tr></thead><tbody>{body}</tbody></table>"
    return _page(f"<p>{text}</p>{table}", [(n, "s") for n in range(1, ledger + 1)], language)


# (language, sentence, body rows of the next table, problems expected)
STATED_COUNT_CASES = [
    ("zh", "下表列出全部14个数字。", 14, 0),
    ("zh", "下表列出全部14个数字。", 21, 1),  # "gives 14 figures" over a table of 21 rows
    ("zh", "共80个数字，下表列出前60个。", 60, 0),
    ("zh", "共80个数字，下表列出前60个。", 59, 1),
    ("en", "The table lists all 14 figures.", 14, 0),
    ("en", "The table lists all 1,200 figures.", 12, 1),
    ("en", "80 figures in all; the table shows the first 60.", 60, 0),
    ("en", "The reports name Chengxi 7 times.", 3, 0),  # not a count of a table: not checked
]


@pytest.mark.parametrize(("language", "text", "rows", "problems"), STATED_COUNT_CASES)
def test_a_stated_count_of_a_table_is_its_row_count(language, text, rows, problems):
    page = pr.read_page(_counted_page(language, text, rows))
    assert len(pr.check_stated_counts(page)) == problems


def test_a_stated_count_of_the_ledger_is_its_entries():
    for entries, problems in ((3, 0), (4, 1)):
        page = pr.read_page(_counted_page("en", "The ledger lists 3 figures.", 0, ledger=entries))
        assert len(pr.check_stated_counts(page)) == problems


# --- every published page -----------------------------------------------------------------------


def _problems(site: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for page in sorted(site.glob("*.html")):
        for rule, problems in pr.proofread(page).items():
            out.setdefault(rule, []).extend(f"{page.name}: {p}" for p in problems)
    return out


@pytest.mark.notebook
def test_every_generated_sentence_claims_only_what_its_source_says(site):
    assert _problems(site)["licensed words"] == []


@pytest.mark.notebook
def test_no_page_shows_machine_language(site):
    assert _problems(site)["machine language"] == []


@pytest.mark.notebook
def test_the_english_edition_is_english(site):
    """Outside quoted originals and names glossed with their original, no Chinese."""
    assert _problems(site)["English edition"] == []


@pytest.mark.notebook
def test_every_stated_count_matches_its_table(site):
    """ "The table lists all 14 figures" over a table of 14 rows, on every page."""
    assert _problems(site)["stated counts"] == []
