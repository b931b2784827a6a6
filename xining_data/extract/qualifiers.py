"""Qualifiers: how exact the text says a figure is, and the bounds that follow from it.

The words that qualify a figure (约 about, 近 nearly, 超过 余 以上 more than, 不足 以下 at
most) are data, in ``data/vocab/qualifiers.csv``; a figure without one is ``exact``, and
two numerals joined by a dash or 至 are a ``range``. This is the one table of qualifiers:
the figures schema, the vocabulary check and the stories' wording all use it.
"""

from __future__ import annotations

from decimal import Decimal

EXACT = "exact"
RANGE = "range"
# The order is the one error messages and the schema list them in.
QUALIFIERS = (EXACT, "more_than", "nearly", "about", "at_most", RANGE)
# The qualifiers a word can set (qualifiers.csv); exact and range follow from the numerals.
WORD_QUALIFIERS = frozenset(QUALIFIERS) - {EXACT, RANGE}

_BOUNDS = {  # is the value a lower bound, an upper bound, both or neither?
    EXACT: (True, True),
    "more_than": (True, False),
    "nearly": (False, True),
    "at_most": (False, True),
}


def bounds(
    value: Decimal, hi: Decimal | None, qualifier: str
) -> tuple[Decimal | None, Decimal | None]:
    """value_min / value_max as far as the text commits to them (``hi``: a range's top)."""
    if hi is not None:
        return value, hi
    low, high = _BOUNDS.get(qualifier, (False, False))
    return (value if low else None), (value if high else None)
