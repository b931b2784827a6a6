"""The base font a publish cuts once: subsets cut from it are the subsets cut from the house font.

Each case is the characters of a page or a chart; the page's WOFF2 (publish.selfcontained)
and the chart's WOFF (publish.svgfont) are cut from the house font and from the base, and
must be the same bytes. Characters the base lacks are cut from the house font.
"""

from __future__ import annotations

import pytest

from xining_data.publish import fontbase
from xining_data.publish.selfcontained import subset_font
from xining_data.publish.style import font_path
from xining_data.publish.svgfont import font_subset

BASE_TEXT = "西宁市城中区城东区城西区城北区湟中区大通县湟源县人口万人亿元增长比上年：（）“”、。，—"

# (what, characters shown)
SHOWN = [
    ("a Chinese chart title", "西宁市人口：万人"),
    ("an English chart with digits", "Population (10,000) 2024: 246.8%"),
    ("a page mixing both", "城东区增长12.5%，比上年 — Xining's Chengdong District grew"),
    ("punctuation only", "（）“”、。，"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return fontbase.write_base(BASE_TEXT, tmp_path_factory.mktemp("fonts"))


@pytest.fixture
def with_base(base, monkeypatch):
    monkeypatch.setenv(fontbase.BASE_ENV, str(base))
    return base


@pytest.mark.parametrize(("what", "shown"), SHOWN, ids=[c[0] for c in SHOWN])
def test_a_subset_of_the_base_is_the_subset_of_the_house_font(what, shown, base, monkeypatch):
    monkeypatch.delenv(fontbase.BASE_ENV, raising=False)
    page, chart = subset_font(set(shown)), font_subset(shown)
    monkeypatch.setenv(fontbase.BASE_ENV, str(base))
    assert fontbase.font_source(set(shown) | set(" ")) == base
    assert subset_font(set(shown)) == page
    assert font_subset(shown) == chart


# (characters asked for, whether the base holds them all)
SOURCES = [
    ("西宁", True),
    ("abc 123", True),  # printable ASCII is always in the base
    ("西宁海东", False),  # 海 and 东 are not in BASE_TEXT
    ("€", False),
    ("", True),
]


@pytest.mark.parametrize(("characters", "in_base"), SOURCES)
def test_the_base_is_used_only_when_it_holds_every_character(characters, in_base, with_base):
    assert fontbase.font_source(characters) == (with_base if in_base else font_path())


def test_without_a_publish_the_house_font_is_used(monkeypatch):
    monkeypatch.delenv(fontbase.BASE_ENV, raising=False)
    assert fontbase.font_source("西宁") == font_path()


def test_a_base_without_its_character_list_is_not_used(tmp_path, monkeypatch):
    """A base whose sidecar was never written (a publish killed while cutting it) is ignored."""
    orphan = tmp_path / "base-x.otf"
    orphan.write_bytes(b"not a font")
    monkeypatch.setenv(fontbase.BASE_ENV, str(orphan))
    assert fontbase.font_source("西宁") == font_path()


def test_the_same_characters_reuse_the_base_already_cut(base):
    assert fontbase.write_base(BASE_TEXT, base.parent) == base
    assert set(base.with_suffix(".chars").read_text("utf-8")) == set(BASE_TEXT) | fontbase.ASCII


def test_a_base_that_cannot_be_cut_leaves_the_subsets_to_the_house_font(tmp_path, monkeypatch):
    """The base is an optimisation: when cutting it fails, the publish goes on without it."""
    from xining_data.publish import site

    def fails(*_args):
        raise OSError("font missing")

    folders = site._Folders(*(tmp_path / n for n in ("nb", "site", "fig", "build", "lib", "rep")))
    for folder in (folders.notebooks, folders.library, folders.reports):
        folder.mkdir()
    monkeypatch.setattr(fontbase, "write_base", fails)
    assert site._font_base(folders, site.PublishOptions(reports=folders.reports)) is None
    monkeypatch.undo()
    made = site._font_base(folders, site.PublishOptions(reports=folders.reports))
    assert made is not None and made.parent == folders.build / "fonts"
