"""pandera's schema calls, recorded, with pandera imported only for a full validation (issue 14).

Importing pandera costs about 0.3 CPU s, most of what ``import xining_data`` plus the first
``figures_table`` took. A schema written with these ``DataFrameSchema``, ``Column`` and
``Check`` keeps what :mod:`xining_data.base.tablecheck` reads (columns, dtypes, the built-in
checks' names and statistics, the table checks), so the quick check runs without pandera;
``validate`` builds the real pandera schema from the same calls on first use and lets it
judge the table, with pandera's own errors. Nothing is checked less: the quick check still
hands every table it cannot vouch for to pandera.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas

_DTYPES = {str: "string[pyarrow]", int: "int64", bool: "bool", float: "float64"}  # pandera's names


class Check:
    """A check as pandera builds it: ``method`` names the pandera constructor (``ge``...)."""

    def __init__(self, fn: Callable | None = None, error: str | None = None) -> None:
        self._check_fn, self.error = fn, error
        self.method, self.args, self.name, self.statistics = "", (), None, {}

    @classmethod
    def _builtin(cls, method: str, name: str, args: tuple, statistics: dict) -> Check:
        check = cls()
        check.method, check.args, check.name, check.statistics = method, args, name, statistics
        return check

    @classmethod
    def ge(cls, min_value: Any) -> Check:
        stats = {"min_value": min_value}
        return cls._builtin("ge", "greater_than_or_equal_to", (min_value,), stats)

    @classmethod
    def str_matches(cls, pattern: str) -> Check:
        return cls._builtin("str_matches", "str_matches", (pattern,), {"pattern": pattern})

    @classmethod
    def str_length(cls, min_value: int | None = None, max_value: int | None = None) -> Check:
        stats = {"min_value": min_value, "max_value": max_value, "exact_value": None}
        return cls._builtin("str_length", "str_length", (min_value, max_value), stats)

    @classmethod
    def isin(cls, allowed_values: Iterable) -> Check:
        values = list(allowed_values)
        return cls._builtin("isin", "isin", (values,), {"allowed_values": values})

    def real(self) -> pandera.pandas.Check:
        import pandera.pandas as pa

        if self.method:
            return getattr(pa.Check, self.method)(*self.args)
        return pa.Check(self._check_fn, error=self.error)


class Column:
    """A column: its type and checks; never nullable, never coerced (as the schemas here)."""

    def __init__(self, dtype: type, *checks: Check) -> None:
        self.type, self.dtype, self.checks = dtype, _DTYPES[dtype], list(checks)
        self.nullable = self.coerce = self.regex = False


class DataFrameSchema:
    """A table schema whose pandera counterpart is built on the first ``validate``."""

    def __init__(
        self,
        columns: dict[str, Column],
        checks: Iterable[Check] = (),
        strict: bool = False,
        ordered: bool = False,
    ) -> None:
        self.columns, self.checks = columns, list(checks)
        self.strict, self.ordered, self.coerce = strict, ordered, False

    @cached_property
    def pandera(self) -> pandera.pandas.DataFrameSchema:
        import pandera.pandas as pa

        columns = {
            name: pa.Column(col.type, [c.real() for c in col.checks])
            for name, col in self.columns.items()
        }
        checks = [c.real() for c in self.checks]
        return pa.DataFrameSchema(columns, checks=checks, strict=self.strict, ordered=self.ordered)

    def validate(self, df: pd.DataFrame) -> pd.DataFrame:
        """pandera's full validation (its errors when ``df`` breaks a rule)."""
        return self.pandera.validate(df)
