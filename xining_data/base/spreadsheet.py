"""CSV cells a spreadsheet would run as a formula, neutralised as OWASP recommends.

A report's title, sentence or reporter goes into the CSVs the project writes
(``--format csv``, each story's ledger, the figure kit's chart data). Opened in
a spreadsheet, a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read as a formula (``=cmd|' /C calc'!A0``, ``@SUM(1+1)``).
Such a cell gets a single quote in front, which the spreadsheet shows as text
(OWASP, "CSV Injection"). Three things are never escaped:

- a cell that is a plain number (``-3``, ``+5.1``, ``1e3``): no formula, and it
  must stay a number;
- the verbatim columns of the figures contract (``data/schemas/csv_verbatim_columns.csv``:
  ``text``, ``value``, the offsets …), so that ``raw[start:end] == text`` still holds;
- anything that is not text (numbers, dates, missing values).

The escape is for reading, one way: a cell that began with ``'=`` and one that
began with ``=`` both read ``'=…``. JSON output is never escaped.
"""

from __future__ import annotations

import csv
import functools
import re
from typing import TYPE_CHECKING, Any

from xining_data.base.paths import SCHEMAS_DIR

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
VERBATIM_COLUMNS_CSV = SCHEMAS_DIR / "csv_verbatim_columns.csv"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@functools.cache
def verbatim_columns() -> frozenset[str]:
    """The columns written exactly as they are (the figures contract)."""
    with open(VERBATIM_COLUMNS_CSV, encoding="utf-8", newline="") as f:
        return frozenset(row["column"] for row in csv.DictReader(f))


def reads_as_formula(cell: str) -> bool:
    """Whether a spreadsheet would take this text cell for a formula."""
    return cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell)


def escape_cell(value: Any) -> Any:
    """The value, with a single quote in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and reads_as_formula(value):
        return ESCAPE + value
    return value


def for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose free-text cells (every text cell outside the verbatim columns,
    index labels and column names included) cannot run as a formula."""
    verbatim = verbatim_columns()
    out = df.copy()
    for position, name in enumerate(df.columns):
        if name not in verbatim and _holds_text(df.iloc[:, position]):
            out.isetitem(position, df.iloc[:, position].map(escape_cell))
    out.columns = out.columns.map(lambda c: c if c in verbatim else escape_cell(c))
    if _holds_text(df.index.to_series()):
        out.index = out.index.map(escape_cell)
    return out


def _holds_text(values: pd.Series) -> bool:
    """Object or string columns (pandas' ``str``/``string``); numbers and dates are left."""
    import pandas as pd

    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)
