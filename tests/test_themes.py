"""Article themes: the theme whose keywords weigh most, unless the article is on many things.

Cases are our own sentences: (headline, body, expected theme).
"""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xining_data.read.themes import OTHER, _points, _search, classify_theme, theme_keywords

FILLER = "会议还听取了有关情况汇报，对下一步工作作出安排。"  # no theme keyword

CASES = [
    ("零工市场开进社区", "城北区零工市场今年帮助三千名务工人员求职就业。", "employment"),
    ("", "全镇新建蓄水池两座，农村饮水和供水管网全部更新，水厂日供水能力提高。", "water"),
    ("", "各族群众共建石榴籽家园，民族团结进步创建持续深化。", "community"),
    ("", "会议部署了明年的重点工作。", OTHER),  # no keyword at all
    # a work report on many things: no theme is half of its theme words
    ("", "城镇新增就业三万人，新建社区服务站十个，水库除险加固五座，节能改造二十项。", OTHER),
    # one mention of work in a long story about something else
    ("", "奶牛存栏增加，牧场扩建。" + FILLER * 12 + "带动周边群众务工。", OTHER),
    # ... unless the headline names the theme
    (
        "牧场扩建带动务工",
        "奶牛存栏增加，牧场扩建。" + FILLER * 12 + "带动周边群众务工。",
        "employment",
    ),
]


@pytest.mark.parametrize(("title", "body", "theme"), CASES)
def test_theme_cases(title, body, theme):
    assert classify_theme(title, f"{title}\n{body}") == theme


def test_a_theme_dense_enough_keeps_its_label_however_long_the_article():
    """Density, not length: the same story told twice over is still on its theme."""
    story = "零工驿站帮助求职者就业。" + FILLER
    assert classify_theme("", story * 40) == "employment"
    sparse = "零工驿站帮助求职者就业。" + FILLER * 40
    assert classify_theme("", sparse) == OTHER


_KEYWORDS = [w for words in theme_keywords().values() for w, _weight in words]


def _counted(text: str, table: dict[str, list[tuple[str, int]]]) -> dict[str, int]:
    """Each theme's points as each keyword counted alone (``str.count``) makes them."""
    return {theme: sum(w * text.count(k) for k, w in words) for theme, words in table.items()}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_KEYWORDS, "水", "工", "民族", "的", "，"]), max_size=30))
def test_one_pass_counts_what_each_keyword_counts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _points(text) == _counted(text, theme_keywords())


def test_keywords_that_begin_or_overlap_others_are_counted_as_alone() -> None:
    """碳 begins 碳汇 (and stands here only inside it) and ends 低碳, 哈哈 overlaps itself:
    each is still counted as alone."""
    table = {"carbon": [("碳", 3), ("碳汇", 2), ("低碳", 1)], "water": [("哈哈", 1), ("哈", 1)]}
    text = "碳汇，低碳汇，哈哈哈"
    _search.cache_clear()
    try:
        with mock.patch("xining_data.read.themes.theme_keywords", lambda: table):
            assert _points(text) == _counted(text, table) == {"carbon": 11, "water": 4}
    finally:
        _search.cache_clear()


def test_an_empty_keyword_fails_loudly() -> None:
    _search.cache_clear()
    try:
        empty = {"water": [("", 1)]}
        with (
            mock.patch("xining_data.read.themes.theme_keywords", lambda: empty),
            pytest.raises(ValueError, match="empty keyword"),
        ):
            _points("供水")
    finally:
        _search.cache_clear()
