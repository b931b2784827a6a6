"""A pandera schema checked in microseconds per small table, never skipped (issue 14).

pandera's ``validate`` costs milliseconds per column (it builds and formats failure cases even
when nothing fails), more than extracting a report's figures. :func:`checked` reads the same
schema and runs its rules on the table's values directly: columns present and in order, the
dtype pandera accepted, no nulls where none are allowed, and the built-in checks the schemas
here use (``ge``, ``str_matches``, ``str_length``, ``isin``) and the schema's own table checks.
Whenever the quick check cannot vouch for a table (a rule it does not know, a dtype it has not
seen pandera accept, a value that breaks a rule), pandera validates it in full, so a bad row
fails exactly as loudly as before.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from itertools import chain, repeat
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

Rule = Callable[[Collection], bool]  # a column's distinct values -> whether every one passes
_TEXT_DTYPE = str(pd.Series([""]).astype(str).dtype)  # what astype(str) gives in this pandas


def _pattern(pattern: str) -> re.Pattern:
    # pandas matches Arrow strings with RE2: ASCII \d, and $ only at the very end.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _rule(check: pa.Check) -> Rule | None:
    """The check as a function of the column's distinct values (a rule of one value at a time
    holds for a column when it holds for each distinct value), or None when it is not a known
    one. Each reads the values in one call (``map``), not a Python loop."""
    name, stats = check.name, check.statistics
    if name == "greater_than_or_equal_to":
        low = stats["min_value"]
        return lambda values: all(map(operator.ge, values, repeat(low)))
    if name == "str_matches":
        match = _pattern(stats["pattern"]).match
        return lambda values: all(map(match, values))
    if name == "str_length" and stats.get("exact_value") is None:
        low, high = stats.get("min_value"), stats.get("max_value")
        return lambda values: (
            (low is None or min(map(len, values), default=low) >= low)
            and (high is None or max(map(len, values), default=high) <= high)
        )
    if name == "isin":
        allowed = frozenset(stats["allowed_values"])
        return allowed.issuperset
    return None


class _Plan:
    """What the quick check runs for one schema; ``known`` is False when it cannot vouch."""

    def __init__(self, schema: pa.DataFrameSchema) -> None:
        self.schema = schema
        self.names = list(schema.columns)
        self.dtypes = {name: {str(col.dtype)} for name, col in schema.columns.items()}
        for accepted in self.dtypes.values():  # pandera takes pandas' own text dtype for str
            if any(d.startswith("string") for d in accepted):
                accepted.add(_TEXT_DTYPE)
        self.nullable = {name for name, col in schema.columns.items() if col.nullable}
        self.rules: dict[str, list[Rule]] = {}
        self.known = schema.ordered and not schema.strict and not schema.coerce
        for name, col in schema.columns.items():
            rules = [_rule(c) for c in col.checks]
            self.known &= None not in rules and not col.coerce and not col.regex
            self.rules[name] = [r for r in rules if r is not None]
        self.table_checks = [c._check_fn for c in schema.checks]  # noqa: SLF001 - pandera's own

    def passes(self, df: pd.DataFrame, values: Mapping[str, list] | None = None) -> bool:
        """Whether ``df`` keeps every rule. ``values``: the lists ``df``'s columns were built
        from (the rules read them instead of converting the columns back to Python)."""
        if not self.known:
            return False
        names = df.columns.tolist()  # one conversion: the Index holds Arrow strings
        if [c for c in names if c in self.dtypes] != self.names:
            return False
        dtypes = dict(zip(names, map(_dtype_name, df.dtypes.tolist()), strict=True))
        if any(dtypes[n] not in self.dtypes[n] for n in self.names):
            return False
        if df.empty:
            return True
        columns = _Columns(df, values or {}, self.names)
        try:
            for name in self.names:
                if name not in self.nullable and columns.has_null(name, dtypes[name]):
                    return False
                rules = self.rules[name]
                distinct = set(columns.listed(name)) if rules else ()
                if not all(rule(distinct) for rule in rules):
                    return False
        except (TypeError, ValueError):  # a value of the wrong type: pandera says what
            return False
        return all(self._table_check(check, columns, df) for check in self.table_checks)

    @staticmethod
    def _table_check(check: Callable, columns: _Columns, df: pd.DataFrame) -> bool:
        """A table check on the columns as arrays (microseconds); on the frame if it needs one."""
        try:
            return bool(check(columns).all())
        except Exception:  # noqa: BLE001 - a check written for a DataFrame only
            return bool(check(df).all())

    def accepted(self, df: pd.DataFrame) -> None:
        """pandera passed ``df``: its dtypes are good from now on."""
        for name in self.names:
            if name in df.columns:
                self.dtypes[name].add(str(df[name].dtype))


_NEVER_NULL = frozenset({"int64", "bool"})  # numpy dtypes that cannot hold a null


def _is_null(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


_DTYPE_NAMES: dict[int, tuple[object, str]] = {}  # id -> (the dtype, kept alive; its name)


def _dtype_name(dtype: object) -> str:
    """``str(dtype)``, once per dtype object: numpy names its dtypes in Python, and pandas
    hashes its own in Python (microseconds each, for every column of every table)."""
    known = _DTYPE_NAMES.get(id(dtype))
    if known is None or known[0] is not dtype:
        if len(_DTYPE_NAMES) >= 256:
            _DTYPE_NAMES.clear()
        known = _DTYPE_NAMES[id(dtype)] = (dtype, str(dtype))
    return known[1]


# Values of these types are never null: a column of only them needs no look at each value.
_NEVER_NULL_TYPES = frozenset({str, int, bool})


# A longer table is read column by column, only the columns a rule reads: the whole table as
# Python objects would copy every text (a long report's sentences) once more (issue 15).
_GRID_ROWS = 4096


class _Columns(Mapping):
    """A table's columns for the rules: the lists it was built from, else each column read
    once when a rule asks; as arrays for the table checks (``df["start"] < df["end"]``)."""

    def __init__(self, df: pd.DataFrame, values: Mapping[str, list], names: list[str]) -> None:
        self.df, self.lists, self.arrays = df, dict(values), {}
        if not values and len(df) < _GRID_ROWS:  # read in one call (a column costs more)
            grid = df.to_numpy(dtype=object)
            where = {name: i for i, name in enumerate(df.columns)}
            self.lists = {name: grid[:, where[name]].tolist() for name in names}
        # No list holds a value that may be null (nearly always): one look at all their types.
        listed = chain.from_iterable(self.lists[name] for name in names if name in self.lists)
        self.plain = set(map(type, listed)) <= _NEVER_NULL_TYPES

    def has_null(self, name: str, dtype: str) -> bool:
        """Whether the column holds a null: none in an int or bool column; from the list it
        was built from when there is one (text made from it by ``str`` has none either)."""
        if dtype in _NEVER_NULL:
            return False
        if name in self.lists:
            return not self.plain and any(map(_is_null, self.lists[name]))
        return bool(self.df[name].isna().any())

    def listed(self, name: str) -> list:
        if name not in self.lists:
            self.lists[name] = self.df[name].tolist()
        return self.lists[name]

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.arrays:
            values = self.lists.get(name)
            self.arrays[name] = np.asarray(self.df[name].to_numpy() if values is None else values)
        return self.arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.df.columns)

    def __len__(self) -> int:
        return len(self.df.columns)


_PLANS: dict[int, _Plan] = {}  # by the schema's id: a schema lives as long as its module


def _plan(schema: pa.DataFrameSchema) -> _Plan:
    plan = _PLANS.get(id(schema))
    if plan is None or plan.schema is not schema:
        plan = _PLANS[id(schema)] = _Plan(schema)
    return plan


def checked(
    schema: pa.DataFrameSchema, df: pd.DataFrame, values: Mapping[str, list] | None = None
) -> pd.DataFrame:
    """``df`` when it passes ``schema``; otherwise pandera's own error (``schema.validate``).

    ``values``: the Python lists ``df``'s columns were made from (by
    :func:`xining_data.base.frames.frame_of_columns`), read by the rules in place of the
    columns; the dtypes are still read from ``df`` itself."""
    plan = _plan(schema)
    if plan.passes(df, values):
        return df
    out = schema.validate(df)
    plan.accepted(df)
    return out


class TableCheckError(ValueError):
    """Rows of a table of one or many reports break its schema; names the reports."""

    def __init__(self, reports: list[str], error: Exception) -> None:
        self.reports, self.error = reports, error
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        named = ", ".join(reports[:5]) + (
            f" and {len(reports) - 5} more" if len(reports) > 5 else ""
        )
        super().__init__(f"report {named}: the table breaks its schema: {first}")


def checked_by_report(
    schema: pa.DataFrameSchema,
    df: pd.DataFrame,
    values: Mapping[str, list] | None = None,
    key: str = "report",
) -> pd.DataFrame:
    """:func:`checked` once for a table of many reports' rows (its ``key`` column names the
    report of each row); when it fails, each report's rows are checked alone so that the
    :class:`TableCheckError` names the reports at fault, with pandera's error as its cause."""
    try:
        return checked(schema, df, values)
    except Exception as exc:  # noqa: BLE001 - narrowed to the reports below, then raised
        error = exc
    bad = bad_reports(schema, df, key)
    raise TableCheckError(list(bad) or ["(not known)"], next(iter(bad.values()), error)) from error


def bad_reports(schema: pa.DataFrameSchema, df: pd.DataFrame, key: str = "report") -> dict:
    """Report -> pandera's error, for each report whose rows of ``df`` break ``schema``."""
    bad = {}
    if key not in df.columns:
        return bad
    for report, rows in df.groupby(key, sort=False):
        try:
            checked(schema, rows.reset_index(drop=True))
        except Exception as exc:  # noqa: BLE001 - each report's own error is kept
            bad[str(report)] = exc
    return bad
