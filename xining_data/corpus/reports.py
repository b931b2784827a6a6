"""One row per report: what it is, where its date and place come from, and its text.

The reports table tells a story who said a figure (title, outlet, date) and how sure that
is (``published_from``: header, sidecar, argument, metadata, printed or inferred; likewise
``place_from``). The texts table keeps the exact text the offsets index, with its sha256,
so the tables of a build can be checked without the raw files (``raw[start:end] == text``)
and copies can be found (:mod:`xining_data.corpus.copies`).

A report that names no place of its own in a header or sidecar is given the city its place
mentions name most often (its districts and counties counted as the city), flagged
``place_from = "inferred"`` (:func:`xining_data.geo.places.own_place`, the same inference the
places table uses for 我市/全市); none, and the place is empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from xining_data.base.files import sha256_text
from xining_data.geo.places import own_place
from xining_data.read.report import Report

REPORT_COLUMNS = [
    "report",
    "title",
    "outlet",
    "author",
    "url",
    "source",
    "published",
    "published_precision",
    "published_inferred",
    "published_from",
    "place",
    "place_adcode",
    "place_from",
    "format",
    "chars",
    "text_sha256",
]
TEXT_COLUMNS = ["report", "text", "text_sha256"]


def reports_table(report: Report, places: pd.DataFrame, titles: list[str]) -> pd.DataFrame:
    """The report's one row (``titles``: its articles' titles, the first used when the report
    has no title of its own)."""
    return pd.DataFrame([report_row(report, places, titles)], columns=REPORT_COLUMNS)


def report_row(
    report: Report, places: pd.DataFrame | Mapping[str, Sequence], titles: list[str]
) -> dict[str, object]:
    """:func:`reports_table`'s row as a dict (``places``: the table or its columns)."""
    meta = report.meta
    place, adcode, place_from = own_place(report, places)
    row: Mapping[str, object] = {
        "report": report.id,
        "title": meta.title or (titles[0] if titles else ""),
        "outlet": meta.publisher,
        "author": meta.author,
        "url": meta.url,
        "source": meta.source,
        "published": meta.published,
        "published_precision": meta.published_precision,
        "published_inferred": bool(meta.published_inferred),
        "published_from": meta.published_from or ("inferred" if meta.published_inferred else ""),
        "place": place,
        "place_adcode": adcode,
        "place_from": place_from,
        "format": report.encoding if report.encoding in ("webpage", "pdf", "word") else "text",
        "chars": len(report.text),
        "text_sha256": sha256_text(report.text),
    }
    return row


def texts_table(report: Report) -> pd.DataFrame:
    """The text the offsets index, with its sha256."""
    return pd.DataFrame([text_row(report)], columns=TEXT_COLUMNS)


def text_row(report: Report) -> dict[str, str]:
    """:func:`texts_table`'s row as a dict."""
    return {"report": report.id, "text": report.text, "text_sha256": sha256_text(report.text)}


def with_copies(
    reports: pd.DataFrame,
    texts: pd.DataFrame,
    sampled: Mapping[str, frozenset[int]] | None = None,
) -> pd.DataFrame:
    """The reports table with ``copy_of``: the report each one is a copy of (its own id when
    it is an original), found from the texts (``sampled``: their samples, when taken)."""
    from xining_data.corpus.copies import copy_groups

    original = copy_groups(dict(zip(texts["report"], texts["text"], strict=True)), sampled)
    return with_copy_of(reports, original)


def with_copy_of(reports: pd.DataFrame, original: Mapping[str, str]) -> pd.DataFrame:
    """The reports table with ``copy_of`` from :func:`~xining_data.corpus.copies.copy_groups`
    (a report it does not know is its own original)."""
    return reports.assign(copy_of=reports["report"].map(original).fillna(reports["report"]))
