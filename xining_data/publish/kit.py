"""The figure kit: every chart of the stories as PNG (2x), SVG and the CSV of what it draws.

Reporters reuse the charts, so each one is written under ``figures/<theme>/`` with
its text (title, subtitle, source line, credit, alt text, units) and the size and
sha256 of each file in ``figures/manifest.json``. The manifest follows
``data/schemas/manifest.schema.json`` and is validated on every write.

File names: ``<slug>.png|svg|csv`` for the Chinese edition (the report's own
language) and ``<slug>.<language>.png|svg|csv`` for any other, so the two
editions of a story never overwrite each other's charts.

``publish`` points notebooks at the kit it is building through the environment
variable ``XINING_DATA_FIGURES`` (see :func:`figures_dir`). A notebook run anywhere else
(JupyterLab) writes its charts to the scratch kit ``build/lab-figures/``
(:func:`writing_dir`): the published kit changes only when ``publish`` runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xining_data.base.files import (
    file_lock,
    sha256_file,
    write_bytes_atomic,
    write_text_atomic,
)
from xining_data.base.paths import (  # noqa: F401 (re-exported)
    BUILD_DIR,
    FIGURES_DIR,
    FIGURES_ENV,
    SCHEMAS_DIR,
    figures_dir,
)
from xining_data.base.spreadsheet import for_spreadsheet
from xining_data.stories.editions import label

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = SCHEMAS_DIR / "manifest.schema.json"
SCHEMA_VERSION = 1
LAB_FIGURES_DIR = BUILD_DIR / "lab-figures"  # where a notebook run outside publish writes
KIT_LICENCE = label("kit_licence", "en")
# Columns a chart computes only to draw (a year placed mid-year on a timeline): not data, so
# not in the kit's CSV, which keeps the dates as the reports wrote them.
DRAWING_ONLY = ("when",)
# Where every row of a kit CSV comes from: the report and the figure's offsets in its text.
SOURCE_COLUMNS = ("report", "start", "end")
PRIMARY_LANGUAGE = "zh"
FORMATS = ("png", "svg", "csv")
PNG_SCALE = 2  # "2x": twice the figure's own dpi

# Artists the kit adds to a figure carry these gids, so a second save replaces them.
_KIT_GIDS = ("xd-title", "xd-subtitle", "xd-source")
_TITLE_SIZE = 14
_SUBTITLE_SIZE = 10.5
_SOURCE_SIZE = 8


def chart_stem(slug: str, language: str) -> str:
    """File name without extension: the slug, plus ``.<language>`` outside the primary language."""
    return slug if language == PRIMARY_LANGUAGE else f"{slug}.{language}"


@dataclass(frozen=True, kw_only=True)
class ChartSpec:
    """What the kit records of a chart besides its files: where it goes and the words on it.

    The fields, in this order, are the chart's manifest entry (before its files);
    title, source and alt text must not be empty.
    """

    theme: str
    slug: str
    language: str = PRIMARY_LANGUAGE
    title: str
    subtitle: str = ""
    source: str
    credit: str
    alt: str
    units: str = ""

    def __post_init__(self) -> None:
        for key in ("title", "source", "alt"):
            if not str(getattr(self, key)).strip():
                raise ValueError(f"chart {self.name}: {key} must not be empty")

    @property
    def name(self) -> str:
        return f"{self.theme}/{self.slug}"

    @property
    def stem(self) -> str:
        return chart_stem(self.slug, self.language)


def writing_dir() -> Path:
    """Where a chart is written: the kit ``publish`` builds (``$XINING_DATA_FIGURES``), else
    the scratch kit of a notebook run in JupyterLab, never the published ``figures/``."""
    import os

    override = os.environ.get(FIGURES_ENV)
    return Path(override).expanduser() if override else LAB_FIGURES_DIR


def save_chart(
    fig: Figure,
    data: pd.DataFrame,
    chart: ChartSpec,
    out_dir: str | Path | None = None,
    sources: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Write one chart into the kit and record it in the manifest; return its manifest entry.

    The title, subtitle and source line (with the credit) are drawn on the figure
    itself, so the chart carries them wherever it goes; do not set a title on the
    figure as well. ``data`` must be exactly the data drawn: bar heights that are
    not in it raise ValueError. The CSV is :func:`kit_table`: the data with its unit and the
    source of each row (``sources``: the figure rows drawn).
    """
    out = Path(out_dir) if out_dir is not None else writing_dir()
    _check_data_drawn(fig, data, chart.name)
    table = kit_table(data, chart.units, sources)
    annotate(fig, title=chart.title, subtitle=chart.subtitle, source=chart.source,
             credit=chart.credit)  # fmt: skip
    entry: dict[str, Any] = {**asdict(chart), "files": []}
    folder = out / chart.theme
    folder.mkdir(parents=True, exist_ok=True)
    files = _chart_files(fig, table, chart)
    for fmt in FORMATS:
        path = folder / f"{chart.stem}.{fmt}"
        write_bytes_atomic(path, files[fmt])
        entry["files"].append(_file_record(path, out))
    _update_manifest(out, entry)
    return entry


def _chart_files(fig: Figure, table: pd.DataFrame, chart: ChartSpec) -> dict[str, bytes]:
    """The chart's files by format: the CSV of the data drawn, and the PNG and SVG drawn, or
    under ``publish`` reused when nothing they are made from changed (:mod:`.chartcache`,
    keyed by the SVG before its font is embedded: what the chart shows)."""
    from xining_data.publish import chartcache, style, svgfont
    from xining_data.publish.style import font_family
    from xining_data.publish.svgfont import embed_font

    csv = _csv_text(table)
    svg = _svg_text(fig, salt=f"{chart.theme}/{chart.stem}")
    key = chartcache.chart_key(chart=asdict(chart), csv=csv, svg=svg,
                               size=tuple(fig.get_size_inches()), dpi=fig.dpi,
                               code=(__file__, svgfont.__file__, style.__file__))  # fmt: skip
    drawn = chartcache.chart_files(
        key, lambda: {"png": _png_bytes(fig), "svg": embed_font(svg, font_family()).encode()}
    )
    return {"csv": csv.encode("utf-8"), **drawn}


def show_chart(fig: Figure, alt: str) -> None:
    """Show a chart in the notebook as a 2x PNG carrying its alt text, then close the figure.

    The published page keeps the alt text on the image; closing the figure stops
    the inline backend from showing it a second time without one.
    """
    import base64
    import io

    import matplotlib.pyplot as plt
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi * PNG_SCALE, bbox_inches="tight", pad_inches=0.2)
    png = buffer.getvalue()
    display(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
        metadata={"image/png": {"alt": alt, "width": display_width(png)}},
        raw=True,
    )
    plt.close(fig)


def display_width(png: bytes) -> int:
    """The width to show a kit PNG at: its pixel width (the IHDR header) at 1x, not 2x."""
    return int.from_bytes(png[16:20], "big") // PNG_SCALE


def annotate(fig: Figure, *, title: str, subtitle: str, source: str, credit: str) -> None:
    """Draw title and subtitle above everything on the figure, and the source line below it."""
    for text in list(fig.texts):
        if text.get_gid() in _KIT_GIDS:
            text.remove()
    renderer = fig.canvas.get_renderer()
    width_in, height_in = fig.get_size_inches()
    box = fig.get_tightbbox(renderer)  # inches, everything drawn so far
    left = box.x0 / width_in
    width_pt = (box.x1 - box.x0) * 72
    gap = 0.08 / height_in

    y = box.y1 / height_in + gap
    for gid, text, size, color in (
        ("xd-subtitle", subtitle, _SUBTITLE_SIZE, "#555555"),
        ("xd-title", title, _TITLE_SIZE, "#111111"),
    ):
        if not text:
            continue
        artist = fig.text(
            left, y, _wrap(text, width_pt, size), gid=gid, fontsize=size, color=color,
            ha="left", va="bottom", linespacing=1.25,
        )  # fmt: skip
        extent = artist.get_window_extent(renderer)
        y += extent.height / fig.dpi / height_in + gap * 0.5

    line = source if not credit else f"{source}\n{credit}"
    fig.text(
        left, box.y0 / height_in - gap, _wrap(line, width_pt, _SOURCE_SIZE), gid="xd-source",
        fontsize=_SOURCE_SIZE, color="#666666", ha="left", va="top", linespacing=1.3,
    )  # fmt: skip


# A word (a run of letters, digits and their punctuation, with the spaces after it), or one
# wide character: the pieces a line breaks between, so a line never breaks inside a word.
_PIECE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+|.", re.S)


def _text_width(text: str, size: float) -> float:
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56) for c in text)


def _wrap(text: str, width_pt: float, size: float) -> str:
    """Break text to a width in points, between words and between Chinese characters (which
    have no spaces), never inside a word unless the word alone is wider than a line."""
    limit = max(width_pt, 12 * size)
    lines = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for piece in _PIECE.findall(paragraph):
            if current.strip() and _text_width((current + piece).rstrip(), size) > limit:
                lines.append(current.rstrip())
                current = piece.lstrip()
            else:
                current += piece
            while _text_width(current.rstrip(), size) > limit and len(current.rstrip()) > 1:
                cut = _fit(current, limit, size)  # a word wider than a line (an address)
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current.rstrip())
    return "\n".join(lines)


def _fit(text: str, limit: float, size: float) -> int:
    """How many characters of ``text`` fit in ``limit`` points (at least one)."""
    used = 0.0
    for i, char in enumerate(text):
        used += _text_width(char, size)
        if used > limit:
            return max(i, 1)
    return len(text)


def _check_data_drawn(fig: Figure, data: pd.DataFrame, name: str) -> None:
    """Refuse a CSV that does not hold the bar values the chart draws."""
    if data is None or len(data.columns) == 0:
        raise ValueError(f"chart {name}: the data drawn is empty")
    table = _index_as_column(data)
    numbers = []
    for value in table.to_numpy(dtype=object).ravel():
        with contextlib.suppress(TypeError, ValueError):
            number = float(value)
            if math.isfinite(number):
                numbers.append(number)
    missing = []
    for ax in fig.axes:
        for container in ax.containers:
            for value in getattr(container, "datavalues", ()):
                number = float(value)
                if math.isfinite(number) and not any(
                    math.isclose(number, n, rel_tol=1e-9, abs_tol=1e-12) for n in numbers
                ):
                    missing.append(number)
    if missing:
        raise ValueError(f"chart {name}: bars draw {missing[:5]}, which are not in the data given")


def _keeps_index(data: pd.DataFrame) -> bool:
    """Write the index only when it carries information: a named index, or unnamed labels;
    never unnamed row numbers (a 0..n-1 range, or the numbers a filter leaves)."""
    import pandas as pd

    return data.index.name is not None or not pd.api.types.is_integer_dtype(data.index)


def _index_as_column(data: pd.DataFrame) -> pd.DataFrame:
    """The data with an informative index as a column (named ``label`` when unnamed) and row
    numbers dropped."""
    if not _keeps_index(data):
        return data.reset_index(drop=True)
    return data.rename_axis(data.index.name or "label").reset_index()


def kit_table(
    data: pd.DataFrame, units: str = "", sources: Iterable[Mapping[str, Any]] = ()
) -> pd.DataFrame:
    """The data a chart draws as the kit's CSV gives it: no index column (a meaningful index
    becomes a column), no column computed only to draw, a ``unit`` column, and the source of
    each row (``report``, ``start``, ``end``): from the data when it has them, else from the
    figure rows drawn, one per data row, or all of them on every row (joined by ';'); a
    context fact drawn gives its cited ``source``."""
    table = _index_as_column(data)
    table = table.drop(columns=[c for c in DRAWING_ONLY if c in table.columns])
    if "unit" not in table.columns and "units" not in table.columns:
        table["unit"] = units
    cited = [r for r in sources if str(r.get("report", "") or "") and "fact" not in r]
    facts = [str(r.get("source", "")) for r in sources if "fact" in r]
    missing = [c for c in SOURCE_COLUMNS if c not in table.columns]
    if facts and "source" not in table.columns:  # a context fact: its cited source
        table["source"] = ";".join(dict.fromkeys(facts))
    if missing and cited:
        per_row = len(cited) == len(table)
        for column in missing:
            values = [str(int(r[column]) if column != "report" else r[column]) for r in cited]
            table[column] = values if per_row else ";".join(dict.fromkeys(values))
    return table


def _csv_text(data: pd.DataFrame) -> str:
    """The data drawn as CSV, its labels safe to open in a spreadsheet (numbers stay numbers)."""
    table = for_spreadsheet(_index_as_column(data))
    return table.to_csv(index=False, lineterminator="\n")


def _png_bytes(fig: Figure) -> bytes:
    """The chart as PNG at twice the figure's resolution, with no date or software stamp."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.2,
                dpi=fig.dpi * PNG_SCALE, metadata={"Software": None})  # fmt: skip
    return buffer.getvalue()


def _svg_text(fig: Figure, salt: str) -> str:
    """The chart as SVG without its font: deterministic (no date, ids stable under ``salt``) so
    an unchanged chart keeps its sha256; its text stays text, for :func:`.svgfont.embed_font`
    to give the house font as a subset."""
    import matplotlib as mpl

    from xining_data.publish.svgfont import SVG_SETTINGS

    buffer = io.StringIO()
    with mpl.rc_context({**SVG_SETTINGS, "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.2,
                    metadata={"Date": None, "Creator": None})  # fmt: skip
    return buffer.getvalue()


def _file_record(path: Path, root: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(root).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """What the kit records of a data table (every figure of a theme, say): where it goes,
    what it holds and where its rows come from."""

    theme: str
    slug: str
    language: str = PRIMARY_LANGUAGE
    title: str
    source: str
    credit: str

    def __post_init__(self) -> None:
        for key in ("title", "source"):
            if not str(getattr(self, key)).strip():
                raise ValueError(f"table {self.theme}/{self.slug}: {key} must not be empty")


def save_table(data: pd.DataFrame, table: TableSpec, out_dir: str | Path | None = None) -> dict:
    """Write a data table into the kit as CSV (cells a spreadsheet would run as formulas
    neutralised) and record it in the manifest; return its entry."""
    out = Path(out_dir) if out_dir is not None else writing_dir()
    folder = out / table.theme
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chart_stem(table.slug, table.language)}.csv"
    write_text_atomic(path, _csv_text(data))
    entry = {**asdict(table), "files": [_file_record(path, out)]}
    _update_manifest(out, entry, kind="tables")
    return entry


def _update_manifest(folder: Path, entry: dict[str, Any], kind: str = "charts") -> None:
    """Record a chart (or, with ``kind="tables"``, a data table) in the manifest."""
    key = (entry["theme"], entry["slug"], entry["language"])
    # Two kernels may save charts at once: serialise the manifest's read-modify-write.
    with file_lock(folder / ".manifest.lock"):
        manifest = load_manifest(folder)
        items = [c for c in manifest.get(kind, []) if (c["theme"], c["slug"], c["language"]) != key]
        items.append(entry)
        items.sort(key=lambda c: (c["theme"], c["slug"], c["language"]))
        manifest = {**manifest, "schema_version": SCHEMA_VERSION, "licence": KIT_LICENCE,
                    kind: items}  # fmt: skip
        validate_manifest(manifest)
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        write_text_atomic(folder / MANIFEST_NAME, text)


def load_manifest(folder: str | Path | None = None) -> dict[str, Any]:
    """The kit's manifest (an empty one when no chart has been written yet)."""
    path = Path(folder if folder is not None else figures_dir()) / MANIFEST_NAME
    if not path.exists():
        return {"schema_version": SCHEMA_VERSION, "charts": []}
    return json.loads(path.read_text("utf-8"))


def manifest_schema() -> dict[str, Any]:
    return json.loads(MANIFEST_SCHEMA.read_text("utf-8"))


def validate_manifest(manifest: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when the manifest breaks its schema."""
    import jsonschema

    jsonschema.validate(manifest, manifest_schema())


def check_kit(folder: str | Path | None = None) -> list[str]:
    """Every problem of the kit, one line each (an empty list when the kit is sound).

    Checks the schema, that every listed file exists with its recorded size and
    sha256, that each chart has its PNG, SVG and CSV, non-empty alt text, and a
    CSV that reads back as a table with at least one column.
    """
    import jsonschema

    root = Path(folder if folder is not None else figures_dir())
    manifest = load_manifest(root)
    try:
        validate_manifest(manifest)
    except jsonschema.ValidationError as exc:
        return [f"{root / MANIFEST_NAME}: schema: {exc.message}"]
    problems = [problem for chart in manifest["charts"] for problem in _chart_problems(root, chart)]
    for table in manifest.get("tables", []):
        name = f"{table['theme']}/{table['slug']} ({table['language']})"
        for record in table["files"]:
            problems += [f"{name}: {record['path']} {p}" for p in _file_problems(root, record)]
    return problems


def _chart_problems(root: Path, chart: dict[str, Any]) -> list[str]:
    """What is wrong with one chart of the manifest: its alt text, formats and files."""
    name = f"{chart['theme']}/{chart['slug']} ({chart['language']})"
    problems = []
    if not chart["alt"].strip():
        problems.append(f"{name}: empty alt text")
    formats = {Path(f["path"]).suffix.lstrip(".") for f in chart["files"]}
    if missing := sorted(set(FORMATS) - formats):
        problems.append(f"{name}: no {', '.join(missing)} file")
    for record in chart["files"]:
        problems += [
            f"{name}: {record['path']} {problem}" for problem in _file_problems(root, record)
        ]
    return problems


def _file_problems(root: Path, record: dict[str, Any]) -> list[str]:
    """How one file differs from its manifest record (missing, size, sha256, unreadable CSV)."""
    path = root / record["path"]
    if not path.is_file():
        return ["is missing"]
    problems = []
    if path.stat().st_size != record["bytes"]:
        problems.append("size differs from the manifest")
    if sha256_file(path) != record["sha256"]:
        problems.append("sha256 differs from the manifest")
    if path.suffix == ".csv":
        problems += _csv_problems(path)
    return problems


def _csv_problems(path: Path) -> list[str]:
    import pandas as pd

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"is not a readable CSV ({exc})"]
    return csv_shape_problems(table)


def csv_shape_problems(table: pd.DataFrame) -> list[str]:
    """What a kit CSV (read as text) lacks: columns at all, a unit, the source of its rows; or
    what it must not have: a pandas index column, a column computed only to draw, numbers with
    more digits than a chart shows."""
    if table.columns.empty:
        return ["has no columns"]
    problems = []
    columns = [str(c) for c in table.columns]
    if any(c.startswith("Unnamed:") or c in ("", "index", "level_0") for c in columns):
        problems.append("has a pandas index column")
    if not {"unit", "units"} & set(columns):
        problems.append("has no unit column")
    missing = [c for c in SOURCE_COLUMNS if c not in columns]
    if missing and "source" not in columns:
        problems.append(f"has no source column {', '.join(missing)} (or source)")
    if drawn := [c for c in DRAWING_ONLY if c in columns]:
        problems.append(f"has columns computed only to draw: {', '.join(drawn)}")
    long = table.stack().astype(str).str.fullmatch(r"-?\d+\.\d{7,}")
    if long.any():
        problems.append(f"has numbers not rounded as shown ({table.stack()[long].iloc[0]})")
    return problems
