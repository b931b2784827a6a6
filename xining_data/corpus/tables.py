"""Typed tables shared by the CLI, the notebooks and the build: one function per table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from xining_data.corpus.corrections import Corrections, apply_corrections, corrections_for
from xining_data.read.report import Report, load
from xining_data.read.segment import articles_of

ARTICLE_COLUMNS = [
    "report",
    "order",
    "title",
    "reporter",
    "reporter_role",
    "theme",
    "paragraphs",
    "start",
    "end",
]


def articles_table(report: Report | str | Path, published: str | None = None) -> pd.DataFrame:
    """One row per article: order, title, byline, theme, paragraph count and raw offsets."""
    return pd.DataFrame(article_rows(load(report, published)), columns=ARTICLE_COLUMNS)


def article_rows(report: Report) -> list[dict]:
    """:func:`articles_table`'s rows as dicts."""
    return [
        {
            "report": report.id,
            "order": a.order,
            "title": a.title,
            "reporter": a.reporter,
            "reporter_role": a.reporter_role,
            "theme": a.theme,
            "paragraphs": len(a.paragraphs),
            "start": a.start,
            "end": a.end,
        }
        for a in articles_of(report)
    ]


def figures_with_places(
    report: Report | str | Path,
    published: str | None = None,
    corrections: Corrections | None = None,
) -> pd.DataFrame:
    """The figures table with the place each figure refers to (extraction, then geocoding),
    and its corrections applied (``None``: the rows of ``corrections.csv`` beside the file).

    The report is loaded here, once; every step below takes the loaded report.
    """
    from xining_data.extract.figures import figures_of
    from xining_data.geo.places import place_figures

    report = load(report, published)
    if corrections is None:
        corrections = corrections_for(report.path) if report.path else ()
    figures = place_figures(figures_of(report), report)  # the places table is computed once
    return apply_corrections(figures, report.text, corrections)
