"""Reading raw reports: bytes in any common Chinese encoding -> trustworthy text.

A report file is plain text, optionally preceded by a metadata header::

    ---
    source: where the text was read
    publisher: who published it
    published: 2025            (ISO date: YYYY, YYYY-MM or YYYY-MM-DD)
    published_inferred: true   (the date is not printed; it was inferred)
    place: 西宁市
    place_adcode: 630100
    ---
    <the report, exactly as published>

Offsets everywhere in the library index ``Report.text``: the body after the
header, decoded, with line endings read as Python's text mode reads them
(``\\r\\n`` and ``\\r`` become ``\\n``). A report with or without the header
therefore gives the same offsets.

Saved web pages, PDFs and Word files are read by :mod:`xining_data.read.formats`;
their extracted text is the report's text. A ``reports.csv`` beside the reports
(file, title, outlet, url, published) supplies metadata without editing a file
(:mod:`xining_data.read.sidecar`); it wins over a header, with a warning. A report that
none of these dates (header, sidecar, ``--published``) is dated by the dateline it prints
(:mod:`xining_data.read.dateline`: "2022年3月30日" on a line of its own under the title or at
the end, "发布时间：…"), recorded as ``published_from = printed``; failing that, the
extractor infers a year and flags it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from xining_data.base.errors import ReportError
from xining_data.base.paths import reports_dir
from xining_data.read.dateline import printed_date
from xining_data.read.document import DATE_PRINTED, PageSpan, page_at
from xining_data.read.formats import FORMATS, extract, is_document
from xining_data.read.ideographs import unify_ideographs
from xining_data.read.sidecar import SIDECAR_FIELDS, sidecar_row
from xining_data.read.tables import Table

HEADER_FENCE = "---"
REPORT_SUFFIXES = (".txt", *FORMATS)

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map one-to-one
# onto ASCII, so the derived view keeps every offset.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Unicode blocks a Chinese report is written in: Latin, Greek, Cyrillic, Arabic (Uyghur),
# Tibetan, Mongolian, punctuation and symbols, CJK with its symbols and full-width forms.
_TEXT_RANGES = (
    (0x0000, 0x024F), (0x0370, 0x04FF), (0x0600, 0x06FF), (0x0F00, 0x0FFF),
    (0x1800, 0x18AF), (0x2000, 0x27BF), (0x2E80, 0x33FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)  # fmt: skip
TEXT_SHARE = 0.9
_UNUSUAL = re.compile(
    "[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _TEXT_RANGES) + r"\s]"
)
_SPACE = re.compile(r"\s")
# Shares of a text's letters that mark bytes as no Chinese (see _foreign_encoding).
KANA_SHARE = 0.05
PRIVATE_USE_SHARE = 0.01
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")  # ASCII digits only
DATE_SHAPES = "YYYY, YYYY-MM or YYYY-MM-DD"


def checked_date(value: str, path: str | Path, what: str) -> str:
    """``value`` if it is a real calendar date of one of the three shapes, else ReportError
    (9999-99-99, 0000 and 2025-02-30 have the shape, not a day of the calendar)."""
    m = _DATE.fullmatch(value)
    if not m:
        raise ReportError(path, f"{what} {value!r} is not {DATE_SHAPES}")
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ReportError(path, f"{what} {value!r} is not a date of the calendar") from None
    return value


@dataclass(frozen=True)
class ReportMeta:
    """What is known about a report besides its text."""

    source: str = ""
    publisher: str = ""
    published: str = ""  # ISO date, as precise as known: "", "2025", "2025-01", "2025-01-03"
    published_inferred: bool = False
    place: str = ""
    place_adcode: str = ""
    title: str = ""
    author: str = ""
    url: str = ""
    # where ``published`` came from: header, sidecar, argument, metadata, printed, inferred
    published_from: str = ""

    @property
    def published_precision(self) -> str:
        """year, month, day, or unknown."""
        if not self.published:
            return "unknown"
        return {1: "year", 2: "month", 3: "day"}[len(self.published.split("-"))]

    @property
    def reference_date(self) -> dt.date | None:
        """The date relative expressions (去年, 今年) are resolved against."""
        if not self.published:
            return None
        parts = [int(p) for p in self.published.split("-")]
        return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


@dataclass(frozen=True)
class Report:
    """One decoded report: its id, text and metadata."""

    id: str
    text: str
    meta: ReportMeta = field(default_factory=ReportMeta)
    path: str = ""
    encoding: str = "utf-8"  # for a document: its format (webpage, pdf, word)
    pages: tuple[PageSpan, ...] = ()  # a PDF's pages as offset spans
    tables: tuple[Table, ...] = ()  # a document's tables: number cells and what they stand for

    @property
    def normalized(self) -> str:
        """A derived view with full-width ASCII and Kangxi radicals normalised, same length."""
        return normalize(self.text)

    def page_at(self, offset: int) -> int | None:
        """The PDF page printing the character at ``offset`` (None for other reports)."""
        return page_at(self.pages, offset)


def normalize(text: str) -> str:
    """Full-width ASCII and the ideographic space to ASCII, Kangxi radicals and CJK
    compatibility ideographs to the ideographs they stand for; every offset is kept."""
    return unify_ideographs(text.translate(_FULLWIDTH))


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding) or raise ReportError.

    Tried in order: a BOM (UTF-8, UTF-16), UTF-16 without BOM (recognised by
    its zero bytes), strict UTF-8, strict GB18030 (a superset of GBK and
    GB2312). Text with control characters is taken for a binary file.
    """
    if not data.strip():
        raise ReportError(path, "empty report (no text)")
    candidates: list[str]
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data:  # UTF-8 and GB18030 text never holds a zero byte; UTF-16 does
        candidates = ["utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    not_text = []
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text) or not _looks_like_text(text):
            not_text.append(encoding)
            continue
        if encoding == "gb18030" and (foreign := _foreign_encoding(data, text)):
            raise ReportError(path, f"not Chinese text: {foreign}; convert it to UTF-8 first")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text, encoding.removesuffix("-sig").removesuffix("-le").removesuffix("-be")
    if not_text or b"\x00" in data:
        raise ReportError(path, f"binary file: not text in {', '.join(not_text or candidates)}")
    raise ReportError(path, "undecodable bytes: not UTF-8, UTF-16 or GB18030")


def _foreign_encoding(data: bytes, text: str) -> str:
    """Why bytes that decode as GB18030 are no Chinese text ('' when they are): Japanese
    Shift-JIS decodes too, as garbage, but as Shift-JIS it reads with kana; other
    encodings land in the private-use area. Never guessed: the file is refused."""
    try:
        japanese = data.decode("shift_jis")
    except UnicodeDecodeError:
        japanese = ""
    letters = max(1, len(text) - len(_SPACE.findall(text)))
    if len(_KANA.findall(japanese)) >= KANA_SHARE * letters:
        return "it reads as Japanese (Shift-JIS, with kana)"
    if len(_PRIVATE_USE.findall(text)) >= PRIVATE_USE_SHARE * letters:
        return "as GB18030 it holds private-use characters"
    return ""


def _looks_like_text(text: str) -> bool:
    """Most characters are in the scripts reports are written in (not random code points)."""
    if _UNUSUAL.search(text) is None:  # the usual text: nothing to count
        return True
    letters = len(text) - len(_SPACE.findall(text))
    unusual = len(_UNUSUAL.findall(text))
    return letters - unusual >= TEXT_SHARE * letters


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split ``---`` fenced ``key: value`` lines from the body."""
    if not text.startswith(HEADER_FENCE + "\n"):
        return {}, text
    end = text.find("\n" + HEADER_FENCE + "\n", len(HEADER_FENCE))
    if end < 0:
        return {}, text
    header: dict[str, str] = {}
    for line in text[len(HEADER_FENCE) + 1 : end].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            header[key.strip()] = value.strip()
    return header, text[end + len(HEADER_FENCE) + 2 :]


def _meta(header: dict[str, str], path: Path) -> ReportMeta:
    published = header.get("published", "")
    inferred = header.get("published_inferred", "").lower() in {"true", "yes", "1"}
    if published:
        checked_date(published, path, "header date")
    return ReportMeta(
        source=header.get("source", ""),
        publisher=header.get("publisher", ""),
        published=published,
        published_inferred=inferred,
        place=header.get("place", ""),
        place_adcode=header.get("place_adcode", ""),
        title=header.get("title", ""),
        author=header.get("author", ""),
        url=header.get("url", ""),
        published_from=("inferred" if inferred else "header") if published else "",
    )


def read_report(path: str | Path, published: str | None = None, place: str | None = None) -> Report:
    """Read one report file; ``published`` / ``place`` override or supply its metadata."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(path, "no such file") from None
    except IsADirectoryError:
        raise ReportError(path, "is a folder, not a report file") from None
    except OSError as exc:
        raise ReportError(path, f"cannot read ({exc.strerror})") from None
    except ValueError:  # a NUL in the name
        raise ReportError(path, "not a usable file name (it holds a NUL character)") from None
    return parse_report(data, path, published, place, sidecar=sidecar_row(path))


def parse_report(
    data: bytes,
    path: str | Path,
    published: str | None = None,
    place: str | None = None,
    sidecar: Mapping[str, str] | None = None,
) -> Report:
    """A report from its bytes, exactly as ``read_report`` reads the file at ``path``.

    ``sidecar`` is the file's row of the folder's ``reports.csv``; ``read_report``
    looks it up, a caller holding only bytes passes it."""
    path = Path(path)
    pages: tuple[PageSpan, ...] = ()
    tables: tuple[Table, ...] = ()
    if is_document(path):
        doc = extract(data, path)
        body, encoding, pages, tables = doc.text, doc.kind, doc.pages, doc.tables
        meta = _meta(dict(doc.meta), path)
        meta = replace(meta, published_from=doc.meta.get("published_from", meta.published_from))
    else:
        text, encoding = decode(data, path)
        header, body = parse_header(text)
        if body is text and text.startswith(HEADER_FENCE + "\n"):
            warnings.warn(
                f"{path}: the header opened by {HEADER_FENCE} never closes; read as body text",
                stacklevel=2,
            )
        if not body.strip():
            raise ReportError(path, "empty report (no text after the header)")
        meta = _meta(header, path)
    if sidecar:
        meta = _with_sidecar(meta, sidecar, path)
    if published is not None:
        checked_date(published, path, "--published")
        meta = replace(
            meta, published=published, published_inferred=False, published_from="argument"
        )
    if not meta.published and (printed := printed_date(body)):
        meta = replace(
            meta, published=printed, published_inferred=False, published_from=DATE_PRINTED
        )
    if place is not None:
        meta = replace(meta, place=place)
    return Report(
        id=report_id(path),
        text=body,
        meta=meta,
        path=str(path),
        encoding=encoding,
        pages=pages,
        tables=tables,
    )


def report_id(path: str | Path) -> str:
    """A report's id: a plain-text report's file name without ``.txt`` (as ids always were),
    a document's whole file name, so that ``a.txt``, ``a.html`` and ``a.pdf`` in one folder
    are three reports; the id depends on the file's own name only, so it never changes when
    another file is added beside it."""
    path = Path(path)
    stem = Path(path.stem)
    if path.suffix.lower() == ".txt" and stem.suffix.lower() not in REPORT_SUFFIXES:
        return path.stem
    return path.name


def _with_sidecar(meta: ReportMeta, row: Mapping[str, str], path: Path) -> ReportMeta:
    """The metadata with the sidecar's non-empty cells; a differing value is warned about."""
    changes: dict[str, str | bool] = {}
    for column, name in SIDECAR_FIELDS.items():
        value = (row.get(column) or "").strip()
        if not value:
            continue
        if name == "published":
            checked_date(value, path, "reports.csv date")
        before = getattr(meta, name)
        if before and before != value:
            warnings.warn(
                f"{path}: reports.csv gives {column} {value!r}, the file {before!r}; "
                "the sidecar wins",
                stacklevel=3,
            )
        changes[name] = value
    if "published" in changes:
        changes |= {"published_inferred": False, "published_from": "sidecar"}
    return replace(meta, **changes)


def report_paths(folder: str | Path | None = None) -> list[Path]:
    """The report files in a folder (the bundled corpus by default), in name order.

    A symbolic link counts even when it is dangling or loops, so that reading it fails
    loudly (a build lists it in its errors) instead of the file vanishing silently."""
    folder = Path(folder) if folder is not None else reports_dir()
    if not folder.is_dir():
        raise ReportError(folder, "no such folder of reports")
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in REPORT_SUFFIXES and (p.is_file() or _is_broken_link(p))
    )


def _is_broken_link(path: Path) -> bool:
    """A symbolic link whose target is missing or is itself a loop of links."""
    return path.is_symlink() and not path.exists()


def read_reports(folder: str | Path | None = None) -> list[Report]:
    """Every report in a folder (the bundled corpus by default)."""
    return [read_report(p) for p in report_paths(folder)]


def load(source: Report | str | Path, published: str | None = None) -> Report:
    """A Report from a Report or a path, so every table function accepts either."""
    if isinstance(source, Report):
        if published is not None:
            meta = replace(source.meta, published=published, published_inferred=False)
            return replace(source, meta=meta)
        return source
    return read_report(source, published=published)
