"""A chart that has not changed since the last publish is not drawn again: its files are reused.

A ``publish`` that renders every page again (``--force``, or any change to the library, which
is an input of every page) would rasterise every chart at 2x and cut the font subset every
SVG carries (a fifth of a second a chart, most of it the subset), although most charts show
exactly what they showed before. So under ``publish`` (``$XINING_DATA_CHART_CACHE``, set for
its kernels to ``<build>/chart-cache``) :func:`chart_files` keeps each chart's PNG and SVG under
the sha256 of a canonical serialisation of everything they are made from (:func:`chart_key`):

- what the chart shows: its SVG as matplotlib writes it before the font is embedded (every
  mark, label and colour, whatever code drew it: a story's cell, :mod:`.charts`, a map),
  which costs a few hundredths of a second and rasterises nothing;
- the kit's CSV of the data drawn, the chart's words and edition (:class:`.kit.ChartSpec`),
  the figure's size and resolution, the style (every ``rcParams`` value), the font's sha256;
- the code that writes the files (this module, :mod:`.kit`, :mod:`.svgfont`, :mod:`.style`;
  the code that draws is in the SVG) and the versions of matplotlib, Pillow, fontTools,
  numpy and zlib.

Any change to one of them is a new key, so the chart is drawn (and an edition is its own
entry). An entry is one JSON file ``<key[:2]>/<key>.json`` written atomically, holding the
files and their sha256: a missing, unreadable or damaged entry is drawn again and
rewritten. Every save appends ``drawn`` or ``reused`` to the publish's tally
(:func:`read_tally`), which the publish prints as ``charts: 3 drawn, 27 reused``; the entries
no publish has used for longest are pruned beyond :data:`KEEP_ENTRIES`. A notebook run
outside ``publish`` (JupyterLab, the tests) draws every chart.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from xining_data.base.files import (
    remove_stale_files,
    sha256_bytes,
    sha256_file,
    sha256_text,
    write_text_atomic,
)
from xining_data.base.paths import CHART_CACHE_ENV

CACHE_VERSION = 1  # bump when an entry's format or the key's parts change
TALLY_NAME = "tally.log"
KEEP_ENTRIES = 300  # a few publishes of a few corpora, at 20 to 40 charts a publish
DRAWN, REUSED = "drawn", "reused"
_VERSIONED = ("matplotlib", "PIL", "fontTools", "numpy")


@dataclass
class Tally:
    """How many charts were drawn and how many reused from the cache."""

    drawn: int = 0
    reused: int = 0

    def line(self) -> str:
        return f"charts: {self.drawn} drawn, {self.reused} reused"


counts = Tally()  # this process's saves, since it started


def cache_dir() -> Path | None:
    """The publish's chart cache (``$XINING_DATA_CHART_CACHE``); None outside a publish."""
    folder = os.environ.get(CHART_CACHE_ENV)
    return Path(folder) if folder else None


def chart_key(
    *,
    chart: Mapping[str, Any],
    csv: str,
    svg: str,
    size: tuple[float, float],
    dpi: float,
    code: tuple[str, ...],
) -> str:
    """The sha256 of everything a chart's files are made from (see the module doc); ``code``:
    the source files of the modules that turn the figure into files (this one is added)."""
    import matplotlib as mpl

    parts = {
        "version": CACHE_VERSION,
        "chart": dict(chart),
        "csv": sha256_text(csv),
        "svg": sha256_text(svg),
        "size": [float(v) for v in size],
        "dpi": float(dpi),
        "style": sha256_text(repr(sorted((k, repr(v)) for k, v in mpl.rcParams.items()))),
        "font": _font_digest(),
        "code": _code_digest((__file__, *code)),
    }
    return sha256_text(json.dumps(parts, sort_keys=True, ensure_ascii=False))


def chart_files(
    key: str, draw: Callable[[], dict[str, bytes]], folder: Path | None = None
) -> dict[str, bytes]:
    """The chart's files by format: the cached ones when ``key`` has a sound entry in
    ``folder`` (default :func:`cache_dir`), else ``draw()``'s, then kept under ``key``. With
    no cache folder every chart is drawn."""
    folder = folder if folder is not None else cache_dir()
    if folder is None:
        _count(DRAWN, None)
        return draw()
    entry = _entry_path(folder, key)
    files = _read_entry(entry)
    if files is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # used now: pruned last
        _count(REUSED, folder)
        return files
    files = draw()
    _write_entry(entry, files)
    _count(DRAWN, folder)
    return files


def start_tally(folder: Path) -> None:
    """Begin a publish's tally (the saves its kernels make, read by :func:`read_tally`)."""
    (folder / TALLY_NAME).unlink(missing_ok=True)


def read_tally(folder: Path) -> Tally:
    """The charts drawn and reused since :func:`start_tally`."""
    try:
        lines = (folder / TALLY_NAME).read_text("utf-8").split()
    except OSError:
        return Tally()
    return Tally(drawn=lines.count(DRAWN), reused=lines.count(REUSED))


def prune(folder: Path, keep: int = KEEP_ENTRIES) -> int:
    """Remove all but the ``keep`` entries used most recently, and what a killed writer left;
    return how many entries went. Call it while no chart is being saved there."""
    for sub in folder.iterdir() if folder.is_dir() else ():
        if sub.is_dir():
            remove_stale_files(sub)
    entries = []
    for path in folder.glob("*/*.json"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime_ns, str(path)))
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        Path(path).unlink(missing_ok=True)
    return max(0, len(entries) - keep)


def _entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def _read_entry(path: Path) -> dict[str, bytes] | None:
    """An entry's files, or None when it is missing, unreadable, of another version, or a
    file's bytes do not match its sha256."""
    try:
        entry = json.loads(path.read_bytes())
        if entry["version"] != CACHE_VERSION:
            return None
        files = {fmt: base64.b64decode(data, validate=True) for fmt, data in entry["files"].items()}
        if any(sha256_bytes(data) != entry["sha256"][fmt] for fmt, data in files.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return files


def _write_entry(path: Path, files: dict[str, bytes]) -> None:
    """Keep a chart's files (atomically); a cache that cannot be written is not an error."""
    entry = {
        "version": CACHE_VERSION,
        "sha256": {fmt: sha256_bytes(data) for fmt, data in files.items()},
        "files": {fmt: base64.b64encode(data).decode("ascii") for fmt, data in files.items()},
    }
    with contextlib.suppress(OSError):
        write_text_atomic(path, json.dumps(entry, sort_keys=True))


def _count(outcome: str, folder: Path | None) -> None:
    """Count a save in this process and, under a publish, in its tally (one short append,
    so the kernels of two workers do not interleave within a line)."""
    counts.drawn += outcome == DRAWN
    counts.reused += outcome == REUSED
    if folder is not None:
        with contextlib.suppress(OSError), open(folder / TALLY_NAME, "a", encoding="utf-8") as f:
            f.write(f"{outcome}\n")


@cache
def _font_digest() -> str:
    from xining_data.publish.style import font_path

    return sha256_file(font_path())


@cache
def _code_digest(files: tuple[str, ...]) -> str:
    """The sources of ``files`` and the versions of the libraries that draw and write."""
    import importlib
    import zlib

    sources = [sha256_file(path) for path in files]
    versions = [getattr(importlib.import_module(m), "__version__", "") for m in _VERSIONED]
    return sha256_text(json.dumps([sources, versions, zlib.ZLIB_RUNTIME_VERSION]))
