"""Numeral tokens -> exact decimals: Chinese, financial, Arabic, full-width and mixed forms.

Reports write one number many ways: 一万二千五百, 两千六 (= 2600), 三万五 (= 35000),
二〇二三, 廿五, 壹万贰仟, １２,５００, 16.4亿, 5.1万. This module parses one *isolated*
numeral token; finding tokens in running text is the figure extractor's job (a whole-text
converter would turn 零工 into 0工). Values are ``decimal.Decimal``, never floats, so
16.4亿 is exactly 1640000000.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX as MAX_EXPONENT
from decimal import MIN_EMIN, Context, Decimal, Inexact, Overflow, localcontext
from functools import lru_cache

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
# 廿 卅 卌 are contractions of 二十 三十 四十.
TENS: dict[str, int] = {"廿": 20, "卅": 30, "卌": 40}
POINT = "点"
ZEROS = frozenset("零〇○洞")

# Characters for building regular expressions elsewhere (洞 and 幺 are radio-speech forms
# that are ordinary words in prose, so they are parsed but not searched for).
CN_DIGIT_CHARS = "".join(c for c in DIGITS if c not in "洞幺○")
CN_UNIT_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(TENS)
MULTIPLIER_CHARS = "十百千万亿拾佰仟萬億"

# Full-width digits and point; the comma only inside an isolated token (in running text
# "，" is a clause separator).
_FULLWIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0E: 0x2E}
_TOKEN_FULLWIDTH = _FULLWIDTH | {0xFF0C: 0x2C}
_HAS_FULLWIDTH = re.compile("[\uff10-\uff19\uff0e]")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?")


# A numeral is read exactly or refused. Values keep at most MAX_DIGITS significant digits,
# the precision of Decimal's default context, so that arithmetic after parsing (a multiplier,
# a minus sign) stays exact too; the parse itself runs in a context wide enough for any
# numeral of MAX_CHARS characters and traps anything inexact.
MAX_CHARS = 100
MAX_DIGITS = 28
_EXACT = Context(
    prec=4 * MAX_CHARS + 10, Emax=MAX_EXPONENT, Emin=MIN_EMIN, traps=[Inexact, Overflow]
)


class NumeralError(ValueError):
    """A token that is not a well-formed numeral; the message says what is wrong with it."""


SHOWN = 12  # at most this many characters of a token in an error message


def _shown(token: str) -> str:
    """A token as an error message shows it: long ones cut, with their length."""
    return token if len(token) <= SHOWN else f"{token[:SHOWN]}… ({len(token)} characters)"


def ascii_digits(text: str) -> str:
    """Full-width digits and point to ASCII; one character each, so offsets hold."""
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


def plain(value: Decimal) -> str:
    """A decimal as plain text: no exponent, no trailing zeros ('108500', '76.58')."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


@lru_cache(maxsize=8192)
def parse(token: str) -> Decimal:
    """The exact value of one numeral token, or NumeralError.

    >>> parse("两千六"), parse("16.4亿"), parse("二〇二三")
    (Decimal('2600'), Decimal('1640000000'), Decimal('2023'))
    """
    text = token.strip().translate(_TOKEN_FULLWIDTH)
    if not text:
        raise NumeralError("empty numeral")
    if len(text) > MAX_CHARS:
        raise NumeralError(f"numeral too long: {len(text)} characters (at most {MAX_CHARS})")
    with localcontext(_EXACT):
        value = _parse(text, token)
    if len("".join(map(str, value.as_tuple().digits)).strip("0")) > MAX_DIGITS:
        raise NumeralError(f"numeral too long: more than {MAX_DIGITS} significant digits")
    return value


def _parse(text: str, token: str) -> Decimal:
    if _ARABIC.fullmatch(text):  # 5.1, 2024: the value as written (what the tokens give)
        return Decimal(0) + Decimal(text)
    if "," in text:
        grouped = _GROUPED.match(text)
        if not grouped or "," in text[grouped.end() :]:
            raise NumeralError(f"bad thousands separators in {_shown(token)!r}")
        text = grouped.group().replace(",", "") + text[grouped.end() :]
    if POINT in text:
        return _chinese_decimal(text, token)
    return _value(_tokens(text, token), token)


def parse_range(token: str) -> tuple[Decimal, Decimal]:
    """Approximate pairs such as 三四 (3-4), 七八百 (700-800), 一两 (1-2), 十五六 (15-16)."""
    text = token.strip()
    m = re.fullmatch(r"(十?)([一二两三四五六七八九])([二两三四五六七八九])([十百千万亿]*)", text)
    if not m:
        raise NumeralError(f"not an approximate pair: {_shown(token)!r}")
    ten, a, b, units = m.groups()
    lo, hi = DIGITS[a], DIGITS[b]
    if hi != lo + 1 and not (a == "一" and b == "两"):
        raise NumeralError(f"not consecutive digits: {_shown(token)!r}")
    if ten and units:
        raise NumeralError(f"unsupported pair: {_shown(token)!r}")
    scale = _value(_tokens(units, token), token) if units else Decimal(1)
    base = Decimal(10) if ten else Decimal(0)
    return (base + lo) * scale, (base + hi) * scale


def _chinese_decimal(text: str, token: str) -> Decimal:
    """三点一四, 零点五, 十二点五亿: integer part, fraction digits, trailing multipliers."""
    whole, _, rest = text.partition(POINT)
    m = re.fullmatch(rf"([{CN_DIGIT_CHARS}]+)([{MULTIPLIER_CHARS}]*)", rest)
    if not m or POINT in rest:
        raise NumeralError(f"bad decimal numeral {_shown(token)!r}")
    frac = "".join(str(DIGITS[c]) for c in m.group(1))
    integer = _value(_tokens(whole, token), token) if whole else Decimal(0)
    if integer != integer.to_integral_value():
        raise NumeralError(f"bad decimal numeral {_shown(token)!r}")
    value = integer + Decimal(f"0.{frac}")
    for unit in m.group(2):
        value *= SMALL_UNITS.get(unit) or BIG_UNITS[unit]
    return value


# A token: ("d", value, is_single_cn_digit) | ("z",) zero | ("s", 10/100/1000) | ("b", 10**4/10**8)
# | ("t", 20/30/40).
def _tokens(text: str, token: str) -> list[tuple]:
    out: list[tuple] = []
    i = 0
    while i < len(text):
        c = text[i]
        m = _ARABIC.match(text, i)
        if m:
            out.append(("d", Decimal(m.group()), False))
            i = m.end()
            continue
        if c in ZEROS:
            out.append(("z",))
        elif c in DIGITS:
            out.append(("d", Decimal(DIGITS[c]), True))
        elif c in SMALL_UNITS:
            out.append(("s", SMALL_UNITS[c]))
        elif c in BIG_UNITS:
            out.append(("b", BIG_UNITS[c]))
        elif c in TENS:
            out.append(("t", TENS[c]))
        else:
            raise NumeralError(f"{c!r} is not a numeral character in {_shown(token)!r}")
        i += 1
    return out


def _value(tokens: list[tuple], token: str) -> Decimal:
    """Read at the big units, left to right: 三亿五千万 is 3 × 亿 + 5000 × 万.

    A loop, not a recursion, so a run of a thousand 万 costs no stack. Each 亿 multiplies
    everything before it (五万亿 = 5 × 10**12); what follows a 亿 or 万 is below it. A lone
    digit after the last unit abbreviates the next unit down (三万五 = 35000); before another
    unit it is malformed (一万一万)."""
    if not tokens:
        raise NumeralError(f"no digits in {_shown(token)!r}")
    return _fold(tokens, 10**8, token, final=True)


def _fold(tokens: list[tuple], big: int, token: str, final: bool) -> Decimal:
    """``P0 big P1 big ... Pk``: ((P0 × big + P1) × big + ...) + Pk, parts below ``big``."""
    parts: list[list[tuple]] = [[]]
    for t in tokens:
        if t[0] == "b" and t[1] == big:
            parts.append([])
        else:
            parts[-1].append(t)
    first = parts[0]
    if len(parts) == 1:
        return _below(first, big, token, final)
    total = _below(first, big, token, final=False) if first else Decimal(1)
    last = len(parts) - 1
    for k, part in enumerate(parts[1:], start=1):
        total = total * big + _remainder(part, big, token, final and k == last)
    return total


def _below(tokens: list[tuple], big: int, token: str, final: bool) -> Decimal:
    """A part without ``big``: read at 万 inside a 亿 part, as a section inside a 万 part."""
    return _fold(tokens, 10**4, token, final) if big > 10**4 else _section(tokens, token)


def _remainder(right: list[tuple], big: int, token: str, final: bool) -> Decimal:
    """What follows 万/亿: 三万五 abbreviates 三万五千; 一万零五 is 10005."""
    if not right:
        return Decimal(0)
    if len(right) == 1 and right[0][0] == "d":
        if not final:
            raise NumeralError(f"abbreviated digit before another unit in {_shown(token)!r}")
        return right[0][1] * (big // 10)
    value = _below(right, big, token, final)
    if value >= big:
        raise NumeralError(f"misplaced unit in {_shown(token)!r}")
    return value


def _section(tokens: list[tuple], token: str) -> Decimal:
    """A number below 10000 (or a bare Arabic number): units descend, 两千六 = 2600."""
    if all(t[0] in "dz" for t in tokens) and len(tokens) > 1:
        return _positional(tokens, token)
    section = _Section(token)
    for t in tokens:
        step = _SECTION_STEPS.get(t[0])
        if step is None:
            raise NumeralError(f"misplaced unit in {_shown(token)!r}")
        step(section, t)
    return section.value()


class _Section:
    """Reading a number below 10000 token by token: one step per kind of token."""

    __slots__ = ("last_unit", "pending", "token", "total", "zero_after_unit")

    def __init__(self, token: str) -> None:
        self.token = token  # for error messages
        self.total = Decimal(0)
        self.pending: Decimal | None = None  # a digit waiting for its unit
        self.last_unit: int | None = None
        self.zero_after_unit = False

    def zero(self, _t: tuple) -> None:
        if self.pending is not None:
            raise NumeralError(f"zero after a digit in {_shown(self.token)!r}")
        self.zero_after_unit = True

    def digit(self, t: tuple) -> None:
        if self.pending is not None:
            raise NumeralError(f"two digits in a row in {_shown(self.token)!r}")
        self.pending = t[1]

    def unit(self, t: tuple) -> None:
        """十 百 千: multiply the digit before (十五, 百余, 一百十 read as 一百一十)."""
        unit = t[1]
        if self.last_unit is not None and unit >= self.last_unit:
            raise NumeralError(f"units out of order in {_shown(self.token)!r}")
        if self.pending is None:
            if unit != 10 and (self.total or self.zero_after_unit):
                raise NumeralError(f"unit without a digit in {_shown(self.token)!r}")
            self.pending = Decimal(1)
        self.total += self.pending * unit
        self.pending, self.last_unit, self.zero_after_unit = None, unit, False

    def tens(self, t: tuple) -> None:
        """廿 卅 卌: twenty, thirty, forty."""
        if self.pending is not None or self.last_unit is not None and self.last_unit <= 10:
            word = next(c for c, v in TENS.items() if v == t[1])
            raise NumeralError(f"misplaced {word} in {_shown(self.token)!r}")
        self.total += t[1]
        self.last_unit, self.zero_after_unit = 10, False

    def value(self) -> Decimal:
        """The total, with a trailing digit read as the next unit down (两千六, 一百二)."""
        if self.pending is None:
            return self.total
        if self.last_unit and self.last_unit >= 100 and not self.zero_after_unit:
            return self.total + self.pending * (self.last_unit // 10)
        return self.total + self.pending


_SECTION_STEPS = {"z": _Section.zero, "d": _Section.digit, "s": _Section.unit, "t": _Section.tens}


def _positional(tokens: list[tuple], token: str) -> Decimal:
    """Digit by digit, as years are written: 二〇二三, 一九九八."""
    if any(t[0] == "d" and not t[2] for t in tokens):
        raise NumeralError(f"mixed Arabic and Chinese digits in {_shown(token)!r}")
    if len(tokens) < 3 and not any(t[0] == "z" for t in tokens):
        raise NumeralError(f"two bare digits are a range, not a number: {_shown(token)!r}")
    return Decimal("".join("0" if t[0] == "z" else str(int(t[1])) for t in tokens))
