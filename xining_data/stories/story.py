"""The story-text layer: reader-facing numbers come from tables, each one cited.

A story notebook never types a number into its prose. It opens the corpus
(:func:`open_story`), looks a figure up in the figures table (``find``), formats
it for the reader (``fmt_number``, ``fmt_date``), fills a template in the
edition's language (``Story.say``) and cites the source row (``Story.cite``),
which numbers the figure in a ledger printed at the end of the story with its
sentence, article, reporter and offsets. Templates that contain a literal digit
are refused, so a number can only reach the page through a value.

The same notebook renders a Chinese and an English edition: ``language`` picks
the template, the number style (万/亿 vs thousands separators) and the words for
approximations (逾/近/约 vs over/nearly/about).

A ``Story`` writes text and declares its page; it draws nothing. Notebooks use it
through :mod:`xining_data.notebook`, which adds the charts and the figure kit.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from xining_data.stories.editions import (
    check_language,
    label,
    precision_label,
    theme_color,
    theme_label,
)
from xining_data.stories.ledger import Ledger, is_single_source, report_name
from xining_data.stories.loader import Corpus
from xining_data.stories.storymeta import story_meta
from xining_data.stories.wording import (
    blank_if_na,
    fmt_date,
    fmt_figure,
    fmt_number,
    fmt_percent,
    is_iso_date,
)

HOUSE_CREDIT = "xining-data"
# A digit is a literal number unless it ends a Latin-letter name (WGS84, CO2, G7).
_DIGIT = re.compile(r"(?<![A-Za-z0-9])[0-9０-９]")


class LiteralNumberError(ValueError):
    """A template carries a digit: numbers must come from the tables as values."""


def check_template(template: str) -> str:
    """The template, unless its literal text holds a digit (numbers must be values)."""
    for literal, *_ in string.Formatter().parse(template):
        if literal and _DIGIT.search(literal):
            raise LiteralNumberError(f"template has a literal number: {template!r}")
    return template


def say(zh: str, en: str, language: str, **values: Any) -> str:
    """The template of the edition's language filled with values."""
    template = {"zh": zh, "en": en}[check_language(language)]
    return check_template(template).format(**values)


@dataclass
class Story:
    """One edition of a story: its language, its figures and the ledger of what it cites."""

    figures: pd.DataFrame
    articles: pd.DataFrame | None = None
    language: str = "zh"
    theme: str = "overview"
    credit: str = ""
    as_of: str = ""  # the date of the page: the newest report's publication date
    as_of_inferred: bool = False  # that date is inferred, not printed: the dateline says so
    reports: pd.DataFrame | None = None  # the reports table: sources are named by title
    ledger: Ledger = field(init=False)
    _masthead: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        check_language(self.language)
        self.ledger = Ledger(self.figures, self.articles, language=self.language,
                             reports=self.reports)  # fmt: skip

    @classmethod
    def from_corpus(cls, corpus: Corpus, language: str, theme: str, credit: str = "") -> Story:
        """The edition of a story over a loaded corpus (figures merged across mentions)."""
        return cls(corpus.merged, corpus.articles, language, theme, credit, corpus.as_of,
                   corpus.as_of_inferred, corpus.reports)  # fmt: skip

    @property
    def color(self) -> str:
        """The house colour of this story's theme (charts and the page's accent)."""
        return theme_color(self.theme)

    # text
    def say(self, zh: str, en: str, **values: Any) -> str:
        """Fill the template of this edition's language."""
        return say(zh, en, self.language, **values)

    def word(self, zh: str, en: str) -> str:
        """A label in this edition's language (axis titles, legend entries)."""
        return self.say(zh, en)

    def theme_name(self, theme: str) -> str:
        """A theme's name in this edition (the code itself when it has none)."""
        return theme_label(theme, self.language)

    def precision(self, precision: str) -> str:
        """How precisely a place is located, in this edition's words."""
        return precision_label(precision, self.language)

    def boundaries_note(self) -> str:
        """The source note of a map drawn on the bundled boundaries."""
        return label("boundaries", self.language)

    def cite(self, row: Mapping[str, Any]) -> str:
        """Cite a figure row or context fact; returns the Markdown marker."""
        marker = self.ledger.cite(row)
        if "fact" in row and is_single_source(row):
            marker = label("single_source", self.language) + marker
        return marker

    def num(self, row: Mapping[str, Any], *, unit: bool = False, cite: bool = True) -> str:
        """A reported figure as printed, with its citation marker."""
        text = fmt_figure(row, self.language, unit=unit)
        return text + (self.cite(row) if cite else "")

    def fmt(self, value: Any, qualifier: Any = "exact", *, digits: int | None = None) -> str:
        """A computed number in this edition's style."""
        return fmt_number(value, qualifier, self.language, digits=digits)

    def date(self, row: Mapping[str, Any], *, cite: bool = True) -> str:
        """A date figure as printed (flagged when inferred), with its citation marker."""
        text = fmt_date(row["date"], row.get("date_precision"), self.language,
                        inferred=bool(blank_if_na(row.get("date_inferred"))))  # fmt: skip
        return text + (self.cite(row) if cite else "")

    def percent(self, fraction: float, *, digits: int = 1) -> str:
        return fmt_percent(fraction, self.language, digits=digits)

    # display
    def show(self, zh: str, en: str, **values: Any):
        """Display a filled template as Markdown."""
        return _markdown(self.say(zh, en, **values))

    def heading(self, zh: str, en: str, level: int = 2, **values: Any):
        return _markdown("#" * level + " " + self.say(zh, en, **values))

    def caveat(self, zh: str, en: str, **values: Any):
        """A boxed caveat: what the report does not tell us."""
        lead = f"> **{label('caveat', self.language)}**{label('colon', self.language)}"
        return _markdown(lead + self.say(zh, en, **values))

    def markdown(self, text: str):
        """Display Markdown made by the library from the tables (a section, a table)."""
        return _markdown(text)

    def bullets(self, items: Iterable[str]):
        return _markdown("\n".join(f"- {item}" for item in items))

    # the page around the story
    def dateline(self) -> str:
        """The page's date as printed, flagged when inferred ("2025年（推算日期）"), or a word
        saying the reports carry none."""
        if not is_iso_date(self.as_of):
            return label("undated", self.language)
        return fmt_date(self.as_of, None, self.language, inferred=self.as_of_inferred)

    def masthead(
        self, *, headline: str, dek: str = "", order: int | None = None, **meta: Any
    ) -> None:
        """Declare the page's masthead (:func:`xining_data.stories.storymeta.story_meta`) with the house
        byline, the corpus date and this story's theme, unless given; :meth:`footer` repeats it."""
        self._masthead = {
            "byline": label("byline", self.language),
            "date": self.dateline(),
            "theme": self.theme,
            **meta,
            "headline": headline,
            "dek": dek,
            "order": order,
        }
        story_meta(**self._masthead)

    def footer(self, method: Iterable[str]) -> None:
        """Declare the page's footer: the sources cited so far and the method notes (call it
        after the last citation, before :meth:`show_ledger`)."""
        if not self._masthead:
            raise ValueError("declare the masthead (Story.masthead) before the footer")
        story_meta(**self._masthead, sources=self.sources(), method=list(method))

    def reports_note(self) -> str:
        """The source of a chart drawn from whole reports (every article), not single figures."""
        names = label("semicolon", self.language).join(
            report_name(str(r), self.reports, self.language)
            for r in pd.unique(self.figures["report"])
        )
        return self.say("{names}（全部文章）", "{names} (all articles)", names=names)

    def source_line(self, rows: Iterable[Mapping[str, Any]], notes: Iterable[str] = ()) -> str:
        """The source line of a chart: report, article and reporter of each row; context
        sources; then ``notes`` (whole reports, boundary data)."""
        return self.ledger.source_line(rows, notes, self.language)

    def sources(self) -> list[dict[str, str]]:
        """The story's sources for the page footer: each report and context source cited."""
        return self.ledger.sources(self.language)

    def ledger_table(self) -> pd.DataFrame:
        return self.ledger.table()

    def ledger_html(self) -> str:
        """The ledger as an HTML table with one anchor per entry and an inline CSV download."""
        return self.ledger.html(self.language)

    def show_ledger(self):
        """Display the ledger (the last cell of every story)."""
        from IPython.display import HTML

        return HTML(self.ledger_html())


def _markdown(text: str):
    from IPython.display import Markdown

    return Markdown(text)
