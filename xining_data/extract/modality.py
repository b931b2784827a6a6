"""Whether a figure is a fact or a goal: ``actual``, ``target`` or ``forecast``.

"2023年主要预期目标是：…城镇新增就业3万人以上" and "地区生产总值有望突破1900亿元" give
numbers that have not happened; a story that puts them in a series beside outcomes misleads.
The language marks them with words, kept as data in ``data/vocab/modality.csv`` (word,
modality, scope, when, comment). A word ``A…B`` is ``A`` followed by ``B`` in the same
clause (规划…到, 完成…目标). The rules, first that applies:

1. ``after``: a word right after the figure names what the figure is the value of
   (低于3.5%的控制目标: the 3.5% is a target);
2. a word before the figure in its clause: the leftmost of those after the clause's previous
   figure, else the leftmost of the clause (确保完成年度目标3万人: 确保; 计划投资5亿元实际完成
   4.8亿元: 实际). Words with modality ``actual`` are there to say what is not a goal although
   it holds a goal's word (完成年度目标任务的111.7%, 计划生育);
3. ``continues``: a clause opening with 并, 同时 … takes the modality of the clause before;
4. ``sentence``: the leftmost word of the sentence's first clause, when its scope is the
   sentence, covers every later clause (…目标是：a；b；c; 根据规划，到2025年，…);
5. ``when = future``: a word that marks a forecast only when the figure's own period ends
   after the publication date (到2025年底…将达到; not 去年将1.2亿元用于…);
6. otherwise ``actual``: reported as done or as a state.

Dates, ordinals and identifiers (names) have no modality ('').
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from xining_data.base.paths import VOCAB_DIR
from xining_data.extract.reference import CLAUSE_MARK, Reference
from xining_data.extract.vocab import trie

MODALITIES = ("actual", "target", "forecast")
NO_MODALITY = frozenset({"date", "ordinal", "identifier"})
GAP = "…"
OPENING = " \t\u3000“‘「『（("  # what may stand before a clause's first word


@dataclass(frozen=True)
class Cue:
    """One line of the word list."""

    word: str  # the first part of the word
    then: str  # for A…B, the part that follows later in the clause ('' for a plain word)
    modality: str  # actual | target | forecast | '' (continues)
    scope: str  # clause | sentence | after | continues
    when: str  # '' | future


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    cue: Cue


@dataclass(frozen=True)
class _Words:
    cues: dict[str, tuple[Cue, ...]]  # by first part
    first: re.Pattern


@cache
def _words() -> _Words:
    with open(VOCAB_DIR / "modality.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cues: dict[str, list[Cue]] = {}
    for r in rows:
        word, _, then = r["word"].partition(GAP)
        cue = Cue(word, then, r["modality"], r["scope"], r["when"])
        cues.setdefault(word, []).append(cue)
    return _Words({w: tuple(c) for w, c in cues.items()}, re.compile(trie(cues)))


def _hits(sentence: str) -> list[_Hit]:
    """Every word of the list in a sentence (the longest at each place), in order; a word
    ``A…B`` only where ``B`` follows in the same clause."""
    words = _words()
    out = []
    for m in words.first.finditer(sentence):
        stop = CLAUSE_MARK.search(sentence, m.end())
        limit = stop.start() if stop else len(sentence)
        best: _Hit | None = None
        for cue in words.cues[m.group()]:
            if not cue.then:
                hit = _Hit(m.start(), m.end(), cue)
            elif (j := sentence.find(cue.then, m.end(), limit)) >= 0:
                hit = _Hit(m.start(), j + len(cue.then), cue)
            else:
                continue
            if best is None or (best.cue.then == "" and cue.then):
                best = hit  # a pattern that holds beats the plain word
        if best is not None:
            out.append(best)
    return out


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of a sentence, end exclusive, marks left out."""
    out, a = [], 0
    for m in CLAUSE_MARK.finditer(sentence):
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(sentence)))
    return out


def _leftmost(hits: list[_Hit], a: int, b: int, *, conditional: bool = False) -> _Hit | None:
    """The first hit starting in [a, b) that decides a modality (conditional words only
    when asked for)."""
    for h in hits:
        deciding = h.cue.scope not in ("after", "continues") and bool(h.cue.when) == conditional
        if a <= h.start < b and deciding:
            return h
    return None


def _continues(sentence: str, hits: list[_Hit], clause: tuple[int, int]) -> bool:
    """Does the clause open with a word that continues the clause before (并, 同时)?"""
    a, b = clause
    opening = a + len(sentence[a:b]) - len(sentence[a:b].lstrip(OPENING))
    return any(h.start == opening and h.cue.scope == "continues" for h in hits)


def _continued(sentence: str, hits: list[_Hit], clauses, k: int) -> str:
    """The modality clause ``k`` takes from the clauses it continues ('' if none)."""
    while k > 0 and _continues(sentence, hits, clauses[k]):
        k -= 1
        hit = _leftmost(hits, *clauses[k])
        if hit:
            return hit.cue.modality
    return ""


def _period_end(iso: str) -> str:
    """The last day of an ISO date or range, as a comparable string (months as 31 days)."""
    end = iso.split("/")[-1]
    return end + {4: "-12-31", 7: "-31"}.get(len(end), "")


def is_future(ref: Reference, published: str) -> bool:
    """Does the figure's own period (its clause's or as-of date) end after publication?"""
    return (
        bool(published and ref.date)
        and ref.source in ("clause", "as_of")
        and _period_end(ref.date) > _period_end(published)
    )


def sentence_modalities(
    sentence: str, spans: Sequence[tuple[int, int, str]], future: Sequence[bool]
) -> list[str]:
    """The modality of each figure of a sentence: ``spans`` are (start, end, kind) with
    offsets into ``sentence``; ``future`` says whether each one's own period is after the
    publication date."""
    hits = _hits(sentence)
    clauses = _clauses(sentence)
    read = _Read(sentence, hits, clauses)
    ends = [b for _, b in clauses]
    out = []
    previous_end: dict[int, int] = {}
    for (s, e, kind), later in zip(spans, future, strict=True):
        k = bisect_left(ends, s)  # the first clause a <= s <= b (ends and starts ascend)
        k = k if k < len(clauses) and clauses[k][0] <= s else len(clauses) - 1
        a, b = clauses[k]
        segment_start = previous_end.get(k, a)
        previous_end[k] = e
        if kind in NO_MODALITY:
            out.append("")
            continue
        out.append(_modality(read, k, (s, e), segment_start, later))
    return out


class _Read(NamedTuple):
    """A sentence with its modality words and clauses."""

    sentence: str
    hits: list
    clauses: list


def _modality(read: _Read, k: int, span: tuple[int, int], segment_start: int, later: bool) -> str:
    """The modality of the figure at ``span`` of clause ``k``."""
    sentence, hits, clauses = read
    s, e = span
    a, b = clauses[k]
    after = sentence[e:b].lstrip()
    for h in hits:
        if h.cue.scope == "after" and h.start == b - len(after) and h.end <= b:
            return h.cue.modality
    hit = _leftmost(hits, segment_start, s) or _leftmost(hits, a, s)
    if hit:
        return hit.cue.modality
    if k > 0:
        continued = _continued(sentence, hits, clauses, k)
        if continued:
            return continued
        first = _leftmost(hits, *clauses[0])
        if first and first.cue.scope == "sentence":
            return first.cue.modality
    if later and _leftmost(hits, a, s, conditional=True):
        return "forecast"
    return "actual"


def modalities(
    text: str, figures: Sequence[dict], refs: Sequence[Reference], published: str
) -> list[str]:
    """The modality of each row of a report's figures table (start, end, kind and the
    sentence columns), given each figure's reference period and the publication date."""
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, f in enumerate(figures):
        by_sentence.setdefault((f["sentence_start"], f["sentence_end"]), []).append(i)
    out = [""] * len(figures)
    for (s0, s1), rows in by_sentence.items():
        rows.sort(key=lambda i: figures[i]["start"])
        spans = [
            (figures[i]["start"] - s0, figures[i]["end"] - s0, figures[i]["kind"]) for i in rows
        ]
        future = [is_future(refs[i], published) for i in rows]
        for i, m in zip(rows, sentence_modalities(text[s0:s1], spans, future), strict=True):
            out[i] = m
    return out


def speaks_ahead(sentence: str) -> bool:
    """Does a sentence state a goal or a forecast: is the first word of the list that decides
    a modality in it (将 included) a target or forecast word? (今年将力争…, 预计今年6月投产;
    not 今年以来…新增, 今年春天…安装了)."""
    for h in _hits(sentence):
        if h.cue.scope not in ("after", "continues"):
            return h.cue.modality in ("target", "forecast")
    return False
