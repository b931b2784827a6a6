"""Repair and segmentation against the gold, case tables and properties."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xining_data import articles, articles_table, read_report, sentences
from xining_data.read.report import Report
from xining_data.read.segment import (
    SENTENCE_MAX,
    inline_byline,
    looks_like_headline,
    parse_byline,
    repair,
)

from conftest import CASES_DIR, EVAL_DIR, SEED_PATH


def _cases(name: str) -> list:
    with open(CASES_DIR / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [pytest.param(r, id=r["id"]) for r in rows]


def test_seed_articles_match_gold():
    gold = pd.read_csv(EVAL_DIR / "seed_articles_gold.csv", dtype=str, keep_default_na=False)
    got = articles_table(SEED_PATH)[gold.columns].astype(str)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), gold)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_reencoded_seed_gives_identical_articles(tmp_path, encoding, shared_seed_text):
    path = tmp_path / "seed.txt"
    path.write_bytes(shared_seed_text.encode(encoding))
    assert articles(read_report(path)) == articles(read_report(SEED_PATH))


def test_article_offsets_map_into_raw_text():
    report = read_report(SEED_PATH)
    for art in articles(report):
        assert report.text[art.title_start : art.title_end] == art.title
        for para in art.paragraphs:
            assert art.start <= para.start < para.end <= art.end
            assert "".join(report.text[s:e] for s, e in para.spans) == para.text
        assert art.reporter in report.text[art.start : art.end]


def test_seed_has_nine_repaired_breaks():
    report = read_report(SEED_PATH)
    joined = [p for a in articles(report) for p in a.paragraphs if len(p.spans) > 1]
    assert sum(len(p.spans) - 1 for p in joined) == 9
    assert any(p.text.endswith("") and "被确定为全国工伤保险" in p.text for p in joined)


@pytest.mark.parametrize("case", _cases("repair.csv"))
def test_repair_cases(case):
    text = case["text"].replace("\\n", "\n")
    paragraphs = [b.para for b in repair(text) if b.kind != "byline"]
    assert len(paragraphs) == int(case["paragraphs"])
    if case["joined"]:
        assert paragraphs[0].text == case["joined"]


@pytest.mark.parametrize("case", _cases("bylines.csv"))
def test_byline_cases(case):
    got = parse_byline(case["line"])
    expected = (case["role"], case["reporter"]) if case["role"] else None
    assert got == expected


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        pytest.param("团结", True, id="short"),
        pytest.param("西北首个！城西区获智慧城市大奖", True, id="exclamation"),
        pytest.param("建设民生水利 汨汨清流润民心", True, id="space"),
        pytest.param("去年4月1日，西宁被确定为全国", False, id="comma-inside"),
        pytest.param("全年地区生产总值增长5.2%。", False, id="sentence"),
        pytest.param("一、2024年工作回顾", True, id="enumerated"),
    ],
)
def test_headline_shape(line, headline):
    assert looks_like_headline(line) is headline


def _report(text: str) -> Report:
    return Report(id="t", text=text)


def test_report_without_bylines_is_one_article_titled_by_headline():
    text = "西宁市政府工作报告\n\n一、过去一年工作回顾\n\n全年地区生产总值增长5%。城镇新增就业3万人。\n"
    arts = articles(_report(text))
    assert len(arts) == 1
    assert arts[0].title == "西宁市政府工作报告" and arts[0].reporter == ""
    assert len(arts[0].paragraphs) == 2


def test_report_without_headline_has_empty_title():
    arts = articles(_report("全年地区生产总值增长5%，城镇新增就业3万人。\n\n另一段。"))
    assert len(arts) == 1 and arts[0].title == "" and len(arts[0].paragraphs) == 2


def test_bylines_after_headline_open_articles():
    text = (
        "新闻一\n本报记者 张三\n第一篇正文。\n\n第二段。\n\n"
        "新闻二\n本报记者 李四\n第二篇正文，就业增长。\n"
    )
    arts = articles(_report(text))
    assert [(a.title, a.reporter, len(a.paragraphs)) for a in arts] == [
        ("新闻一", "张三", 2),
        ("新闻二", "李四", 1),
    ]


@pytest.mark.parametrize(
    ("heading", "titles"),
    [
        pytest.param("湟中区：三件实事暖民心", ["新闻一", "新闻二"], id="page-heading"),
        pytest.param("", ["新闻一", "新闻二"], id="no-heading"),
        pytest.param("湟中区专页\n\n第1期", ["新闻一", "新闻二"], id="two-heading-lines"),
    ],
)
def test_a_page_heading_over_bylined_articles_heads_none_and_is_still_read(heading, titles):
    """A district page's own heading is no article (it has no body and no byline), but its
    words stay in the report's sentences (article 0), so its places and figures are read."""
    body = "新闻一\n本报记者 张三\n第一篇正文。\n\n新闻二\n本报记者 李四\n第二篇正文。\n"
    report = _report(f"{heading}\n\n{body}" if heading else body)
    assert [a.title for a in articles(report)] == titles
    outside = [s.text for s in sentences(report) if s.article == 0]
    assert outside == [line for line in heading.split("\n") if line]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        pytest.param("本报讯(记者 王芳) 10月25日,记者获悉。", ("记者", "王芳"), id="bao-xun"),
        pytest.param(
            "新华社西宁1月3日电（记者 李明 张华）全省新增就业。",
            ("记者", "李明、张华"),
            id="agency",
        ),
        pytest.param(
            "本报讯（实习记者 文月婷 通讯员 马青）今年以来。",
            ("实习记者", "文月婷"),
            id="with-correspondent",
        ),
        pytest.param("据记者了解（详见附表），今年投资增长。", None, id="no-byline"),
        pytest.param("全市新增就业3万人（同比增长5%）。", None, id="parenthesis-not-byline"),
    ],
)
def test_inline_byline(paragraph, expected):
    assert inline_byline(paragraph) == expected


def test_report_with_inline_byline_and_colon_headline():
    text = (
        "西宁：今年前三季度GDP同比增长4.8%\n\n本报讯(记者 王芳) 10月25日,记者获悉,全市经济增长。\n"
    )
    [art] = articles(_report(text))
    assert (art.title, art.reporter, art.reporter_role) == (
        "西宁：今年前三季度GDP同比增长4.8%",
        "王芳",
        "记者",
    )


def test_sentences_have_raw_offsets_and_cross_repaired_breaks():
    report = read_report(SEED_PATH)
    found = [s for s in sentences(report) if "被确定为全国工伤保险" in s.text]
    assert len(found) == 1
    raw = report.text[found[0].start : found[0].end]
    assert raw.replace("\n", "") == found[0].text


texts = st.text(
    alphabet=st.sampled_from(list("西宁记者年，。！？“”()（）\n 12一二、张三：")), max_size=300
)


@settings(max_examples=200)
@given(texts)
def test_segmentation_never_raises_and_offsets_hold(text):
    report = _report(text)
    for art in articles(report):
        for para in art.paragraphs:
            assert "".join(text[s:e] for s, e in para.spans) == para.text
    for sent in sentences(report):
        assert 0 <= sent.start < sent.end <= len(text)


# A report that never writes 。: runs longer than SENTENCE_MAX are cut at a clause mark or a
# space, else between two characters that are not both part of a number (issue 15, item 3).
# text, the first sentence's length
LONG_RUNS = [
    ("城东区新建学校" * 200, SENTENCE_MAX),  # no clause mark: cut at the limit
    ("新增就业一万人，" * 200, SENTENCE_MAX // 8 * 8),  # after the last comma before the limit
    # not inside the number, nor just before it (a qualifier: 超过): eight characters clear
    ("x" * (SENTENCE_MAX - 1) + "1" * 600, SENTENCE_MAX - 9),
    ("人" * (SENTENCE_MAX - 100) + " " + "人" * 900, SENTENCE_MAX - 99),  # after a space
    ("短句。" * 400, 3),  # sentences that end are not touched
    # a thousands comma at the limit is no clause mark: cut clear before the number
    ("人" * (SENTENCE_MAX - 3) + "12,345人" + "人" * 400, SENTENCE_MAX - 11),
    # numerals everywhere: never between a number and its unit (3|月)
    (("2025年3月》" * 60)[: SENTENCE_MAX + 50], SENTENCE_MAX // 8 * 8 - 1),  # 月|》
]


@pytest.mark.parametrize(("text", "first"), LONG_RUNS)
def test_long_runs_are_cut_with_offsets_kept(text, first):
    report = Report(id="t", text=text)
    got = sentences(report)
    assert len(got[0].text) == first
    # longer only where a run of numerals passes the limit: it is never cut inside
    assert all(len(s.text) <= SENTENCE_MAX or s.text.endswith("1" * 600) for s in got)
    assert all(text[s.start : s.end] == s.text for s in got)
    assert "".join(s.text for s in got) == text


# An ASCII full stop ends a sentence unless a code character (ASCII letter or digit, . + -)
# follows it at once: inside a code the scanner reads as one identifier, the sentence goes on.
# text, the sentences
FULL_STOPS = [
    ("编号为c1.-的线路开通。", ["编号为c1.-的线路开通。"]),  # a code: no end
    ("访问www.xining.gov.cn了解。", ["访问www.xining.gov.cn了解。"]),  # a web address
    ("升级到v2.0版本。", ["升级到v2.0版本。"]),  # a version
    ("投资8,775.９１亿元。", ["投资8,775.９１亿元。"]),  # full-width digits after: a number
    ("PM2.5浓度下降.空气改善。", ["PM2.5浓度下降.", "空气改善。"]),  # CJK after: an end
    ("It grew. Then it fell.", ["It grew.", "Then it fell."]),  # a space after: an end
    ("共有3家.", ["共有3家."]),  # the text's end
]


@pytest.mark.parametrize(("text", "expected"), FULL_STOPS)
def test_a_full_stop_inside_a_code_ends_no_sentence(text, expected):
    got = sentences(Report(id="t", text=text))
    assert [s.text for s in got] == expected
    assert all(text[s.start : s.end] == s.text for s in got)
