"""Theme labels for articles, from a cited keyword table (data/vocab/themes.csv).

An article gets the theme whose keywords weigh most in its text, headline
hits counting three times; with no hit it is ``other``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache

from xining_data.base.paths import VOCAB_DIR

THEMES = ("community", "employment", "water", "carbon", "digital")
OTHER = "other"
HEADLINE_WEIGHT = 3


@lru_cache(maxsize=1)
def theme_keywords() -> dict[str, list[tuple[str, int]]]:
    """theme -> [(keyword, weight)], read once from the vocabulary file."""
    table: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with open(VOCAB_DIR / "themes.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table[row["theme"]].append((row["keyword"], int(row["weight"])))
    return dict(table)


def theme_scores(title: str, text: str) -> dict[str, int]:
    """Weighted keyword hits per theme."""
    scores = {}
    for theme, keywords in theme_keywords().items():
        scores[theme] = sum(
            weight * (text.count(word) + HEADLINE_WEIGHT * title.count(word))
            for word, weight in keywords
        )
    return scores


def classify_theme(title: str, text: str) -> str:
    """The best-scoring theme, or ``other`` when no keyword occurs."""
    scores = theme_scores(title, text)
    best = max(THEMES, key=lambda t: scores.get(t, 0))
    return best if scores.get(best, 0) > 0 else OTHER
