"""Theme labels for articles, from a cited keyword table (data/vocab/themes.csv).

An article gets the theme whose keywords weigh most in its text, headline
hits counting three times; with no hit it is ``other``. An article on many things
is ``other`` too (a work report, a statistics communiqué): when its headline names no
theme and its best theme's keywords are sparse (under :data:`MIN_DENSITY` points per
thousand characters; a news story on one theme scores 40-130) or under half of all its
theme points. Its figures still reach a theme by their own sentences.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from xining_data.base.paths import VOCAB_DIR

THEMES = ("community", "employment", "water", "carbon", "digital")
OTHER = "other"
HEADLINE_WEIGHT = 3
MIN_DENSITY = 10  # keyword points per 1,000 characters for a theme the headline does not name
MIN_SHARE = 0.5  # of all theme points, for a theme the headline does not name


@lru_cache(maxsize=1)
def theme_keywords() -> dict[str, list[tuple[str, int]]]:
    """theme -> [(keyword, weight)], read once from the vocabulary file."""
    table: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with open(VOCAB_DIR / "themes.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table[row["theme"]].append((row["keyword"], int(row["weight"])))
    return dict(table)


class _Search(NamedTuple):
    """The keywords of every theme, found in one pass over a text."""

    pattern: re.Pattern[str]  # captures the longest keyword starting at each position
    shorter: dict[str, tuple[str, ...]]  # a keyword -> the keywords it begins with (碳 for 碳汇)
    weights: dict[str, list[tuple[str, int]]]  # a keyword -> (theme, weight) of each theme


@lru_cache(maxsize=1)
def _search() -> _Search:
    """The keywords as one pattern, built once: a text is searched once, not once a keyword."""
    weights: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for theme, keywords in theme_keywords().items():
        for word, weight in keywords:
            if not word:
                raise ValueError(f"themes.csv: an empty keyword of theme {theme!r}")
            weights[word].append((theme, weight))
    longest_first = sorted(weights, key=len, reverse=True)
    firsts = re.escape("".join(sorted({w[0] for w in weights})))
    pattern = re.compile(f"(?=[{firsts}])(?=({'|'.join(map(re.escape, longest_first))}))")
    shorter = {w: tuple(k for k in weights if k != w and w.startswith(k)) for w in weights}
    return _Search(pattern, shorter, dict(weights))


def _points(text: str) -> dict[str, int]:
    """Weighted keyword hits per theme in one text: ``text.count`` of each keyword, asked only
    of those that occur. One pass finds them: where keywords start at one position it reports
    the longest, and the ones it begins with occur there too."""
    points = dict.fromkeys(theme_keywords(), 0)
    if not text:
        return points
    search = _search()
    found = set(search.pattern.findall(text))
    for word in found.union(*(search.shorter[w] for w in found)):
        count = text.count(word)
        for theme, weight in search.weights[word]:
            points[theme] += weight * count
    return points


def theme_scores(title: str, text: str) -> dict[str, int]:
    """Weighted keyword hits per theme, headline hits counting :data:`HEADLINE_WEIGHT` times."""
    return _scores(_points(title), _points(text))


def _scores(headline: dict[str, int], text: dict[str, int]) -> dict[str, int]:
    return {theme: text[theme] + HEADLINE_WEIGHT * headline[theme] for theme in text}


def classify_theme(title: str, text: str) -> str:
    """The best-scoring theme; ``other`` when no keyword occurs, or when the article is on
    many things (see the module doc). Each text is searched for each keyword once."""
    headline = _points(title)
    scores = _scores(headline, _points(text))
    best = max(THEMES, key=lambda t: scores.get(t, 0))
    score = scores.get(best, 0)
    if score <= 0:
        return OTHER
    if headline.get(best, 0) > 0:  # the headline names it
        return best
    dense = score * 1000 >= MIN_DENSITY * max(len(text), 1)
    return best if dense and score >= MIN_SHARE * sum(scores.values()) else OTHER
