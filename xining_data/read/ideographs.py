"""Kangxi radicals and CJK compatibility ideographs -> the ideographs they stand for.

A PDF printed from a web page often carries 13971⼈ with U+2F08 (KANGXI RADICAL MAN)
where the page had 人: the glyph is the same, the code point is not, so 人 as a unit
is lost. Each such code point maps to one ideograph, so a derived view keeps every
offset. Kangxi radicals and compatibility ideographs map by their Unicode
decomposition; the radicals supplement has none for most, so those used as
characters are listed in ``data/vocab/radicals.csv``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache

from xining_data.base.paths import VOCAB_DIR

# Kangxi radicals, the CJK radicals supplement, CJK compatibility ideographs.
RANGES = ((0x2F00, 0x2FDF), (0x2E80, 0x2EFF), (0xF900, 0xFAFF))


@cache
def ideograph_table() -> dict[int, int]:
    """code point -> the unified ideograph it stands for (one character for one)."""
    table: dict[int, int] = {}
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            unified = unicodedata.normalize("NFKC", chr(cp))
            if len(unified) == 1 and unified != chr(cp):
                table[cp] = ord(unified)
    with open(VOCAB_DIR / "radicals.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table[ord(row["radical"])] = ord(row["character"])
    return table


@cache
def _any_mapped() -> re.Pattern:
    """A character :func:`ideograph_table` maps: most texts hold none."""
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(ideograph_table())) + "]")


def unify_ideographs(text: str) -> str:
    """The text with radicals and compatibility ideographs as ideographs; same length.
    A text with none is returned as it is: one search, not a table look-up per character."""
    if not _any_mapped().search(text):
        return text
    return text.translate(ideograph_table())
