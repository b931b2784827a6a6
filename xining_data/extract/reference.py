"""The reference period of every figure: the time its number is about.

Stories join figures on indicator, place and period, so every figure gets a ``ref_date``
(ISO 8601, as precise as known), its ``ref_precision`` and where it came from
(``ref_source``):

- ``clause``: a date of its own clause (2024年全市新增就业…), or a date that opens the
  sentence as a clause of its own (去年11月，我市…; 去年以来，全市…); a date is its own period;
- ``as_of``: the as-of date its sentence gives (截至2024年底 …), or the publication date
  when the sentence says 截至目前 / 目前;
- ``published``: the report's publication date;
- ``inferred``: the publication date, inferred from the years the text writes (flagged).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CLAUSE_MARK = re.compile(r"[，,；;：:。！？!?]")
# What may stand beside a date in a clause that only dates the rest of its sentence.
TIME_ADVERBIAL = re.compile(r"^(?:截至|截止到?|截至到|到|在|于|自|从)?$")
TIME_TAIL = re.compile(
    r"^(?:以来|以后|之后|以前|之前|期间|前后|底|末|初|年底|年末|上半年|下半年)?$"
)
PRECISIONS = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class Reference:
    """A figure's reference period."""

    date: str
    precision: str
    source: str  # clause | as_of | published | inferred | "" (nothing known)


def precision_of(iso: str) -> str:
    """year, month or day for an ISO date (a range takes its end's)."""
    return PRECISIONS.get(len(iso.split("/")[-1]), "")


def _scopes_sentence(text: str, sentence_start: int, date: dict) -> bool:
    """Is the date a clause of its own that opens the sentence (去年11月，…)?"""
    head = text[sentence_start : date["start"]]
    cut = max((m.end() for m in CLAUSE_MARK.finditer(head)), default=0)
    tail = text[date["end"] :]
    stop = CLAUSE_MARK.search(tail)
    return bool(
        TIME_ADVERBIAL.match(head[cut:].strip())
        and stop
        and TIME_TAIL.match(tail[: stop.start()].strip())
    )


def _clause_date(text: str, figure: dict, dates: list[dict]) -> dict | None:
    """The last date before the figure in its sentence that dates it."""
    for d in reversed(dates):
        if d["end"] > figure["start"] or d["start"] < figure["sentence_start"]:
            continue
        if not CLAUSE_MARK.search(text[d["end"] : figure["start"]]):
            return d
        if _scopes_sentence(text, figure["sentence_start"], d):
            return d
    return None


def references(
    text: str, figures: Sequence[dict], published: str, published_inferred: bool
) -> list[Reference]:
    """The reference period of each figure (rows of the figures table: start, end, kind,
    date, date_precision, as_of, sentence_start, sentence_end). ``published`` is the report's
    publication date (ISO, possibly only a year), ``published_inferred`` whether it was
    inferred rather than printed."""
    fallback = (
        Reference(
            published, precision_of(published), "inferred" if published_inferred else "published"
        )
        if published
        else Reference("", "", "")
    )
    by_sentence: dict[int, list[dict]] = {}
    for f in figures:
        if f["kind"] == "date":
            by_sentence.setdefault(f["sentence_start"], []).append(f)
    out = []
    for f in figures:
        if f["kind"] == "date":
            out.append(Reference(f["date"], f["date_precision"], "clause"))
            continue
        d = _clause_date(text, f, by_sentence.get(f["sentence_start"], []))
        if d is not None:
            out.append(Reference(d["date"], d["date_precision"], "clause"))
        elif f["as_of"] and f["as_of"] != "publication":
            out.append(Reference(f["as_of"], precision_of(f["as_of"]), "as_of"))
        elif f["as_of"] == "publication" and published:
            out.append(Reference(published, precision_of(published), "as_of"))
        else:
            out.append(fallback)
    return out
