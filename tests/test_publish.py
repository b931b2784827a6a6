"""Publishing: incremental, atomic, self-contained pages in two languages, from fixture notebooks.

The fixture notebooks (tests/fixtures/notebooks) are small: ``tally`` imports no
heavy module, ``chart`` draws one chart into the kit. Each test works on its own
copy of notebooks, reports and a stand-in library folder, so the real package
and the real site are never touched. The last section checks the pages of the real
stories, published once per session (the ``published`` fixture in conftest.py).
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from xining_data.base.paths import PACKAGE_DIR
from xining_data.publish import site as pub
from xining_data.publish.chartcache import Tally
from xining_data.publish.kit import check_kit, load_manifest

from conftest import SITE_PAGES, STORY_PAGES

FIXTURES = Path(__file__).parent / "fixtures"
REPORT = "001_fixture.txt"
HOMES = re.compile(r"(\d+)家")  # the fixture notebooks read the first count of 家


class Project:
    """A throw-away copy of notebooks, reports, a library folder, figures, site and build."""

    def __init__(
        self, root: Path, notebooks: tuple[str, ...], languages: tuple[str, ...] = pub.LANGUAGES
    ) -> None:
        self.root = root
        self.languages = languages
        self.notebooks = root / "notebooks"
        self.reports = root / "reports"
        self.library = root / "library"
        self.figures = root / "figures"
        self.site = root / "site"
        self.build = root / "build"
        self.notebooks.mkdir(parents=True)
        for name in notebooks:
            shutil.copy(FIXTURES / "notebooks" / f"{name}.py", self.notebooks / f"{name}.py")
        shutil.copytree(FIXTURES / "reports", self.reports)
        self.library.mkdir()
        (self.library / "module.py").write_text('"""A stand-in for the library."""\n', "utf-8")

    def publish(self, **options) -> pub.PublishResult:
        options = pub.PublishOptions(
            reports=self.reports,
            build_dir=self.build,
            library_dir=self.library,
            languages=self.languages,
            **options,
        )
        return pub.publish(self.notebooks, self.site, self.figures, options)

    def page(self, name: str) -> str:
        return (self.site / name).read_text("utf-8")

    def homes(self) -> str:
        return HOMES.search((self.reports / REPORT).read_text("utf-8")).group(1)

    def snapshot(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.site)): p.read_bytes()
            for p in sorted(self.site.rglob("*"))
            if p.is_file()
        }


@pytest.fixture(scope="module")
def charted(tmp_path_factory) -> Project:
    """Both fixture notebooks published once (the chart one fills the figure kit)."""
    project = Project(tmp_path_factory.mktemp("charted"), ("tally", "chart"))
    result = project.publish()
    assert sorted(result.rendered) == [
        "chart.en.html",
        "chart.zh.html",
        "tally.en.html",
        "tally.zh.html",
    ]
    return project


@pytest.fixture(scope="module")
def light(tmp_path_factory) -> Project:
    """Two light notebooks (tally and a copy named echo), Chinese edition only, for speed."""
    project = Project(tmp_path_factory.mktemp("light"), ("tally",), languages=("zh",))
    shutil.copy(project.notebooks / "tally.py", project.notebooks / "echo.py")
    project.publish()
    return project


def cli_args(project: Project) -> list[str]:
    args = ["--notebooks", str(project.notebooks), "--site", str(project.site)]
    args += ["--figures", str(project.figures), "--reports", str(project.reports)]
    args += ["--build", str(project.build), "--jobs", "1"]
    return args + [f"--language={language}" for language in project.languages]


# --------------------------------------------------------------------------- the pages


def test_every_notebook_is_published_in_both_languages_with_an_index(charted):
    names = sorted(p.name for p in charted.site.glob("*.html"))
    assert names == [
        "chart.en.html",
        "chart.zh.html",
        "index.html",
        "tally.en.html",
        "tally.zh.html",
    ]
    index = charted.page("index.html")
    for name in names:
        if name != "index.html":
            assert f'href="{name}"' in index


def test_masthead_and_footer_come_from_the_notebook(charted):
    homes = charted.homes()
    zh, en = charted.page("tally.zh.html"), charted.page("tally.en.html")
    assert re.search(rf'<h1 class="xd-headline">[^<]*{homes}[^<]*</h1>', zh)
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    assert "测试记者" in zh and "Test reporter" in en  # static metadata, per language
    assert 'datetime="2025-01-15"' in zh
    assert '<a href="https://www.stats.gov.cn/"' in zh  # a cited source links out
    assert 'href="tally.en.html"' in zh and 'href="tally.zh.html"' in en


def test_each_edition_keeps_only_its_language_and_hides_code(charted):
    zh, en = charted.page("tally.zh.html"), charted.page("tally.en.html")
    assert "<h2>石榴籽家园</h2>" in zh and "Pomegranate-seed homes" not in zh
    assert "<h2>Pomegranate-seed homes</h2>" in en and "<h2>石榴籽家园</h2>" not in en
    for page in (zh, en):
        assert "story_meta(" not in page and "reports_dir = None" not in page
        assert "In&nbsp;[" not in page and "story: " not in page  # the metadata output


def test_sentences_are_computed_from_the_report(charted):
    homes = charted.homes()
    assert f"<strong>{homes}</strong>" in charted.page("tally.zh.html")


@pytest.mark.parametrize(
    "page", ["tally.zh.html", "tally.en.html", "chart.zh.html", "chart.en.html", "index.html"]
)
def test_pages_load_nothing_from_elsewhere(charted, page):
    assert_loads_nothing(charted.page(page), page)


def test_chart_images_are_inline_with_alt_text(charted):
    images = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                images.append(dict(attrs))

    Images().feed(charted.page("chart.zh.html"))
    alts = {c["alt"] for c in load_manifest(charted.figures)["charts"] if c["language"] == "zh"}
    assert images and all(i["src"].startswith("data:image/png;base64,") for i in images)
    assert {i.get("alt") for i in images} == alts


def assert_font_covers_the_page(html: str) -> None:
    """The embedded font has a glyph for every Chinese character of the page, and is a subset."""
    data = re.search(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", html).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    cmap = font.getBestCmap()
    text = re.sub(r"<[^>]+>", "", html)
    han = {c for c in text if "\u4e00" <= c <= "\u9fff"}
    assert han, "the page has Chinese text"
    assert {c for c in han if ord(c) not in cmap} == set()
    assert len(cmap) < 3000, "the font is a subset, not the whole CJK font"


def assert_loads_nothing(html: str, page: str) -> None:
    """No external reference (the index may link the kit's files next to it), no script."""
    assert pub.external_resources(html, allow_relative=page == "index.html") == []
    lowered = html.lower()
    for needle in ("<script", "mathjax", "require.js", "cdnjs", "@import", "fonts.googleapis"):
        assert needle not in lowered, needle
    assert "url(data:font/woff2;base64," in html


@pytest.mark.parametrize("page", ["tally.zh.html", "chart.zh.html", "index.html"])
def test_embedded_font_covers_every_character_of_the_page(charted, page):
    assert_font_covers_the_page(charted.page(page))


def test_figure_kit_is_copied_into_the_site_and_sound(charted):
    assert check_kit(charted.figures) == []
    assert check_kit(charted.site / "figures") == []
    manifest = load_manifest(charted.site / "figures")
    assert {(c["slug"], c["language"]) for c in manifest["charts"]} == {
        ("fixture-homes", "zh"),
        ("fixture-homes", "en"),
    }
    index = charted.page("index.html")
    for chart in manifest["charts"]:
        for record in chart["files"]:
            assert f'href="figures/{record["path"]}"' in index
    assert (charted.site / "figures" / "manifest.schema.json").is_file()


def test_second_run_with_nothing_changed_does_no_work(charted):
    before = charted.snapshot()
    result = charted.publish()
    assert result.changed is False and result.rendered == ()
    assert charted.snapshot() == before


def test_a_forced_publish_reuses_the_unchanged_charts_byte_for_byte(charted):
    kit = {p: p.read_bytes() for p in sorted(charted.figures.rglob("*")) if p.is_file()}
    result = charted.publish(force=True)
    assert len(result.rendered) == 4
    assert result.charts == Tally(drawn=0, reused=2)  # the chart, in each edition
    assert {p: p.read_bytes() for p in sorted(charted.figures.rglob("*")) if p.is_file()} == kit
    assert list((charted.build / "chart-cache").glob("*/*.json"))


def test_a_changed_report_changes_the_sentence_and_the_chart_data(charted):
    report = charted.reports / REPORT
    old = charted.homes()
    new = str(int(old) + 1)
    report.write_text(report.read_text("utf-8").replace(f"{old}家", f"{new}家", 1), "utf-8")
    result = charted.publish()
    assert sorted(result.rendered) == [
        "chart.en.html",
        "chart.zh.html",
        "tally.en.html",
        "tally.zh.html",
    ]
    assert f"<strong>{new}</strong>" in charted.page("tally.zh.html")
    assert result.charts == Tally(drawn=2, reused=0)  # its data changed: drawn again
    csv = pd.read_csv(charted.site / "figures" / "community" / "fixture-homes.csv")
    assert csv["homes"].iloc[0] == int(new)
    assert check_kit(charted.site / "figures") == []


# --------------------------------------------------------------------------- incremental


def restore_echo(project: Project) -> None:
    """Tests share the light project: put back the second notebook if a test removed it."""
    echo = project.notebooks / "echo.py"
    if not echo.exists():
        shutil.copy(project.notebooks / "tally.py", echo)
        project.publish()


def test_a_changed_notebook_renders_only_its_pages(light):
    restore_echo(light)
    path = light.notebooks / "tally.py"
    path.write_text(path.read_text("utf-8") + "\n# %%\nprint('更新')\n", "utf-8")
    result = light.publish()
    assert result.rendered == ("tally.zh.html",)
    assert result.unchanged == ("echo.zh.html",)
    assert "更新" in light.page("tally.zh.html")
    assert light.publish().changed is False


def test_a_changed_library_renders_everything(light):
    restore_echo(light)
    module = light.library / "module.py"
    module.write_text(module.read_text("utf-8") + "VALUE = 2\n", "utf-8")
    result = light.publish()
    assert sorted(result.rendered) == ["echo.zh.html", "tally.zh.html"]


def test_a_removed_notebook_leaves_the_site(light):
    restore_echo(light)
    (light.notebooks / "echo.py").unlink()
    result = light.publish()
    assert result.changed and result.rendered == ()
    assert not (light.site / "echo.zh.html").exists()
    assert 'href="echo.zh.html"' not in light.page("index.html")


def test_library_inputs_include_the_package_and_its_templates():
    files = {p.relative_to(PACKAGE_DIR).as_posix() for p in pub._tree(PACKAGE_DIR)}
    assert {"publish/site.py", "publish/kit.py", "templates/story/index.html.j2"} <= files
    assert not any("__pycache__" in f or f.endswith(".pyc") for f in files)


HEAVY = ("pandas", "numpy", "matplotlib", "IPython", "jinja2", "nbconvert", "nbformat",
         "jupytext", "papermill", "jupyter_client", "fontTools")  # fmt: skip


def test_the_orchestration_path_imports_no_heavy_module():
    """A publish with nothing to do must start fast: the modules it loads (publish, pages,
    storymeta, selfcontained, siteindex, editions, kit) import heavy libraries only when used."""
    code = (
        "import sys, xining_data.cli, xining_data.publish.site\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded == []


# --------------------------------------------------------------------------- failure


def test_a_failing_notebook_leaves_the_site_and_names_the_cell(light, capsys):
    light.publish()
    before = light.snapshot()
    broken = light.notebooks / "broken.py"
    source = (light.notebooks / "tally.py").read_text("utf-8")
    broken.write_text(source + '\n# %%\nraise ValueError("fixture failure")\n', "utf-8")
    line = len(broken.read_text("utf-8").splitlines())
    try:
        with pytest.raises(pub.PublishError) as caught:
            light.publish(jobs=1)
        message = str(caught.value)
        assert "\n" not in message
        assert str(broken) in message
        assert f"(line {line})" in message and "ValueError: fixture failure" in message
        assert re.search(r"cell \d+", message)
        assert light.snapshot() == before
        assert not list(light.root.glob(".site.tmp-*")) and not list(light.root.glob(".site.old*"))

        status = pub.main_publish(cli_args(light))
        assert status == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err[-1].startswith("xining-data: publish failed: ") and "broken.py" in err[-1]
        assert light.snapshot() == before
    finally:
        broken.unlink()


# --------------------------------------------------------------------------- crashes


def kit_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder (the kit or the site) but its lock files, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def leftovers(project: Project) -> list[str]:
    """Temporary or set-aside folders beside the site and the kit."""
    return sorted(p.name for p in project.root.glob(".*") if ".tmp-" in p.name or ".old" in p.name)


def bump_homes(project: Project) -> str:
    """Change the report's first count (every page is stale), returning the new count."""
    report = project.reports / REPORT
    old = project.homes()
    new = str(int(old) + 1)
    report.write_text(report.read_text("utf-8").replace(f"{old}家", f"{new}家", 1), "utf-8")
    return new


FAILING_CELL = '\n# %%\nraise ValueError("fixture failure")\n'
# Runs after chart.py (pages render in name order): tells the test it started, then hangs.
HANGING_CELL = '\n# %%\nimport pathlib, time\npathlib.Path("started").touch()\ntime.sleep(600)\n'


@pytest.fixture
def kit_project(tmp_path) -> Project:
    """The chart notebook published once, Chinese edition only; the kit holds its chart."""
    project = Project(tmp_path, ("chart",), languages=("zh",))
    (project.figures).mkdir()
    (project.figures / "README.md").write_text("the kit's own notes\n", "utf-8")
    project.publish(jobs=1)
    assert check_kit(project.figures) == [] and load_manifest(project.figures)["charts"]
    return project


def test_a_failed_publish_leaves_the_kit_as_it_was(kit_project):
    """The chart notebook writes its new chart, a later notebook fails: the kit is untouched."""
    before_kit, before_site = kit_snapshot(kit_project.figures), kit_project.snapshot()
    new = bump_homes(kit_project)
    source = (kit_project.notebooks / "chart.py").read_text("utf-8")
    (kit_project.notebooks / "zz_broken.py").write_text(source + FAILING_CELL, "utf-8")
    with pytest.raises(pub.PublishError):
        kit_project.publish(jobs=1)
    assert kit_snapshot(kit_project.figures) == before_kit
    assert kit_project.snapshot() == before_site
    assert leftovers(kit_project) == []

    (kit_project.notebooks / "zz_broken.py").unlink()
    kit_project.publish(jobs=1)
    csv = pd.read_csv(kit_project.figures / "community" / "fixture-homes.csv")
    assert csv["homes"].iloc[0] == int(new)
    assert check_kit(kit_project.figures) == []
    assert (kit_project.figures / "README.md").read_text("utf-8") == "the kit's own notes\n"
    assert kit_snapshot(kit_project.site / "figures") == {
        k: v for k, v in kit_snapshot(kit_project.figures).items() if k != "README.md"
    } | {
        "manifest.schema.json": (kit_project.site / "figures" / "manifest.schema.json").read_bytes()
    }


def test_a_publish_killed_half_way_leaves_site_and_kit_and_the_next_run_cleans_up(kit_project):
    """kill -9 while a notebook runs (after the chart was redrawn): site and kit are the old
    ones; the next publish removes the temporary folders and publishes the new data."""
    import os
    import signal
    import time

    before_kit, before_site = kit_snapshot(kit_project.figures), kit_project.snapshot()
    new = bump_homes(kit_project)
    hanging = kit_project.notebooks / "zz_hangs.py"
    hanging.write_text((kit_project.notebooks / "chart.py").read_text("utf-8") + HANGING_CELL)
    started = kit_project.notebooks / "started"
    command = [sys.executable, "-m", "xining_data", "publish", *cli_args(kit_project), "-q"]
    process = subprocess.Popen(command, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not started.exists():
            assert process.poll() is None, "the publish ended before the hanging notebook ran"
            assert time.monotonic() < deadline, "the hanging notebook never started"
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the publisher and its kernels
        process.wait()
    assert kit_snapshot(kit_project.figures) == before_kit
    assert kit_project.snapshot() == before_site
    assert leftovers(kit_project)  # what the killed run left: its temporary site and kit

    hanging.unlink()
    kit_project.publish(jobs=1)
    assert leftovers(kit_project) == []
    assert not list((kit_project.build / "executed").glob("*.input.ipynb"))
    csv = pd.read_csv(kit_project.figures / "community" / "fixture-homes.csv")
    assert csv["homes"].iloc[0] == int(new)


# what a publish killed between two renames left: folders set aside (the site, the kit)
RENAME_WINDOWS = [
    pytest.param(("site",), id="between-the-site-renames"),
    pytest.param(("figures",), id="between-the-kit-renames"),
    pytest.param(("site", "figures"), id="both-set-aside"),
]


@pytest.mark.parametrize("aside", RENAME_WINDOWS)
def test_a_publish_killed_between_renames_is_recovered_by_the_next(kit_project, aside):
    before = {"site": kit_project.snapshot(), "figures": kit_snapshot(kit_project.figures)}
    for name in aside:
        folder = kit_project.root / name
        folder.rename(kit_project.root / f".{name}.old")
        shutil.copytree(folder.with_name(f".{name}.old"), kit_project.root / f".{name}.tmp-dead")
    (kit_project.build / ".publish-state.json.x1.tmp").write_text("half", "utf-8")
    kit_project.publish(jobs=1)
    assert kit_project.snapshot() == before["site"]
    assert kit_snapshot(kit_project.figures) == before["figures"]
    assert leftovers(kit_project) == []
    assert not list(kit_project.build.glob(".*.tmp"))


def test_missing_reports_folder_is_one_line_error(light, tmp_path, capsys):
    status = pub.main_publish(
        ["--notebooks", str(light.notebooks), "--reports", str(tmp_path / "no")]
    )
    assert status == 1
    assert "no such folder of reports" in capsys.readouterr().err


def test_cli_force_then_nothing_changed(light, capsys, monkeypatch):
    monkeypatch.setattr(pub, "PACKAGE_DIR", light.library)  # the library the CLI hashes
    assert pub.main_publish([*cli_args(light), "--force"]) == 0
    pages = len(list(light.notebooks.glob("*.py")))
    said = capsys.readouterr().err
    assert f"published {pages} page(s), kept 0" in said
    assert "charts: 0 drawn, 0 reused" in said.splitlines()[-1]  # the tally notebook draws none
    assert pub.main_publish(cli_args(light)) == 0
    assert "nothing changed" in capsys.readouterr().err.splitlines()[-1]


# --------------------------------------------------------------------------- the real stories


@pytest.mark.notebook
def test_real_stories_are_published_in_both_languages_with_an_index(published):
    assert sorted(published.result.rendered) == sorted(STORY_PAGES)
    assert sorted(p.name for p in published.site.glob("*.html")) == sorted(SITE_PAGES)
    index = (published.site / "index.html").read_text("utf-8")
    for page in STORY_PAGES:
        assert f'href="{page}"' in index
    assert not list(published.site.parent.glob(".site.tmp-*"))


@pytest.mark.notebook
@pytest.mark.parametrize("page", SITE_PAGES)
def test_real_pages_are_self_contained(published, page):
    """The HTML of every real page references nothing elsewhere, embeds a font that draws all
    its Chinese, and (a story) links each citation to its ledger entry."""
    html = (published.site / page).read_text("utf-8")
    assert_loads_nothing(html, page)
    assert_font_covers_the_page(html)
    if page != "index.html":
        cited = set(re.findall(r'href="#ledger-(\d+)"', html))
        anchors = set(re.findall(r'id="ledger-(\d+)"', html))
        assert cited, "the story cites no figure"
        assert cited <= anchors, f"citations without a ledger entry: {sorted(cited - anchors)}"
        assert "In&nbsp;[" not in html and "reports_dir = None" not in html, "code is hidden"


# --------------------------------------------------------------------------- self-contained check


RESOURCES = [
    pytest.param('<img src="data:image/png;base64,AAAA">', False, [], id="data-image"),
    pytest.param('<a href="https://example.org/">source</a>', False, [], id="link-is-not-a-load"),
    pytest.param('<a href="#ledger">ledger</a>', False, [], id="fragment"),
    pytest.param("<script>alert(1)</script>", False, ["<script>"], id="inline-script"),
    pytest.param(
        '<script src="https://cdn.example/x.js"></script>',
        False,
        ["<script>", "<script src>=https://cdn.example/x.js"],
        id="cdn-script",
    ),
    pytest.param(
        '<link rel="stylesheet" href="https://fonts.example/css">',
        False,
        ["<link href>=https://fonts.example/css"],
        id="stylesheet",
    ),
    pytest.param(
        "<style>@import url(https://fonts.example/a.css);</style>",
        False,
        ["<style>=https://fonts.example/a.css", "<style>=https://fonts.example/a.css"],
        id="css-import",
    ),
    pytest.param(
        "<style>@font-face{src:url(//fonts.example/a.woff2)}</style>",
        False,
        ["<style>=//fonts.example/a.woff2"],
        id="protocol-relative-font",
    ),
    pytest.param(
        '<div style="background:url(http://x.example/p.png)"></div>',
        False,
        ["<div style>=http://x.example/p.png"],
        id="style-attribute",
    ),
    pytest.param('<img src="figures/a.png">', False, ["<img src>=figures/a.png"], id="relative"),
    pytest.param('<img src="figures/a.png">', True, [], id="relative-allowed-on-index"),
    pytest.param('<img src="file:///etc/a.png">', True, ["<img src>=file:///etc/a.png"], id="file"),
    pytest.param(
        '<img srcset="data:image/png;base64,AA 1x, https://x.example/b.png 2x">',
        False,
        ["<img srcset>=https://x.example/b.png"],
        id="srcset",
    ),
    pytest.param(
        '<svg><image href="https://x.example/i.png"/></svg>',
        False,
        ["<image href>=https://x.example/i.png"],
        id="svg-image",
    ),
    pytest.param(
        '<iframe src="https://x.example/"></iframe>',
        False,
        ["<iframe src>=https://x.example/"],
        id="iframe",
    ),
]


@pytest.mark.parametrize(("html", "relative", "expected"), RESOURCES)
def test_external_resources(html, relative, expected):
    assert pub.external_resources(html, allow_relative=relative) == expected


def test_story_metadata_output_is_a_custom_mime_bundle():
    import IPython.display

    shown = []
    original = IPython.display.display
    IPython.display.display = lambda obj, **kw: shown.append((obj, kw))
    try:
        pub.story_meta(headline="标题", dek="", sources=["来源"], order=2)
    finally:
        IPython.display.display = original
    bundle, options = shown[0]
    assert options == {"raw": True}
    assert bundle[pub.STORY_MIME] == {"headline": "标题", "sources": ["来源"], "order": 2}
    json.dumps(bundle)


@pytest.mark.parametrize(
    ("failures", "message", "calls", "raises"),
    [
        pytest.param(1, "Kernel died before replying to kernel_info", 2, False, id="start-retried"),
        pytest.param(1, "Address already in use", 2, False, id="port-race-retried"),
        pytest.param(2, "Kernel died before replying to kernel_info", 2, True, id="twice-raises"),
        pytest.param(1, "cell failed: ZeroDivisionError", 1, True, id="cell-not-retried"),
    ],
)
def test_kernel_start_failures_are_retried_once(failures, message, calls, raises):
    from xining_data.publish.kernel import with_kernel_retry as _with_kernel_retry

    seen = []

    def run():
        seen.append(1)
        if len(seen) <= failures:
            raise RuntimeError(message)
        return "ok"

    if raises:
        with pytest.raises(RuntimeError, match=message.split(":")[0]):
            _with_kernel_retry(run)
    else:
        assert _with_kernel_retry(run) == "ok"
    assert len(seen) == calls


def test_the_same_notebook_gives_the_same_page_cells_and_stamp(monkeypatch):
    """Reproducible pages: cell ids do not depend on the run, and the colophon's time is
    ``$SOURCE_DATE_EPOCH`` when set."""
    import nbformat

    from xining_data.publish.pages import page_notebook
    from xining_data.stories.storymeta import build_stamp

    def notebook():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("text"), nbformat.v4.new_markdown_cell("more")]
        return nb

    first, second = page_notebook(notebook(), "zh", "h"), page_notebook(notebook(), "zh", "h")
    assert notebook().cells[0]["id"] != notebook().cells[0]["id"]  # nbformat draws them at random
    assert [c["id"] for c in first.cells] == [c["id"] for c in second.cells]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build_stamp() == "1970-01-02 00:00 UTC"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a time")
    assert build_stamp().endswith(" UTC") and not build_stamp().startswith("1970")
