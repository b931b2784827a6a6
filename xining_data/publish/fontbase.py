"""The font every subset is cut from: the house font, or under ``publish`` a base cut from it once.

Cutting Noto Sans CJK SC (16 MB, 65,000 glyphs) down to a chart's few dozen characters costs
a third of a second to a second however few are kept: the time goes into reading and pruning
the whole font's tables. A publish therefore cuts the font once (:func:`write_base`) to every
character its pages and charts can show (the reports' texts and metadata, the library's and
the notebooks' own words, printable ASCII), every table, feature, name and hint kept, and
names it in ``$XINING_DATA_FONT_BASE``; the page and chart subsets (:mod:`.selfcontained`,
:mod:`.svgfont`) are then cut from that base (:func:`font_source`). fontTools keeps the glyphs'
order and outlines, so a subset of the base is the same bytes as the same subset of the font
(``tests/test_publish_font.py``), at a tenth of the time. Characters the base lacks are cut
from the house font itself, as outside a publish.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from xining_data.base.files import sha256_text, write_bytes_atomic, write_text_atomic

BASE_ENV = "XINING_DATA_FONT_BASE"
BASE_VERSION = 1  # bump when the base's options change
ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))
# Files whose characters a page or chart may show: the library's code, data and templates,
# the notebooks.
TEXT_SUFFIXES = frozenset(
    {".py", ".csv", ".json", ".geojson", ".txt", ".md", ".j2", ".html", ".css", ".tpl"}
)


def font_source(characters: Iterable[str]) -> Path:
    """The font to cut ``characters`` from: the publish's base when it holds them all, else
    the house font."""
    from xining_data.publish.style import font_path

    base = os.environ.get(BASE_ENV)
    if base and set(characters) <= _base_characters(base):
        return Path(base)
    return font_path()


@cache
def _base_characters(base: str) -> frozenset[str]:
    """The characters a base was cut to (its sidecar ``.chars``); none when it is missing."""
    try:
        return frozenset(Path(base).with_suffix(".chars").read_text("utf-8"))
    except OSError:
        return frozenset()


def write_base(characters: Iterable[str], folder: Path) -> Path:
    """The house font cut to ``characters`` (and printable ASCII) with everything else kept,
    as an OpenType file in ``folder`` named by the characters (kept for the next publish)."""
    from xining_data.publish.style import font_path

    source = font_path()
    wanted = "".join(sorted(set(characters) | ASCII))
    key = sha256_text(f"{BASE_VERSION}:{source.stat().st_size}:{wanted}")[:32]
    path = folder / f"base-{key}.otf"
    sidecar = path.with_suffix(".chars")
    if path.is_file() and sidecar.is_file():
        return path
    import io

    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(source), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, buffer.getvalue())
    write_text_atomic(sidecar, wanted)  # last: a base without it is never used
    return path


def text_characters(paths: Iterable[Path]) -> set[str]:
    """Every character of the text files among ``paths`` (others skipped)."""
    found: set[str] = set()
    for path in paths:
        if path.suffix.lower() in TEXT_SUFFIXES:
            try:
                found.update(path.read_text("utf-8", errors="ignore"))
            except OSError:
                continue
    return found


def table_characters(folder: Path, tables: Iterable[str] = ("texts", "reports")) -> set[str]:
    """Every character of the text columns of the corpus tables in ``folder``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    found: set[str] = set()
    for name in tables:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            continue
        table = pq.read_table(path)
        for column in table.itercolumns():
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                found.update("".join(pc.drop_null(column).to_pylist()))
    return found
