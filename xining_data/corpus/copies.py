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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

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
    texts: Mapping[str, str], sampled: Mapping[str, Iterable[int]] | None = None
) -> dict[str, str]:
    """Each report id → the id of the original of its group (itself when it has no copy).

    The original of a group is its longest report (ties: the smallest id), so a truncated
    copy points to the full text. ``sampled``: each text's :func:`samples`, when they were
    taken already.
    """
    if sampled is None:
        sampled = {rid: samples(text) for rid, text in texts.items()}
    ids = list(texts)
    parts = [np.fromiter(sampled[rid], np.int64) for rid in ids]
    flat = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    return originals(ids, flat, np.array([len(p) for p in parts], np.int64), texts.__getitem__)


def originals(
    ids: Sequence[str], flat: np.ndarray, lengths: np.ndarray, text_of: Callable[[str], str]
) -> dict[str, str]:
    """:func:`copy_groups` from the samples as arrays: ``flat`` holds every report's samples
    (distinct within a report), ``lengths`` how many are each report's, in the order of
    ``ids``; ``text_of`` gives a report's text, asked only for reports that have copies (the
    build keeps the texts in an Arrow table and the samples as its list column)."""
    n = len(ids)
    by_id = sorted(range(n), key=ids.__getitem__)
    rank = np.empty(n, np.int64)  # reports are numbered in the order of their ids
    rank[by_id] = np.arange(n, dtype=np.int64)
    size = np.zeros(n, np.int64)
    size[rank] = lengths
    groups = _Groups(n)
    for a, b in _copy_pairs(np.repeat(rank, lengths), np.asarray(flat, np.int64), size):
        groups.join(a, b)
    heads = groups.heads(lambda r: len(_NOT_TEXT.sub("", text_of(ids[by_id[r]]))))
    return {rid: ids[by_id[heads[r]]] for rid, r in zip(ids, rank.tolist(), strict=True)}


class _Groups:
    """Reports numbered 0..n-1 joined into groups (a forest whose roots are the smallest)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, r: int) -> int:
        parent = self.parent
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    def join(self, a: int, b: int) -> None:
        """Put the groups of ``a`` and ``b`` together."""
        ra, rb = self.root(a), self.root(b)
        self.parent[max(ra, rb)] = min(ra, rb)

    def heads(self, flat_length: Callable[[int], int]) -> list[int]:
        """Each report's original: the longest of its group (ties: the smallest number);
        ``flat_length`` is asked only for reports with copies."""
        members: dict[int, list[int]] = defaultdict(list)
        for r in range(len(self.parent)):
            members[self.root(r)].append(r)
        heads = list(range(len(self.parent)))
        for group in members.values():
            if len(group) > 1:
                length = {r: flat_length(r) for r in group}
                head = min(group, key=lambda r: (-length[r], r))
                for r in group:
                    heads[r] = head
        return heads


def groups(original: Mapping[str, str]) -> list[CopyGroup]:
    """The groups with more than one report, for a reader: original and copies."""
    members: dict[str, list[str]] = defaultdict(list)
    for rid, head in original.items():
        if rid != head:
            members[head].append(rid)
    return [CopyGroup(head, tuple(sorted(copies))) for head, copies in sorted(members.items())]


def _copy_pairs(owner: np.ndarray, flat: np.ndarray, size: np.ndarray) -> Iterator[tuple[int, int]]:
    """The pairs of reports (``a < b``) of which the shorter (fewer samples; ties: ``a``) has
    at least MIN_SAMPLES samples and at least CONTAINED of them in the other.

    ``flat``: every sample of every report, ``owner``: its report's number, ``size``: each
    report's count of samples. Counted with numpy, not sets (an archive of 10,000 reports of
    one genre has two million shared rare samples and 300,000 candidate pairs): the samples
    sorted, each run of one sample is the reports that hold it. A sample held by at most
    COMMON_IN reports counts once for each pair of its run; the pairs below the bound (their
    shared rare samples plus the shorter's boilerplate samples) are left out, and the
    boilerplate samples the others share are counted with a bit set per report."""
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    first = np.flatnonzero(np.diff(_numbered(flat), prepend=-1))
    run = np.diff(np.append(first, len(flat)))
    holders = np.repeat(run, run)  # each sample's count of reports that hold it
    common = holders > COMMON_IN
    boilerplate = np.bincount(owner[common], minlength=len(size))
    a, b, shared = _shared_rare(flat[~common], owner[~common], holders[~common], len(size))
    shorter = np.where(size[a] <= size[b], a, b)
    keep = (shared >= CONTAINED * size[shorter] - boilerplate[shorter]) & (
        size[shorter] >= MIN_SAMPLES
    )
    a, b, shared, shorter = a[keep], b[keep], shared[keep], shorter[keep]
    shared = shared + _shared_bits(owner[common], _numbered(flat[common]), a, b)
    copies = shared / size[shorter] >= CONTAINED
    return zip(a[copies].tolist(), b[copies].tolist(), strict=True)


def _shared_rare(
    flat: np.ndarray, owner: np.ndarray, holders: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs ``a < b`` of reports that share samples of at most COMMON_IN holders (runs of
    ``flat``, sorted by sample then owner), and how many."""
    keep = holders > 1
    flat, owner = flat[keep], owner[keep]
    firsts, seconds = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    at = np.arange(len(flat))
    for gap in range(1, COMMON_IN):  # the pairs of each run, `gap` apart in it
        at = at[at + gap < len(flat)]
        at = at[flat[at + gap] == flat[at]]
        if not len(at):
            break
        firsts.append(owner[at])
        seconds.append(owner[at + gap])
    span = max(n, 1)
    pairs, shared = np.unique(
        np.concatenate(firsts) * span + np.concatenate(seconds), return_counts=True
    )
    return pairs // span, pairs % span, shared


def _numbered(values: np.ndarray) -> np.ndarray:
    """Sorted values numbered 0, 1, ... (equal values, one number)."""
    numbers = np.zeros(len(values), np.int64)
    numbers[1:] = np.cumsum(values[1:] != values[:-1])
    return numbers


BITS_BLOCK = 4096  # boilerplate samples per pass of the bit sets: 512 bytes per report


def _shared_bits(owner: np.ndarray, sample: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many samples each pair ``a[i], b[i]`` shares among these (each held by ``owner``,
    numbered densely from 0 by ``sample``): one bit set per report, BITS_BLOCK samples at a
    time, the pairs' sets intersected in chunks (memory bounded by both)."""
    out = np.zeros(len(a), np.int64)
    if not len(a) or not len(sample):
        return out
    reports = int(max(owner.max(), a.max(), b.max())) + 1
    for low in range(0, int(sample.max()) + 1, BITS_BLOCK):
        part = (sample >= low) & (sample < low + BITS_BLOCK)
        bit = sample[part] - low
        words = np.zeros((reports, BITS_BLOCK // 64), np.uint64)
        np.bitwise_or.at(
            words,
            (owner[part], bit // 64),
            np.left_shift(np.uint64(1), (bit % 64).astype(np.uint64)),
        )
        for i in range(0, len(a), PAIRS_CHUNK):
            both = words[a[i : i + PAIRS_CHUNK]] & words[b[i : i + PAIRS_CHUNK]]
            out[i : i + PAIRS_CHUNK] += np.bitwise_count(both).sum(axis=1, dtype=np.int64)
    return out


PAIRS_CHUNK = 1 << 15  # pairs intersected at once: 16 MB of words
