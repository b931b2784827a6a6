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

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

Rule = Callable[[list], bool]
_TEXT_DTYPE = str(
    pd.Series([""]).astype(str).dtype
)  # what astype(str) gives in this pandas  # the values of one column -> whether every one passes


def _pattern(pattern: str) -> re.Pattern:
    # pandas matches Arrow strings with RE2: ASCII \d, and $ only at the very end.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _rule(check: pa.Check) -> Rule | None:
    """The check as a function of the column's values, or None when it is not a known one."""
    name, stats = check.name, check.statistics
    if name == "greater_than_or_equal_to":
        low = stats["min_value"]
        return lambda values: all(v >= low for v in values)
    if name == "str_matches":
        match = _pattern(stats["pattern"]).match
        return lambda values: all(match(v) for v in values)
    if name == "str_length" and stats.get("exact_value") is None:
        low, high = stats.get("min_value"), stats.get("max_value")
        return lambda values: all(
            (low is None or len(v) >= low) and (high is None or len(v) <= high) for v in values
        )
    if name == "isin":
        allowed = frozenset(stats["allowed_values"])
        return lambda values: all(v in allowed for v in values)
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

    def passes(self, df: pd.DataFrame) -> bool:
        """Whether ``df`` keeps every rule; the table is read in three calls, not per column."""
        if not self.known or [c for c in df.columns if c in self.dtypes] != self.names:
            return False
        dtypes = dict(zip(df.columns, map(str, df.dtypes.tolist()), strict=True))
        if any(dtypes[n] not in self.dtypes[n] for n in self.names):
            return False
        if df.empty:
            return True
        strict = [n for n in self.names if n not in self.nullable]
        where = {name: i for i, name in enumerate(df.columns)}
        grid = df.to_numpy(dtype=object)
        if strict and pd.isna(grid[:, [where[n] for n in strict]]).any():
            return False
        columns = {name: grid[:, where[name]] for name in self.names}
        for name, rules in self.rules.items():
            values = columns[name].tolist()
            if not all(rule(values) for rule in rules):
                return False
        return all(self._table_check(check, columns, df) for check in self.table_checks)

    @staticmethod
    def _table_check(check: Callable, columns: dict, df: pd.DataFrame) -> bool:
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


_PLANS: dict[int, _Plan] = {}  # by the schema's id: a schema lives as long as its module


def _plan(schema: pa.DataFrameSchema) -> _Plan:
    plan = _PLANS.get(id(schema))
    if plan is None or plan.schema is not schema:
        plan = _PLANS[id(schema)] = _Plan(schema)
    return plan


def checked(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` when it passes ``schema``; otherwise pandera's own error (``schema.validate``)."""
    plan = _plan(schema)
    if plan.passes(df):
        return df
    out = schema.validate(df)
    plan.accepted(df)
    return out
