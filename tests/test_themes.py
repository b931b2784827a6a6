"""Article themes: the theme whose keywords weigh most, unless the article is on many things.

Cases are our own sentences: (headline, body, expected theme).
"""

from __future__ import annotations

import pytest

from xining_data.read.themes import OTHER, classify_theme

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
