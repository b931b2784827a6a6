"""When: the dated events an archive tells on a theme, for a timeline.

Any report dates what happened: "城北区零工市场于2022年5月建成投用", "去年园区新建分布式光伏项目
9个". An event here is a date figure of the theme (in an article of the theme, or in a sentence
that holds one of the theme's figures) with the words of its clause as its label. Left out: a
date that is the base of a comparison (较2020年提高), a date in a sentence that states a goal or
a forecast (计划于2月举办, 预计今年6月投产: not yet an event), a report's own dateline or source
line, and a date the text does not resolve to a year (12月19日 in an undated report). The
precision stays the text's: a year is a year (a span on the timeline), a day a day.
"""

from __future__ import annotations

import re

import pandas as pd

from xining_data.stories.wording import blank_if_na, is_iso_date

# Events a timeline draws; the rest are counted on the page.
TIMELINE_EVENTS = 12
LABEL_CHARS = 26  # a label longer than this is cut and ends with …
CLAUSE_MARK = re.compile(r"[，,；;：:。！？!?]")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
# The time words around a date: before it (于2022年5月) and after it (2023年以来, 1月18日上午).
_LEAD_WORDS = re.compile(r"(?:截至|截止到?|到|在|于|自|从)\s*$")
_TAIL_WORDS = re.compile(
    r"^(?:以来|以后|之后|期间|底|末|初|中旬|上旬|下旬|上午|下午|晚上|上半年|下半年)"
)
_QUOTES = ' \u3000“”"（()）—'
# A news story's opening furniture before its first words: 本报讯（记者 …）, 西宁都市报讯 记者
# and a bracketed tag opening a title: 【简讯】
_FURNITURE = re.compile(r"^(?:[^，。；]{0,12}讯[】\]]?\s*(?:[（(][^）)]*[）)])?|【[^】]{1,8}】)\s*")
EVENT_COLUMNS = ["report", "date", "precision", "inferred", "label", "sentence", "figure"]


def theme_dates(figures: pd.DataFrame, quantities: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The date figures of a theme: in a sentence that holds one of its ``quantities``, or in a
    sentence of the theme (:func:`~xining_data.stories.archive.sentence_of_theme`; the
    overview: every date)."""
    from xining_data.stories.archive import sentence_of_theme

    dates = figures[figures["kind"] == "date"]
    if theme == "overview" or dates.empty:
        return dates
    sentences = set(zip(quantities["report"], quantities["sentence_start"], strict=True))
    in_sentence = pd.Series(
        [
            (r, s) in sentences
            for r, s in zip(dates["report"], dates["sentence_start"], strict=True)
        ],
        index=dates.index,
        dtype=bool,
    )
    return dates[in_sentence | sentence_of_theme(dates, figures, theme)]


def events(dates: pd.DataFrame, original: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per dated event (see the module doc), oldest first: report, ISO date, its
    precision, whether it is inferred, the clause as label, the sentence and the figure row.
    A report gives a date one event (its first clause with it); the same event told by a copy
    (``original``: each report's original) is kept once."""
    rows = []
    for _, row in dates.iterrows():
        label = event_label(row)
        if label:
            rows.append({
                "report": row["report"], "date": row["date"],
                "precision": blank_if_na(row.get("date_precision")) or "",
                "inferred": bool(blank_if_na(row.get("date_inferred"))), "label": label,
                "sentence": row["sentence"], "figure": row,
            })  # fmt: skip
    table = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    table = table.sort_values("inferred", kind="stable")  # a printed date before its guess
    source = table["report"].map(lambda r: (original or {}).get(r, r))
    table = table[~table.assign(_source=source).duplicated(["_source", "date"])]
    table = table[~table.duplicated(["label", "precision"])]  # a copy's inferred twin
    table = table.assign(_key=table["date"].map(_sort_key))
    return table.sort_values("_key", kind="stable").drop(columns="_key").reset_index(drop=True)


def event_label(row: pd.Series) -> str:
    """The words of a date's clause ('' when the date is no event: see the module doc); a clause
    that only dates the sentence (2022年，全市…) takes the clause after it."""
    from xining_data.extract.modality import speaks_ahead
    from xining_data.extract.reference import is_base
    from xining_data.read.dateline import DATE_LINE, SOURCE_LINE

    sentence = str(row["sentence"])
    start = int(row["start"]) - int(row["sentence_start"])
    end = int(row["end"]) - int(row["sentence_start"])
    if not is_iso_date(row["date"]) or not 0 <= start < end <= len(sentence):
        return ""
    if (
        is_base(sentence, {"start": start, "end": end})
        or speaks_ahead(sentence)
        or DATE_LINE.match(sentence.strip())
        or SOURCE_LINE.search(sentence)
    ):
        return ""
    return shorten(_clause(sentence, start, end))


def _clause(sentence: str, start: int, end: int) -> str:
    """The words of a date's clause as the text writes them (城北区零工市场于2022年5月建成投用),
    or the next clause when the date's clause only dates the sentence (2022年，全市地区生产总值
    达到…: 全市地区生产总值达到…); a news story's opening furniture left out."""
    a = max((m.end() for m in CLAUSE_MARK.finditer(sentence, 0, start)), default=0)
    stop = CLAUSE_MARK.search(sentence, end)
    b = stop.start() if stop else len(sentence)
    before = _LEAD_WORDS.sub("", _FURNITURE.sub("", sentence[a:start].lstrip(_QUOTES)))
    after = _TAIL_WORDS.sub("", sentence[end:b])
    if not (before + after).strip(_QUOTES) and stop:
        after_stop = CLAUSE_MARK.search(sentence, stop.end())
        return sentence[stop.end() : after_stop.start() if after_stop else None].strip(_QUOTES)
    return _FURNITURE.sub("", sentence[a:b].strip(_QUOTES))


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """The text, cut to at most ``limit`` characters with … when longer."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 1 and text[cut - 1].isdigit() and text[cut].isdigit():
        cut -= 1  # never inside a number (2024…)
    return text[:cut] + "…"


def timeline_events(table: pd.DataFrame, limit: int = TIMELINE_EVENTS) -> pd.DataFrame:
    """The events a timeline draws: the most precisely dated first (a day, then a month, then a
    year), printed dates before inferred ones, the latest among equals; then in date order."""
    if len(table) <= limit:
        return table
    rank = table.assign(
        _precision=table["precision"].map(_PRECISION_RANK).fillna(3),
        _key=table["date"].map(_sort_key),
    )
    chosen = rank.sort_values(["_precision", "inferred", "_key"], ascending=[True, True, False],
                              kind="stable").head(limit)  # fmt: skip
    return chosen.sort_values("_key", kind="stable").drop(columns=["_precision", "_key"])


def _sort_key(iso: str) -> str:
    """Where a date stands in time: the start of its period (a year before its months)."""
    from xining_data.stories.wording import period_bounds

    return period_bounds(iso)[0].isoformat() + f"~{len(iso):02d}"
