"""Reposts, mirrors and truncated copies: reports that are one source, not two.

News pages are reposted with another outlet line, mirrored, or cut short. A copy is not
corroboration, and a truncated copy is not a disagreement, so the stories count a group of
copies as one source. Two reports are copies when most of the shorter one's text stands in
the longer one: the *containment* of its character shingles in the other's.

Shingles are sampled by content (a shingle is kept when its hash is 0 modulo
:data:`SAMPLE_EVERY`, Broder's mod-m sampling), so the same passage keeps the same sample in
every report that holds it, whatever precedes it, and a copy cut at any point keeps the
sample of what remains. Candidates come from an inverted index of the samples; samples found
in more than :data:`COMMON_IN` reports are boilerplate (bylines, slogans) and left out.
Time and memory grow with the archive's length, not its square.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

SHINGLE = 8  # characters: long enough that two unrelated Chinese reports rarely share one
SAMPLE_EVERY = 4  # keep about one shingle in four (a short copy keeps enough to judge)
COMMON_IN = 50  # a sample in more reports than this is boilerplate
MIN_SAMPLES = 4  # a report with fewer samples (a brief of a few dozen characters) is its own source
CONTAINED = 0.8  # share of the shorter report's samples found in the longer one
_NOT_TEXT = re.compile(r"[\s\u3000]+")


def samples(text: str) -> frozenset[int]:
    """The content-sampled shingle hashes of a text (white space ignored)."""
    flat = _NOT_TEXT.sub("", text)
    kept = set()
    for i in range(len(flat) - SHINGLE + 1):
        h = zlib.crc32(flat[i : i + SHINGLE].encode("utf-8"))
        if h % SAMPLE_EVERY == 0:
            kept.add(h)
    return frozenset(kept)


def containment(small: frozenset[int], large: frozenset[int]) -> float:
    """Share of ``small``'s samples that stand in ``large`` (0 when ``small`` is empty)."""
    return len(small & large) / len(small) if small else 0.0


@dataclass(frozen=True)
class CopyGroup:
    """One source: the report kept as the original (the longest) and its copies."""

    original: str
    copies: tuple[str, ...]


def copy_groups(
    texts: Mapping[str, str], sampled: Mapping[str, frozenset[int]] | None = None
) -> dict[str, str]:
    """Each report id → the id of the original of its group (itself when it has no copy).

    The original of a group is its longest report (ties: the smallest id), so a truncated
    copy points to the full text. ``sampled``: each text's :func:`samples`, when they were
    taken already (the build takes them on its workers, report by report).
    """
    if sampled is None:
        sampled = {rid: samples(text) for rid, text in texts.items()}
    parent = {rid: rid for rid in texts}

    def root(rid: str) -> str:
        while parent[rid] != rid:
            parent[rid] = parent[parent[rid]]
            rid = parent[rid]
        return rid

    for a, b in _candidate_pairs(sampled):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue  # already one group: whether they are copies changes nothing
        small, large = sorted((sampled[a], sampled[b]), key=len)
        if len(small) >= MIN_SAMPLES and containment(small, large) >= CONTAINED:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for rid in texts:
        members[root(rid)].append(rid)
    original = {}
    for group in members.values():
        if len(group) == 1:
            original[group[0]] = group[0]
            continue
        head = min(group, key=lambda rid: (-len(_NOT_TEXT.sub("", texts[rid])), rid))
        original.update(dict.fromkeys(group, head))
    return original


def groups(original: Mapping[str, str]) -> list[CopyGroup]:
    """The groups with more than one report, for a reader: original and copies."""
    members: dict[str, list[str]] = defaultdict(list)
    for rid, head in original.items():
        if rid != head:
            members[head].append(rid)
    return [CopyGroup(head, tuple(sorted(copies))) for head, copies in sorted(members.items())]


def _candidate_pairs(sampled: Mapping[str, frozenset[int]]) -> Iterable[tuple[str, str]]:
    """The pairs of reports that share a sample found in at most COMMON_IN reports, and
    enough samples that the shorter may be CONTAINED in the longer: what they share is at
    most their shared rarer samples plus the boilerplate samples of the shorter, so a pair
    below that bound is left out without intersecting their samples (an archive of one
    genre shares many rare samples between reports that are no copies)."""
    index: dict[int, list[str]] = defaultdict(list)
    for rid, hashes in sampled.items():
        for h in hashes:
            index[h].append(rid)
    shared: Counter[tuple[str, str]] = Counter()
    boilerplate: Counter[str] = Counter()
    for rids in index.values():
        if len(rids) > COMMON_IN:
            boilerplate.update(rids)
        elif len(rids) > 1:
            shared.update(combinations(sorted(rids), 2))
    size = {rid: len(hashes) for rid, hashes in sampled.items()}
    need = {rid: CONTAINED * n - boilerplate[rid] for rid, n in size.items()}  # rare ones
    for (a, b), n in shared.items():
        if n >= need[a if size[a] <= size[b] else b]:
            yield a, b
