"""The reference period of every figure: the time its number is about.

Stories join figures on indicator, place and period, so every figure gets a ``ref_date``
(ISO 8601, as precise as known), its ``ref_precision`` and where it came from
(``ref_source``), the first of these that applies:

- ``clause``: a date of its own clause (2024年全市新增就业…), or a date that opens the
  sentence as a clause of its own (去年11月，我市…; 去年以来，全市…); a date is its own period.
  A date that is the base of a comparison (较2020年提高, 比去年增加, 与2021年相比) is not the
  figure's period (the words are data, ``data/vocab/comparisons.csv``);
- ``as_of``: the as-of date its sentence gives (截至2024年底 …), or the publication date
  when the sentence says 截至目前 / 目前;
- ``paragraph``: the date that opens its paragraph as a clause of its own, when that is the
  paragraph's first figure (2022年，全市地区生产总值… 。城镇新增就业3.2万人 …: 2022) and
  its sentence states no goal (根据规划，到2025年底，… names a horizon, not a topic);
- ``title``: the one year its article's title names (西宁市2021年国民经济和社会发展统计公报:
  its 全年 and 年末 figures are about 2021), when every date of the title is that year;
- ``published``: the report's publication date;
- ``inferred``: the publication date, inferred from the years the text writes (flagged).

The paragraph and title rules need the report's layout (:class:`Layout`); without one a
figure is dated by its sentence alone. A topic dates what a report tells as done: targets
and forecasts (``goals``, see :mod:`.modality`) keep the period they name themselves.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from xining_data.base.paths import VOCAB_DIR

CLAUSE_MARK = re.compile(r"[，,；;：:。！？!?]")
# What may stand beside a date in a clause that only dates the rest of its sentence.
TIME_ADVERBIAL = re.compile(r"^(?:截至|截止到?|截至到|到|在|于|自|从)?$")
TIME_TAIL = re.compile(
    r"^(?:以来|以后|之后|以前|之前|期间|前后|底|末|初|年底|年末|上半年|下半年)?$"
)
PRECISIONS = {4: "year", 7: "month", 10: "day"}
# How far after a date a word that closes a comparison may start (与2020年末相比).
BASE_AFTER_GAP = 2


@dataclass(frozen=True)
class Reference:
    """A figure's reference period."""

    date: str
    precision: str
    # clause | as_of | paragraph | title | published | inferred | "" (nothing known)
    source: str


@dataclass(frozen=True)
class Layout:
    """Where a report's paragraphs and article titles stand (raw offsets, end exclusive)."""

    paragraphs: tuple[tuple[int, int], ...] = ()
    # (article start, article end, title start, title end); a title of -1 when there is none
    articles: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class _Bases:
    before: tuple[str, ...]
    after: tuple[str, ...]


@cache
def _bases() -> _Bases:
    with open(VOCAB_DIR / "comparisons.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by = lambda position: tuple(r["word"] for r in rows if r["position"] == position)  # noqa: E731
    return _Bases(by("before"), by("after"))


def precision_of(iso: str) -> str:
    """year, month or day for an ISO date (a range takes its end's)."""
    return PRECISIONS.get(len(iso.split("/")[-1]), "")


def is_base(text: str, date: dict) -> bool:
    """Is the date the base of a comparison (较2020年, 比去年, 与2021年末相比)?"""
    bases = _bases()
    if text.endswith(bases.before, 0, date["start"]):  # no copy of the text before it
        return True
    tail = text[date["end"] : date["end"] + BASE_AFTER_GAP + max(map(len, bases.after))]
    return any(0 <= tail.find(w) <= BASE_AFTER_GAP for w in bases.after)


def _scopes_sentence(text: str, sentence_start: int, date: dict) -> bool:
    """Is the date a clause of its own that opens the sentence (去年11月，…)?"""
    head = text[sentence_start : date["start"]]
    cut = max((m.end() for m in CLAUSE_MARK.finditer(head)), default=0)
    stop = CLAUSE_MARK.search(text, date["end"])  # no copy of the rest of the text
    return bool(
        TIME_ADVERBIAL.match(head[cut:].strip())
        and stop
        and TIME_TAIL.match(text[date["end"] : stop.start()].strip())
    )


def _clause_date(text: str, figure: dict, dates: list[tuple[dict, bool]]) -> dict | None:
    """The last date before the figure in its sentence that dates it (``dates``: the
    sentence's dates, each with whether it is the base of a comparison)."""
    for d, base in reversed(dates):
        if d["end"] > figure["start"] or d["start"] < figure["sentence_start"] or base:
            continue
        if not CLAUSE_MARK.search(text, d["end"], figure["start"]):
            return d
        if _scopes_sentence(text, figure["sentence_start"], d):
            return d
    return None


def _paragraph_topics(
    text: str,
    figures: Sequence[dict],
    paragraphs: Sequence[tuple[int, int]],
    goal_sentences: set[int],
) -> list[tuple[int, int, dict]]:
    """(paragraph start, end, date) for each paragraph whose first figure is a date that
    stands as a clause of its own in the paragraph's first sentence, a sentence of facts."""
    out = []
    ordered = sorted(figures, key=lambda f: f["start"])
    i = 0
    for p0, p1 in sorted(paragraphs):
        while i < len(ordered) and ordered[i]["start"] < p0:
            i += 1
        if i == len(ordered) or ordered[i]["start"] >= p1:
            continue
        first = ordered[i]
        if (
            first["kind"] == "date"
            and "/" not in first["date"]
            and not text[p0 : first["sentence_start"]].strip()
            and _scopes_sentence(text, first["sentence_start"], first)
            and not is_base(text, first)
            and first["sentence_start"] not in goal_sentences
        ):
            out.append((p0, p1, first))
    return out


def _title_topics(
    text: str, figures: Sequence[dict], articles: Sequence[tuple[int, int, int, int]]
) -> list[tuple[int, int, dict]]:
    """(article start, end, date) for each article whose title names one year and no
    finer date (西宁市2021年…统计公报; 我市去年城镇新增就业…)."""
    out = []
    for a0, a1, t0, t1 in articles:
        if t0 < 0:
            continue
        dates = [
            f for f in figures
            if f["kind"] == "date" and t0 <= f["start"] < t1 and not is_base(text, f)
        ]  # fmt: skip
        years = {d["date"] for d in dates if d["date_precision"] == "year" and "/" not in d["date"]}
        if (
            len(years) == 1
            and len(years) == len({d["date"] for d in dates})
            and all(d["date_precision"] == "year" for d in dates)
        ):
            out.append((a0, a1, dates[0]))
    return out


def _topic(topics: list[tuple[int, int, dict]], figure: dict) -> dict | None:
    for a, b, date in topics:
        if a <= figure["start"] < b and date["end"] <= figure["start"]:
            return date
    return None


def references(
    text: str,
    figures: Sequence[dict],
    published: str,
    published_inferred: bool,
    layout: Layout | None = None,
    goals: Sequence[bool] | None = None,
) -> list[Reference]:
    """The reference period of each figure (rows of the figures table: start, end, kind,
    date, date_precision, as_of, sentence_start, sentence_end). ``published`` is the report's
    publication date (ISO, possibly only a year), ``published_inferred`` whether it was
    inferred rather than printed; ``layout`` gives the paragraphs and titles, ``goals``
    which figures are targets or forecasts."""
    own = own_references(text, figures, published, published_inferred)
    return with_topics(text, figures, own, layout, goals)


def own_references(
    text: str, figures: Sequence[dict], published: str, published_inferred: bool
) -> list[Reference]:
    """Each figure's own period (what :func:`references` reads without a layout): a date's
    own, its clause's, its as-of date, else the publication date."""
    fallback = (
        Reference(
            published, precision_of(published), "inferred" if published_inferred else "published"
        )
        if published
        else Reference("", "", "")
    )
    by_sentence: dict[int, list[tuple[dict, bool]]] = {}
    for f in figures:
        if f["kind"] == "date":  # whether each date is a base, once, not once a figure
            by_sentence.setdefault(f["sentence_start"], []).append((f, is_base(text, f)))
    out = []
    for f in figures:
        if f["kind"] == "date":
            out.append(Reference(f["date"], f["date_precision"], "clause"))
        elif (d := _clause_date(text, f, by_sentence.get(f["sentence_start"], []))) is not None:
            out.append(Reference(d["date"], d["date_precision"], "clause"))
        elif f["as_of"] and f["as_of"] != "publication":
            out.append(Reference(f["as_of"], precision_of(f["as_of"]), "as_of"))
        elif f["as_of"] == "publication" and published:
            out.append(Reference(published, precision_of(published), "as_of"))
        else:
            out.append(fallback)
    return out


def with_topics(
    text: str,
    figures: Sequence[dict],
    own: Sequence[Reference],
    layout: Layout | None = None,
    goals: Sequence[bool] | None = None,
) -> list[Reference]:
    """The :func:`own_references`, with the topic of its paragraph or its article's title
    for a figure that has no period of its own and is no goal."""
    layout = layout or Layout()
    goals = goals or [False] * len(figures)
    goal_sentences = {f["sentence_start"] for f, goal in zip(figures, goals, strict=True) if goal}
    paragraphs = _paragraph_topics(text, figures, layout.paragraphs, goal_sentences)
    titles = _title_topics(text, figures, layout.articles)
    out = []
    for f, goal, ref in zip(figures, goals, own, strict=True):
        if ref.source in ("clause", "as_of") or goal:
            out.append(ref)
        elif (t := _topic(paragraphs, f)) is not None:
            out.append(Reference(t["date"], t["date_precision"], "paragraph"))
        elif (t := _topic(titles, f)) is not None:
            out.append(Reference(t["date"], t["date_precision"], "title"))
        else:
            out.append(ref)
    return out
