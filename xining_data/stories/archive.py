"""A theme across an archive: its figures, facts, series, disagreements, places and silences.

Whatever folder of reports a story is given, one page or ten thousand, :func:`theme_archive`
gathers what it says on a theme: the figures whose indicator belongs to the theme (or, with
no indicator, that stand in an article of the theme), the facts they make
(:mod:`.findings`: repeats and copies counted once), the series and disagreements among
them, the lede chosen by the editor's rule, where the figures are, and what the archive does
not say (the theme's catalogued indicators with no figure, figures whose measure matches no
indicator). Everything is a table a notebook shows or charts; nothing here writes words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from xining_data.read.themes import OTHER
from xining_data.stories.findings import (
    Lede,
    disagreements,
    facts,
    lede,
    series,
    silences,
)
from xining_data.stories.wording import is_iso_date

NOT_QUANTITIES = ("date", "ordinal", "identifier", "name")
# A reference period the text gives; one that is only the report's date dates no fact.
TEXT_PERIODS = ("clause", "as_of", "paragraph", "title")
# Facts one source gives for the same indicator, place and period: parts of a whole.
PARTS_KEY = ["indicator", "place_adcode", "ref_date", "source"]
# Catalogue themes a story covers besides its own: the overview tells the economy.
THEMES_OF_STORY = {"overview": ("economy",)}
# The indicators each story leads with, when the archive gives them (most important first).
MAIN_INDICATORS = {
    "employment": ("urban_new_jobs", "urban_registered_unemployment_rate", "gig_markets"),
    "water": ("rural_water_beneficiaries", "sewage_treatment_rate", "water_investment"),
    "carbon": ("energy_intensity", "renewable_capacity", "green_building_share"),
    "community": ("pomegranate_homes", "ethnic_unity_model_units"),
    # the economy first, then each theme's lead indicator: the overview spans the archive
    "overview": (
        "gdp",
        "disposable_income",
        "gdp_growth",
        "urban_new_jobs",
        "rural_water_beneficiaries",
        "energy_intensity",
        "pomegranate_homes",
    ),  # fmt: skip
}


def indicator_catalogue() -> pd.DataFrame:
    """The indicator catalogue as a table: id, theme, names, source (in catalogue order); a
    copy, so a notebook that changes it changes nothing the next notebook in its kernel reads."""
    return _catalogue_table().copy()


@cache
def _catalogue_table() -> pd.DataFrame:
    from xining_data.extract.indicators import catalogue

    return pd.DataFrame(
        [
            {"id": i.id, "theme": i.theme, "name_zh": i.name_zh, "name_en": i.name_en,
             "source": i.source}
            for i in catalogue()
        ],
        columns=["id", "theme", "name_zh", "name_en", "source"],
    )  # fmt: skip


def story_themes(theme: str) -> tuple[str, ...]:
    """The catalogue themes a story covers."""
    return THEMES_OF_STORY.get(theme, (theme,))


def theme_figures(figures: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The quantities of a theme: an indicator of the theme; or no indicator and a sentence of
    the theme (:func:`sentence_of_theme`; the overview: every quantity)."""
    quantities = figures[~figures["kind"].isin(NOT_QUANTITIES)]
    if theme == "overview":
        return quantities.reset_index(drop=True)
    catalogue = indicator_catalogue()
    ids = set(catalogue.loc[catalogue["theme"].isin(story_themes(theme)), "id"])
    indicator = quantities["indicator"].fillna("")
    mine = indicator.isin(ids) | ((indicator == "") & sentence_of_theme(quantities, figures, theme))
    return quantities[mine].reset_index(drop=True)


def sentence_of_theme(rows: pd.DataFrame, figures: pd.DataFrame, theme: str) -> pd.Series:
    """Does each row's sentence speak of the theme? Its words weigh for the theme; or it holds
    no figure of another theme's indicator, its words weigh for no theme and its article is of
    the theme (a communiqué's sewage sentence is water's whatever its article's theme; its GDP
    sentence is not the jobs article's)."""
    catalogue = indicator_catalogue().set_index("id")["theme"]
    named = figures[figures["indicator"].fillna("") != ""]
    others = named[~named["indicator"].map(catalogue).isin(story_themes(theme))]
    elsewhere = set(zip(others["report"], others["sentence_start"], strict=True))
    foreign = pd.Series(
        [(r, s) in elsewhere for r, s in zip(rows["report"], rows["sentence_start"], strict=True)],
        index=rows.index,
        dtype=bool,
    )
    said = rows["sentence"].fillna("").map(sentence_theme)
    return (said == theme) | ((said == OTHER) & (rows["theme"] == theme) & ~foreign)


@cache
def sentence_theme(sentence: str) -> str:
    """The theme a sentence's own words weigh for (``other`` when none)."""
    from xining_data.read.themes import classify_theme

    return classify_theme("", sentence)


@dataclass(frozen=True)
class ThemeArchive:
    """What an archive says on one theme (see the module doc)."""

    theme: str
    figures: pd.DataFrame  # every quantity of the theme, all mentions
    facts: pd.DataFrame  # one row per fact of a catalogued indicator
    disputes: pd.DataFrame  # facts that disagree, numbered by ``dispute``
    series: dict[tuple[str, ...], pd.DataFrame] = field(repr=False)
    lede: Lede | None
    silent: pd.DataFrame  # catalogue rows of the theme with no fact
    unmatched: pd.DataFrame  # figures of the theme whose measure names no indicator

    @property
    def is_empty(self) -> bool:
        """No figure at all on the theme: the story says so and stops."""
        return self.figures.empty

    def latest(self) -> pd.DataFrame:
        """The latest fact of each indicator and place (the newest period, then the most
        sources), in catalogue order."""
        if self.facts.empty:
            return self.facts
        order = {i: n for n, i in enumerate(indicator_catalogue()["id"])}
        ranked = self.facts.assign(_order=self.facts["indicator"].map(order))
        ranked = ranked.sort_values(["_order", "place_adcode", "ref_date", "sources"],
                                    ascending=[True, True, False, False], kind="stable")  # fmt: skip
        latest = ranked.drop_duplicates(["indicator", "place_adcode"])
        # The other values its source gives for that period are parts of a whole (city- and
        # county-level homes), not rivals: they stay beside it.
        parts = ranked.merge(latest[PARTS_KEY], on=PARTS_KEY)
        return parts.drop(columns="_order").reset_index(drop=True)

    def latest_stocks(self) -> pd.DataFrame:
        """One figure per indicator and place for a rate per resident: the latest facts, less
        what was added in the period where the same source gives the total too (新命名21家，
        累计达到46家: the 46). A flow and a stock of one thing are never both turned into rates."""
        return without_flows_beside_stocks(self.latest())

    def parts(self, row: pd.Series) -> pd.DataFrame:
        """The facts one source gives for a fact's indicator, place and period (itself
        included): more than one row when the report splits a whole into parts."""
        if self.facts.empty:
            return self.facts
        same = pd.Series(True, index=self.facts.index)
        for column in PARTS_KEY:
            same &= self.facts[column].astype(str) == str(row.get(column, ""))
        return self.facts[same]


def theme_archive(figures: pd.DataFrame, theme: str, original: dict[str, str]) -> ThemeArchive:
    """Gather a theme from a corpus's figures (``original``: each report's original, so copies
    are one source)."""
    mine = dated_by_text(theme_figures(figures, theme))
    theme_facts = facts(actual(mine), original)
    catalogue = indicator_catalogue()
    silent = pd.concat(
        [silences(theme_facts, catalogue, t) for t in story_themes(theme)], ignore_index=True
    )
    return ThemeArchive(
        theme=theme,
        figures=mine,
        facts=theme_facts,
        disputes=disagreements(theme_facts),
        series=series(theme_facts),
        lede=lede(theme_facts, MAIN_INDICATORS.get(theme, ())),
        silent=silent,
        unmatched=mine[mine["indicator"].fillna("") == ""].reset_index(drop=True),
    )


def dated_by_text(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with ``ref_date`` kept only where the text gives the period: a figure
    dated by its report's publication alone joins no series and no disagreement."""
    if "ref_source" not in figures:
        return figures
    undated = ~figures["ref_source"].fillna("").isin(TEXT_PERIODS)
    undated |= ~figures["ref_date"].map(is_iso_date).astype(bool)  # a period it cannot print
    return figures.assign(ref_date=figures["ref_date"].where(~undated, ""),
                          ref_precision=figures["ref_precision"].where(~undated, ""))  # fmt: skip


def actual(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures reported as done or as a state, not as a target or a forecast (when the
    table says which)."""
    if "modality" not in figures:
        return figures
    return figures[figures["modality"].fillna("").isin(("actual", ""))]


def division_of(adcode: object) -> str:
    """The county-level division an adcode lies in (6 digits), '' when none is given."""
    code = str(adcode or "")
    return code[:6] if len(code) >= 6 and code[:6] != code[:4] + "00" else ""


def figures_by_division(figures: pd.DataFrame) -> pd.Series:
    """How many figures of a table refer to each county-level division (the city's own
    figures and those with no place are not counted)."""
    divisions = figures["place_adcode"].map(division_of)
    return divisions[divisions != ""].value_counts().sort_index()


def sentences_without_figures(
    texts: pd.DataFrame, figures: pd.DataFrame, words: tuple[str, ...]
) -> pd.DataFrame:
    """Sentences that name one of ``words`` but carry no quantity: what the archive mentions
    and does not count ("碳排放…进行了反演评估"). One row per distinct sentence (a copy's
    repeat is dropped): report, article, start, end, sentence."""
    from xining_data.read.report import Report
    from xining_data.read.segment import sentences_of

    columns = ["report", "article", "start", "end", "sentence"]
    pattern = "|".join(re.escape(w) for w in words)
    if not pattern or texts.empty:
        return pd.DataFrame(columns=columns)
    quantities = figures[~figures["kind"].isin(NOT_QUANTITIES)]
    starts = {r: group["start"].to_numpy() for r, group in quantities.groupby("report")}
    rows = []
    for report, text in texts.loc[texts["text"].str.contains(pattern), ["report", "text"]].values:
        counted = starts.get(report, [])
        for sent in sentences_of(Report(report, str(text))):
            if re.search(pattern, sent.text) and not any(
                sent.start <= s < sent.end for s in counted
            ):
                rows.append((report, sent.article, sent.start, sent.end, sent.text.strip()))
    found = pd.DataFrame(rows, columns=columns)
    return found.drop_duplicates("sentence").reset_index(drop=True)


# Places below a county that a story lists by name under their division, in this order.
LOCAL_LEVELS = ("township", "village", "facility", "area", "river")


def named_places(
    places: pd.DataFrame, articles: pd.DataFrame, figures: pd.DataFrame, theme: str
) -> pd.DataFrame:
    """The townships, villages, facilities, areas and rivers the theme's reports name: in an
    article of the theme or in a sentence that holds one of its ``figures`` (the overview:
    every one). One row per name and division (``division``: its county-level adcode, '' when
    the text places it no closer than the city), a word that points back (全村, 该镇) left
    out; ``precision`` says how closely the text locates it."""
    local = places[places["level"].isin(LOCAL_LEVELS)]
    local = local[~local["rule"].fillna("").str.startswith("deictic")]
    if theme != "overview" and not local.empty:
        mine = articles.loc[articles["theme"] == theme, ["report", "order"]]
        in_article = pd.MultiIndex.from_frame(local[["report", "article"]]).isin(
            pd.MultiIndex.from_frame(mine.rename(columns={"order": "article"}))
        )
        local = local[in_article | _in_sentences(local, figures)]
    given = local["name"].fillna("")
    named = local.assign(
        name=given.where(given != "", local["text"]), division=local["adcode"].map(division_of)
    )
    order = {level: n for n, level in enumerate(LOCAL_LEVELS)}
    named = named.assign(_order=named["level"].map(order)).sort_values(
        ["division", "_order", "report", "start"], kind="stable"
    )
    columns = ["name", "level", "adcode", "division", "precision", "report", "start", "end"]
    return named.drop_duplicates(["name", "division"])[columns].reset_index(drop=True)


def _in_sentences(places: pd.DataFrame, figures: pd.DataFrame) -> pd.Series:
    """Which place mentions lie in a sentence that holds one of ``figures``."""
    inside = pd.Series(False, index=places.index)
    spans = figures[["report", "sentence_start", "sentence_end"]].drop_duplicates()
    for report, group in spans.groupby("report"):
        mine = places["report"] == report
        starts = places.loc[mine, "start"]
        hit = pd.Series(False, index=starts.index)
        for s0, s1 in zip(group["sentence_start"], group["sentence_end"], strict=True):
            hit |= (starts >= s0) & (starts < s1)
        inside.loc[hit.index] |= hit
    return inside


# --- flows and stocks: what was added in a period, what is held ---------------------------------


@cache
def flow_or_stock_words() -> tuple[tuple[str, str], ...]:
    """(word, kind) of data/stories/flow_or_stock.csv: kind is stock, flow or level."""
    import csv

    from xining_data.base.paths import DATA_DIR

    with (DATA_DIR / "stories" / "flow_or_stock.csv").open(encoding="utf-8", newline="") as f:
        return tuple((row["word"], row["kind"]) for row in csv.DictReader(f))


_CLAUSE_BREAK = re.compile(r"[，,；;。：:！？]")


def flow_or_stock(sentence: str, offset: int) -> str:
    """Whether the figure at ``offset`` of ``sentence`` is a 'stock' (a total held: 累计,
    总数), a 'flow' (added in the period: 新增, 新命名) or '' (the clause does not say), by
    the words of its clause before it. A total word wins over a flow word, a flow word over a
    level word (新增就业达到… is a flow)."""
    head = sentence[: max(offset, 0)]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() :] if breaks else head
    kinds = {kind for word, kind in flow_or_stock_words() if word in clause}
    for kind, reads_as in (("stock", "stock"), ("flow", "flow"), ("level", "stock")):
        if kind in kinds:
            return reads_as
    return ""


def without_flows_beside_stocks(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` less each flow whose source gives a stock of the same indicator, place and
    period (of the key columns ``rows`` has): one figure per indicator and place, the stock,
    is what a rate per resident uses."""
    if rows.empty:
        return rows
    kinds = pd.Series(
        [flow_or_stock(str(r.sentence), int(r.start) - int(r.sentence_start))
         for r in rows[["sentence", "start", "sentence_start"]].itertuples()],
        index=rows.index,
    )  # fmt: skip
    columns = [c for c in PARTS_KEY if c in rows.columns]  # a figures table has no source
    key = rows[columns].astype(str).agg("\x1f".join, axis=1)
    with_stock = set(key[kinds == "stock"])
    return rows[~((kinds == "flow") & key.isin(with_stock))]
