"""The words and tables of an archive story, in either edition, every number cited.

Each function takes the story's edition (:class:`~xining_data.stories.story.Story`, which
numbers citations in the ledger) and what the archive says on the theme
(:class:`~xining_data.stories.archive.ThemeArchive`), and returns Markdown for the page.
Sentences claim only what their figures' sentences say: the report is the source
("报道称", "according to"), values keep their qualifiers, and a change between two periods
is said as "from … to …" with no cause. Reports are named by title, outlet and date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import pandas as pd

from xining_data.stories.archive import ThemeArchive, indicator_catalogue
from xining_data.stories.editions import name_in, original
from xining_data.stories.ledger import report_name
from xining_data.stories.story import Story
from xining_data.stories.wording import blank_if_na, fmt_date, is_iso_date

TABLE_ROWS = 60  # rows of a table on the page; the figure kit's CSV holds all of them


@cache
def _indicator_names() -> dict[str, dict[str, str]]:
    """Each catalogued indicator's name by language (read once: every table row asks)."""
    catalogue = indicator_catalogue()
    return {
        row.id: {"zh": row.name_zh, "en": row.name_en} for row in catalogue.itertuples(index=False)
    }


def indicator_name(indicator: str, language: str) -> str:
    """An indicator's name in the edition's language (the id itself when not catalogued)."""
    names = _indicator_names().get(indicator)
    return names["zh" if language == "zh" else "en"] if names else indicator


def fact_name(row: Mapping[str, Any], archive: ThemeArchive, language: str) -> str:
    """What a fact counts: the report's own words when they say more than the indicator's name
    (县(区)级社区“石榴籽家园”, 新增…, …下降), or when the same source gives the indicator, place
    and period several values (parts of a whole) that need telling apart; else the name."""
    name = indicator_name(str(row["indicator"]), language)
    core = indicator_name(str(row["indicator"]), "zh").strip("“”")
    said = {str(blank_if_na(row.get(c)) or "") for c in ("measure", "subject")}
    said = sorted(said - {"", core, f"“{core}”"}, key=len, reverse=True)
    fuller = [w for w in said if core in w]
    if fuller:
        words = fuller[0]
    elif said and len(archive.parts(row)) > 1:
        words = said[0]
    else:
        return name
    if language == "zh":
        return words if core in words else f"{name}（{words}）"
    return f"{name} (in the report: {words})"


def mid_sentence(name: str, language: str) -> str:
    """An English indicator name inside a sentence: "Gig-work markets" becomes "gig-work
    markets"; an acronym (GDP) and the Chinese edition are left as they are."""
    if language == "zh" or len(name) < 2 or not name[1].islower():
        return name
    return name[0].lower() + name[1:]


def place_name(row: Mapping[str, Any], language: str) -> str:
    """Where a figure is, as the text names it (English from pinyin or the override table)."""
    name = str(blank_if_na(row.get("place")) or "")
    if not name:
        return "" if language == "zh" else "(place not given)"
    if language == "zh":
        return name
    from xining_data.geo.boundaries import english_name

    return english_name(name, str(blank_if_na(row.get("place_adcode")) or ""))


def period(row: Mapping[str, Any], language: str) -> str:
    """A figure's reference period as printed, as precise as the text."""
    iso = str(blank_if_na(row.get("ref_date")) or "")
    if not is_iso_date(iso):
        return ""
    inferred = str(blank_if_na(row.get("ref_source")) or "") == "inferred"
    return fmt_date(iso, str(blank_if_na(row.get("ref_precision")) or "") or None, language,
                    inferred=inferred)  # fmt: skip


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the lede ------------------------------------------------------------------------------


def lede(s: Story, archive: ThemeArchive, reports: pd.DataFrame) -> str:
    """The story's first sentence: its strongest finding, chosen by the editor's rule."""
    found = archive.lede
    if found is None:
        return nothing_to_say(s, archive)
    rows = found.rows
    first = rows[0]
    what = {
        "name": mid_sentence(fact_name(first, archive, s.language), s.language),
        "place": place_name(first, s.language),
    }
    if found.kind == "disagreement":
        a, b = clashing_pair(rows)
        return s.say(
            "报道对{place}{when}的{name}给出不同数字：{ra}称{va}，{rb}称{vb}。",
            "Reports disagree on {name} in {place} for {when}: {ra} gives {va}, {rb} gives {vb}.",
            **what, when=period(a, s.language),
            ra=report_name(a["report"], reports, s.language), va=s.num(a, unit=True),
            rb=report_name(b["report"], reports, s.language), vb=s.num(b, unit=True),
        )  # fmt: skip
    if found.kind == "change":
        a, b = rows
        return s.say(
            "据报道，{place}的{name}从{wa}的{va}变为{wb}的{vb}。",
            "According to the reports, {name} in {place} went from {va} in {wa} to {vb} in {wb}.",
            **what, wa=period(a, s.language), va=s.num(a, unit=True),
            wb=period(b, s.language), vb=s.num(b, unit=True),
        )  # fmt: skip
    if found.kind == "latest" and period(first, s.language):
        return s.say(
            "{report}称，{place}{when}的{name}为{value}。",
            "According to {report}, {name} in {place} for {when} was {value}.",
            **what, when=period(first, s.language), value=s.num(first, unit=True),
            report=report_name(first["report"], reports, s.language),
        )  # fmt: skip
    return s.say(
        "{report}称，{place}的{name}为{value}。",
        "{report} gives {name} in {place} as {value}.",
        **what, value=s.num(first, unit=True),
        report=report_name(first["report"], reports, s.language),
    )  # fmt: skip


def clashing_pair(rows: tuple[pd.Series, ...]) -> tuple[pd.Series, pd.Series]:
    """The first two rows of a disagreement that cannot both hold and come from different
    sources (a third row may agree with one of them): the pair a lede sets side by side."""
    from xining_data.stories.findings import compatible

    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if not compatible(a, b) and a.get("source") != b.get("source"):
                return a, b
    return rows[0], rows[1]


def nothing_to_say(s: Story, archive: ThemeArchive) -> str:
    """What a story says when the archive holds no figure on its theme."""
    theme = mid_sentence(s.theme_name(archive.theme), s.language)
    if archive.is_empty:
        return s.say("这批报道没有关于“{theme}”的数字。", "These reports give no figures on {theme}.",
                     theme=theme)  # fmt: skip
    return s.say(
        "这批报道关于“{theme}”的数字，都无法对应到指标目录中的指标；下表逐条列出，供记者核读。",
        "None of these reports' figures on {theme} matches an indicator of the catalogue; "
        "they are listed below for a reporter to read.",
        theme=theme,
    )


# --- tables --------------------------------------------------------------------------------


FACT_HEADER = {
    "zh": ["指标", "地方", "时期", "数值", "报道", "原句"],
    "en": ["Indicator", "Place", "Period", "Value", "Report", "Sentence"],
}


def _fact_table(s: Story, facts: pd.DataFrame, reports: pd.DataFrame, name) -> str:
    """Facts as a table, each named by ``name(row)``, with value, report and sentence."""
    rows = [
        [name(r), place_name(r, s.language), period(r, s.language), s.num(r, unit=True),
         report_name(r["report"], reports, s.language), original(r["sentence"], s.language)]
        for _, r in facts.head(TABLE_ROWS).iterrows()
    ]  # fmt: skip
    return _table(FACT_HEADER[s.language], rows)


def latest_table(s: Story, archive: ThemeArchive, reports: pd.DataFrame) -> str:
    """The latest value of each indicator and place, with its source sentence."""
    return _fact_table(s, archive.latest(), reports,
                       lambda r: fact_name(r, archive, s.language))  # fmt: skip


def disputes_table(s: Story, archive: ThemeArchive, reports: pd.DataFrame) -> str:
    """Every disagreement: the values side by side, each with its report."""
    return _fact_table(s, archive.disputes, reports,
                       lambda r: indicator_name(r["indicator"], s.language))  # fmt: skip


def silences(s: Story, archive: ThemeArchive) -> str:
    """The theme's catalogued indicators that no report gives, as a sentence."""
    names = [mid_sentence(indicator_name(i, s.language), s.language) for i in archive.silent["id"]]
    if not names:
        return s.say("指标目录中本主题的指标，这批报道都有数字。",
                     "The reports give a figure for every indicator of the theme's catalogue.")  # fmt: skip
    joined = ("、" if s.language == "zh" else ", ").join(names)
    return s.say("这批报道没有给出以下指标的数字：{names}。",
                 "The reports give no figure for: {names}.", names=joined)  # fmt: skip


def figure_list(
    s: Story, figures: pd.DataFrame, reports: pd.DataFrame, limit: int = TABLE_ROWS
) -> str:
    """Figures as a table: what each measures, its value, place, period, report and sentence."""
    header = {
        "zh": ["所指", "数值", "地方", "时期", "报道", "原句"],
        "en": ["Measures", "Value", "Place", "Period", "Report", "Sentence"],
    }[s.language]
    rows = [
        [original(blank_if_na(r.get("measure")) or "—", s.language), s.num(r, unit=True),
         place_name(r, s.language),
         period(r, s.language), report_name(r["report"], reports, s.language),
         original(r["sentence"], s.language)]
        for _, r in figures.head(limit).iterrows()
    ]  # fmt: skip
    return _table(header, rows)


def kit_table(figures: pd.DataFrame, language: str) -> pd.DataFrame:
    """All figures of a theme for the figure kit's CSV (every row, not only those shown)."""
    columns = ["measure", "indicator", "value", "qualifier", "unit", "place", "place_adcode",
               "ref_date", "ref_precision", "report", "start", "end", "sentence"]  # fmt: skip
    present = [c for c in columns if c in figures.columns]
    table = figures[present].copy()
    if "indicator" in table:
        table.insert(present.index("indicator") + 1, "indicator_name",
                     table["indicator"].fillna("").map(lambda i: indicator_name(i, language) if i else ""))  # fmt: skip
    return table.reset_index(drop=True)


# --- where: places named under their division ------------------------------------------------


LEVEL_WORDS = {
    "township": ("乡镇（街道）", "townships and subdistricts"),
    "village": ("村和社区", "villages and communities"),
    "facility": ("设施和工程", "facilities and projects"),
    "area": ("片区", "areas"),
    "river": ("河流", "rivers"),
}
# How closely the text locates a facility, area or river (a point needs no word).
LOCATED = {
    "village": ("定位到所在村", "located to its village"),
    "township": ("定位到所在乡镇", "located to its township"),
    "district": ("只定位到县区", "located to its division only"),
    "city": ("只定位到全市", "located to the city only"),
}
NAMES_SHOWN = 12  # names of one kind under one division; the rest are counted


def division_label(division: str, language: str) -> str:
    """A county-level division's name in the edition ('' code: the city, no division given)."""
    from xining_data.geo.boundaries import divisions

    table = divisions().set_index("adcode")
    if division in table.index:
        return str(table.loc[division, "name" if language == "zh" else "name_en"])
    return "全市（未指明县区）" if language == "zh" else "City-wide (no division given)"


def places_by_division(s: Story, named: pd.DataFrame) -> str:
    """The places a theme names, as bullets under their division: townships, villages, then
    facilities with how closely the text locates them (:func:`.archive.named_places`)."""
    lines = []
    for division, group in named.groupby("division", sort=True):
        kinds = []
        for level, rows in group.groupby("level", sort=False):
            names = [_located(s, r) for r in rows.itertuples()]
            more = len(names) - NAMES_SHOWN
            listed = ("、" if s.language == "zh" else ", ").join(names[:NAMES_SHOWN])
            if more > 0:
                listed += s.say("等，另有{k}处", ", and {k} more", k=s.fmt(more))
            words = LEVEL_WORDS.get(str(level), (str(level), str(level)))
            kinds.append(s.say("{kind}：{names}", "{kind}: {names}", kind=words[0 if s.language == "zh" else 1],
                               names=listed))  # fmt: skip
        joined = ("；" if s.language == "zh" else "; ").join(kinds)
        lines.append(f"- **{division_label(str(division), s.language)}**" +
                     ("：" if s.language == "zh" else ": ") + joined)  # fmt: skip
    return "\n".join(lines)


def _located(s: Story, row: Any) -> str:
    """A place's name, with how closely the text locates it when that is coarser than itself."""
    note = LOCATED.get(str(row.precision)) if row.level in ("facility", "area", "river") else None
    name = name_in(str(row.name), s.language)
    if not note:
        return name
    return s.say("{name}（{how}）", "{name} ({how})", name=name,
                 how=note[0 if s.language == "zh" else 1])  # fmt: skip
