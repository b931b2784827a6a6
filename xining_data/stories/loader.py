"""The corpus a story reads: the tables ``make data`` built for a folder of reports.

A notebook asks the corpus, not the files. :func:`load_corpus` brings the folder's Parquet
tables up to date (the build is incremental: nothing changed, nothing done) and reads them:
the figures (every mention, and one row per fact), articles, place mentions, the reports
(publication date, outlet, the city they cover, which are copies) and their texts, plus the
cited context. Data flows one way: reports → build → tables → stories.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from xining_data.stories.lookup import StoryDataError, census_row, places_in

# The city a corpus covers when no report says and none names a city: the bundled geography's.
DEFAULT_CITY = "630100"
TABLE_NAMES = ("articles", "figures", "places", "reports", "texts")


@dataclass(frozen=True)
class Corpus:
    """Everything a story reads: the reports and their tables, loaded once."""

    reports: pd.DataFrame  # one row per report (corpus.reports)
    figures: pd.DataFrame  # every mention
    merged: pd.DataFrame  # one row per fact, with its mention count
    articles: pd.DataFrame
    places: pd.DataFrame
    context: pd.DataFrame
    texts: pd.DataFrame  # the text each report's offsets index
    data_dir: Path | None = None  # where the tables were read

    @property
    def as_of(self) -> str:
        """The newest publication date among the reports (ISO, as precise as known)."""
        dates = [d for d in self.reports["published"].fillna("") if d]
        return max(dates) if dates else ""

    @property
    def as_of_inferred(self) -> bool:
        """Is the newest publication date inferred rather than printed?"""
        newest = self.reports[self.reports["published"] == self.as_of]
        return bool(newest["published_inferred"].any())

    @property
    def city_adcode(self) -> str:
        """The place the corpus covers: the reports' own place (from a header, or inferred
        from the city they name most), the most common first; else :data:`DEFAULT_CITY`."""
        codes = self.reports["place_adcode"].fillna("")
        codes = codes[codes != ""]
        return str(codes.mode().iloc[0]) if not codes.empty else DEFAULT_CITY

    @property
    def city_inferred(self) -> bool:
        """Is the corpus's city inferred (no report's header names it)?"""
        headers = self.reports[self.reports["place_from"] == "header"]["place_adcode"]
        return self.city_adcode not in set(headers)

    @property
    def original(self) -> dict[str, str]:
        """Each report → the report it is a copy of (itself for an original)."""
        return dict(zip(self.reports["report"], self.reports["copy_of"], strict=True))

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
        from xining_data.read.report import Report
        from xining_data.read.segment import articles

        text = self.texts.loc[self.texts["report"] == report_id, "text"]
        if text.empty:
            raise StoryDataError(f"no text for report {report_id}")
        article = next(
            a for a in articles(Report(report_id, str(text.iloc[0]))) if a.order == order
        )
        return "\n".join([article.title] + [p.text for p in article.paragraphs])


def load_corpus(
    reports_dir: str | Path | None = None, data_dir: str | Path | None = None
) -> Corpus:
    """The tables of a folder of reports (the bundled corpus by default), brought up to date.

    ``data_dir``: where the tables are (default :func:`xining_data.base.paths.tables_dir`);
    a build of the folder into it runs first and does nothing when nothing changed. Under
    ``publish``, which built the tables before any notebook and names them in
    ``$XINING_DATA_TABLES``, they are read as they are: ten pages do not re-hash the archive.
    """
    import os

    from xining_data.base.paths import TABLES_ENV, tables_dir
    from xining_data.corpus.build import BuildOptions, build

    out = Path(data_dir) if data_dir is not None else tables_dir(reports_dir)
    if data_dir is not None or not os.environ.get(TABLES_ENV):
        build(reports_dir, out, BuildOptions(scheduler="sync", progress=False, wait=True))
    return read_corpus(out)


def read_corpus(data_dir: str | Path) -> Corpus:
    """The corpus from tables already built (``build/data``), without touching the reports."""
    from xining_data.extract.figures import merged_figures
    from xining_data.geo.context import context_table

    folder = Path(data_dir)
    missing = [n for n in TABLE_NAMES if not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise StoryDataError(f"{folder}: no {missing[0]} table: run `make data` first")
    tables = {
        name: _with_columns(pd.read_parquet(folder / f"{name}.parquet"), columns)
        for name, columns in _columns().items()
    }
    return Corpus(
        reports=with_inferred_years(tables["reports"], tables["texts"]),
        figures=tables["figures"],
        merged=merged_figures(tables["figures"]),
        articles=tables["articles"],
        places=tables["places"],
        context=context_table(),
        texts=tables["texts"],
        data_dir=folder,
    )


def with_inferred_years(reports: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """The reports, each without a publication date given the year its text speaks from (as
    its figures were dated: :func:`xining_data.extract.dates.infer_reference_year`), flagged
    inferred, so that a page names it with "date inferred" rather than with no date."""
    from xining_data.extract.dates import infer_reference_year

    undated = reports["published"].fillna("") == ""
    if not undated.any() or texts.empty:
        return reports
    text_of = dict(zip(texts["report"], texts["text"], strict=True))
    years = reports.loc[undated, "report"].map(
        lambda r: infer_reference_year(str(text_of.get(r, "")))
    )
    years = years.dropna()
    if years.empty:
        return reports
    out = reports.copy()
    out.loc[years.index, "published"] = years.astype(int).astype(str)
    out.loc[years.index, "published_precision"] = "year"
    out.loc[years.index, "published_inferred"] = True
    out.loc[years.index, "published_from"] = "inferred"
    return out


def _columns() -> dict[str, list[str]]:
    """The columns of each table, so that a build with no report reads as empty tables."""
    from xining_data.corpus.reports import REPORT_COLUMNS, TEXT_COLUMNS
    from xining_data.corpus.tables import ARTICLE_COLUMNS
    from xining_data.extract.figures import COLUMNS
    from xining_data.geo.places import PLACE_COLUMNS

    return {
        "articles": ARTICLE_COLUMNS,
        "figures": COLUMNS,
        "places": PLACE_COLUMNS,
        "reports": [*REPORT_COLUMNS, "copy_of"],
        "texts": TEXT_COLUMNS,
    }


def _with_columns(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The table, with any missing column added empty (a build of only bad files has none)."""
    missing = [c for c in columns if c not in table.columns]
    return table.assign(**{c: pd.Series(dtype=object) for c in missing}) if missing else table
