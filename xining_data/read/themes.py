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
from collections import defaultdict
from functools import lru_cache

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


def _points(text: str) -> dict[str, int]:
    """Weighted keyword hits per theme in one text (an empty headline counts none)."""
    if not text:
        return dict.fromkeys(theme_keywords(), 0)
    return {
        theme: sum(weight * text.count(word) for word, weight in keywords)
        for theme, keywords in theme_keywords().items()
    }


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
