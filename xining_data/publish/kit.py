"""The figure kit: every chart of the stories as PNG (2x), SVG and the CSV of what it draws.

Reporters reuse the charts, so each one is written under ``figures/<theme>/`` with
its text (title, subtitle, source line, credit, alt text, units) and the size and
sha256 of each file in ``figures/manifest.json``. The manifest follows
``data/schemas/manifest.schema.json`` and is validated on every write.

File names: ``<slug>.png|svg|csv`` for the Chinese edition (the report's own
language) and ``<slug>.<language>.png|svg|csv`` for any other, so the two
editions of a story never overwrite each other's charts.

``publish`` points notebooks at another figures folder through the environment
variable ``XINING_DATA_FIGURES`` (see :func:`figures_dir`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xining_data.base.paths import FIGURES_DIR, FIGURES_ENV, SCHEMAS_DIR, figures_dir  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = SCHEMAS_DIR / "manifest.schema.json"
SCHEMA_VERSION = 1
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


def save_chart(
    fig: Figure,
    data: pd.DataFrame,
    *,
    theme: str,
    slug: str,
    title: str,
    subtitle: str,
    source: str,
    credit: str,
    alt: str,
    units: str,
    language: str = PRIMARY_LANGUAGE,
    out_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Write one chart into the kit and record it in the manifest; return its manifest entry.

    The title, subtitle and source line (with the credit) are drawn on the figure
    itself, so the chart carries them wherever it goes; do not set a title on the
    figure as well. ``data`` must be exactly the data drawn: bar heights that are
    not in it raise ValueError.
    """
    out = Path(out_dir) if out_dir is not None else figures_dir()
    entry: dict[str, Any] = {
        "theme": theme,
        "slug": slug,
        "language": language,
        "title": title,
        "subtitle": subtitle,
        "source": source,
        "credit": credit,
        "alt": alt,
        "units": units,
        "files": [],
    }
    for key in ("title", "source", "alt"):
        if not str(entry[key]).strip():
            raise ValueError(f"chart {theme}/{slug}: {key} must not be empty")
    _check_data_drawn(fig, data, f"{theme}/{slug}")
    annotate(fig, title=title, subtitle=subtitle, source=source, credit=credit)

    folder = out / theme
    folder.mkdir(parents=True, exist_ok=True)
    stem = chart_stem(slug, language)
    for fmt in FORMATS:
        path = folder / f"{stem}.{fmt}"
        with _atomic_path(path) as tmp:
            if fmt == "csv":
                _write_csv(data, tmp)
            else:
                _save_figure(fig, tmp, fmt, salt=f"{theme}/{stem}")
        entry["files"].append(_file_record(path, out))
    _update_manifest(out, entry)
    return entry


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


def _wrap(text: str, width_pt: float, size: float) -> str:
    """Break text to a width in points; CJK has no spaces, so measure characters by their width."""
    limit = max(width_pt, 12 * size)
    lines = []
    for paragraph in text.splitlines() or [""]:
        current, used = "", 0.0
        for char in paragraph:
            wide = unicodedata.east_asian_width(char) in "WF"
            advance = size * (1.0 if wide else 0.56)
            if used + advance > limit and current:
                cut = current.rfind(" ") if not wide else -1
                if cut > len(current) // 2:
                    lines.append(current[:cut])
                    current = current[cut + 1 :]
                    used = sum(size * 0.56 for _ in current)
                else:
                    lines.append(current)
                    current, used = "", 0.0
            current += char
            used += advance
        lines.append(current)
    return "\n".join(lines)


def _check_data_drawn(fig: Figure, data: pd.DataFrame, name: str) -> None:
    """Refuse a CSV that does not hold the bar values the chart draws."""
    if data is None or len(data.columns) == 0:
        raise ValueError(f"chart {name}: the data drawn is empty")
    table = data.reset_index() if _keeps_index(data) else data
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
    """Write the index only when it carries information (not a plain 0..n-1 range)."""
    import pandas as pd

    return not (isinstance(data.index, pd.RangeIndex) and data.index.name is None)


def _write_csv(data: pd.DataFrame, path: Path) -> None:
    data.to_csv(path, index=_keeps_index(data), encoding="utf-8", lineterminator="\n")


def _save_figure(fig: Figure, path: Path, fmt: str, salt: str) -> None:
    import matplotlib as mpl

    options: dict[str, Any] = {"format": fmt, "bbox_inches": "tight", "pad_inches": 0.2}
    if fmt == "png":
        options |= {"dpi": fig.dpi * PNG_SCALE, "metadata": {"Software": None}}
        fig.savefig(path, **options)
        return
    # Deterministic SVG (no date, stable ids) so an unchanged chart keeps its sha256.
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": salt}):
        fig.savefig(path, metadata={"Date": None, "Creator": None}, **options)


def _file_record(path: Path, root: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(root).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path`` that replaces it only if the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _manifest_lock(folder: Path) -> Iterator[None]:
    """Serialise read-modify-write of the manifest between processes (two kernels at once)."""
    import fcntl

    with open(folder / ".manifest.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _update_manifest(folder: Path, entry: dict[str, Any]) -> None:
    key = (entry["theme"], entry["slug"], entry["language"])
    with _manifest_lock(folder):
        manifest = load_manifest(folder)
        charts = [c for c in manifest["charts"] if (c["theme"], c["slug"], c["language"]) != key]
        charts.append(entry)
        charts.sort(key=lambda c: (c["theme"], c["slug"], c["language"]))
        manifest = {"schema_version": SCHEMA_VERSION, "charts": charts}
        validate_manifest(manifest)
        path = folder / MANIFEST_NAME
        with _atomic_path(path) as tmp:
            tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


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
    import pandas as pd

    root = Path(folder if folder is not None else figures_dir())
    manifest = load_manifest(root)
    try:
        validate_manifest(manifest)
    except jsonschema.ValidationError as exc:
        return [f"{root / MANIFEST_NAME}: schema: {exc.message}"]
    problems = []
    for chart in manifest["charts"]:
        name = f"{chart['theme']}/{chart['slug']} ({chart['language']})"
        if not chart["alt"].strip():
            problems.append(f"{name}: empty alt text")
        formats = {Path(f["path"]).suffix.lstrip(".") for f in chart["files"]}
        if missing := sorted(set(FORMATS) - formats):
            problems.append(f"{name}: no {', '.join(missing)} file")
        for record in chart["files"]:
            path = root / record["path"]
            if not path.is_file():
                problems.append(f"{name}: {record['path']} is missing")
                continue
            if path.stat().st_size != record["bytes"]:
                problems.append(f"{name}: {record['path']} size differs from the manifest")
            if sha256_file(path) != record["sha256"]:
                problems.append(f"{name}: {record['path']} sha256 differs from the manifest")
            if path.suffix == ".csv":
                try:
                    table = pd.read_csv(path)
                except (ValueError, UnicodeDecodeError) as exc:
                    problems.append(f"{name}: {record['path']} is not a readable CSV ({exc})")
                    continue
                if table.columns.empty:
                    problems.append(f"{name}: {record['path']} has no columns")
    return problems
