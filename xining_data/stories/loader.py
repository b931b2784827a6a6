"""The corpus a story reads: every report of a folder and its tables, loaded once.

A notebook asks the corpus, not the files: the figures (every mention, and one
row per fact), articles, place mentions and cited context, plus what the
reports say about themselves (publication date, the city they cover).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from xining_data.stories.lookup import StoryDataError, census_row, places_in


@dataclass(frozen=True)
class Corpus:
    """Everything a story reads: the reports and their tables, loaded once."""

    reports: tuple[Any, ...]
    figures: pd.DataFrame  # every mention
    merged: pd.DataFrame  # one row per fact, with its mention count
    articles: pd.DataFrame
    places: pd.DataFrame
    context: pd.DataFrame

    @property
    def as_of(self) -> str:
        """The newest publication date among the reports (ISO, as precise as known)."""
        dates = [r.meta.published for r in self.reports if r.meta.published]
        return max(dates) if dates else ""

    @property
    def as_of_inferred(self) -> bool:
        """Is the newest publication date inferred rather than printed?"""
        return any(
            r.meta.published_inferred for r in self.reports if r.meta.published == self.as_of
        )

    @property
    def city_adcode(self) -> str:
        """The place the corpus covers (the reports' own place code, most common first)."""
        codes = pd.Series([r.meta.place_adcode for r in self.reports if r.meta.place_adcode])
        if codes.empty:
            raise StoryDataError("no report names its place (place_adcode in the header)")
        return str(codes.mode().iloc[0])

    @property
    def city_census(self) -> pd.Series:
        """The census population of the city the corpus covers: the context row rates cite."""
        return census_row(self.context, self.city_adcode)

    def county_level(self) -> pd.DataFrame:
        """The county-level divisions of the corpus's city (its boundaries, without the city)."""
        from xining_data.geo.boundaries import divisions

        return divisions().query("adcode != @self.city_adcode").reset_index(drop=True)

    def article_of(self, row: Mapping[str, Any]) -> pd.Series:
        """The articles-table row of the article a figure row stands in."""
        arts = self.articles
        found = arts[(arts["report"] == row["report"]) & (arts["order"] == row["article"])]
        if len(found) != 1:
            raise StoryDataError(f"article {row['article']} of {row['report']}: {len(found)} rows")
        return found.iloc[0]

    def places_in_article(self, row: Mapping[str, Any]) -> pd.DataFrame:
        """The place mentions of the article a figure row stands in."""
        article = self.article_of(row)
        return places_in(self.places, row["report"], article["start"], article["end"])

    def places_in_sentence(self, row: Mapping[str, Any]) -> pd.DataFrame:
        """The place mentions of the sentence a figure row stands in."""
        return places_in(self.places, row["report"], row["sentence_start"], row["sentence_end"])

    def article_text(self, report_id: str, order: int) -> str:
        """An article's repaired text (paragraphs joined), for reading titles and documents."""
        from xining_data.read.segment import articles

        report = next(r for r in self.reports if r.id == report_id)
        article = next(a for a in articles(report) if a.order == order)
        return "\n".join([article.title] + [p.text for p in article.paragraphs])


def load_corpus(reports_dir: str | None = None) -> Corpus:
    """Read every report in a folder (the bundled corpus by default) into the story tables."""
    from xining_data.corpus.tables import articles_table
    from xining_data.extract.figures import figures_table, merged_figures
    from xining_data.geo.context import context_table
    from xining_data.geo.places import attach_places, places_table
    from xining_data.read.report import read_reports

    reports = tuple(read_reports(reports_dir))
    if not reports:
        raise StoryDataError(f"no reports in {reports_dir or 'the bundled corpus'}")
    places = [places_table(r) for r in reports]  # once: the figures' places come from these
    figures = pd.concat(
        [attach_places(figures_table(r), r, p) for r, p in zip(reports, places, strict=True)],
        ignore_index=True,
    )
    return Corpus(
        reports=reports,
        figures=figures,
        merged=merged_figures(figures),
        articles=pd.concat([articles_table(r) for r in reports], ignore_index=True),
        places=pd.concat(
            [_with_report(p, r.id) for r, p in zip(reports, places, strict=True)],
            ignore_index=True,
        ),
        context=context_table(),
    )


def _with_report(table: pd.DataFrame, report_id: str) -> pd.DataFrame:
    return table if "report" in table.columns else table.assign(report=report_id)
