"""A typed DataFrame from rows in one step (issue 14).

``pd.DataFrame(rows)`` then ``astype`` per column costs about 4.5 ms (CPU) for a report's
figures, more than the extraction. Here each text column becomes one Arrow array wrapped
as pandas' Arrow-backed ``str`` dtype, integers ``int64`` and flags ``bool``: the same table,
dtypes included, in about a quarter of the time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # what astype(str) gives in pandas 3
_NO_TEXT = pd.array([], dtype=_TEXT)


def _wrapped(array: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow array of large strings as a text column of dtype ``_TEXT``, made as pandas
    makes the results of its own string operations: its constructor would check the type and
    build a dtype that is then replaced (a third of a short column's cost)."""
    return _NO_TEXT._from_pyarrow_array(array)  # noqa: SLF001 - pandas' own fast path


def _text(values: list) -> pd.api.extensions.ExtensionArray:
    if not values:
        return pd.array([], dtype=_TEXT)
    texts = [str(v) for v in values]
    if len(texts) >= _REPEATS_FROM:
        array = _from_distinct(texts)
    else:
        array = pa.array(texts, type=pa.large_string())
    return _wrapped(array)


def _texts(columns: list[list]) -> list[pd.api.extensions.ExtensionArray]:
    """Short text columns, each as :func:`_text` makes it, from one Arrow array of all their
    values: Arrow's conversion costs microseconds per call, more than a short column's
    values (a report's figures table has 26 text columns of a few dozen rows)."""
    if not columns:
        return []
    whole = pa.array([str(v) for values in columns for v in values], type=pa.large_string())
    out, at = [], 0
    for values in columns:
        out.append(_wrapped(whole.slice(at, len(values))))
        at += len(values)
    return out


# A long column (a long report's figures) repeats its values: each figure of a sentence carries
# the sentence. Its distinct values are copied once and the column is laid out from them in
# one exact allocation, not grown by doubling from a copy per row (issue 15: memory).
_REPEATS_FROM = 4096


def _from_distinct(texts: list[str]) -> pa.Array:
    """The Arrow text array of ``texts``, built from their distinct values."""
    index: dict[str, int] = {}
    positions = [index.setdefault(t, len(index)) for t in texts]
    if len(index) * 2 > len(texts):  # mostly distinct: nothing to share
        return pa.array(texts, type=pa.large_string())
    distinct = pa.array(list(index), type=pa.large_string())
    return distinct.take(pa.array(positions, type=pa.int64()))


def _column(values: list, kind: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """One column's values as the array of its kind."""
    if kind == "int64":
        return np.array(values, dtype="int64")
    if kind == "bool":
        return np.array([bool(v) for v in values], dtype=bool)
    if kind == "float64":  # None is a missing value, as pd.Series(values, dtype=float) reads it
        return np.array([np.nan if v is None else v for v in values], dtype="float64")
    if kind == "object":
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return _text(values)


@lru_cache(maxsize=64)
def _index(names: tuple[str, ...]) -> pd.Index:
    """The column index of these names, made once (an Index of text costs 0.5 ms to infer;
    it is immutable, so tables may share it)."""
    return pd.Index(list(names))


def columns_of(rows: Sequence[Mapping], columns: Sequence[str]) -> dict[str, list]:
    """``rows`` (dicts) as one list per column, in the order of ``columns``."""
    return {col: [row[col] for row in rows] for col in columns}


def joined_columns(parts: Iterable[Mapping[str, list]], names: Sequence[str]) -> dict[str, list]:
    """The columns of several tables (one list per column each) one after the other, as one
    list per column of ``names``; a column a part lacks is ``None`` in its rows."""
    out: dict[str, list] = {name: [] for name in names}
    for part in parts:
        count = len(next(iter(part.values()), ()))
        for name, values in out.items():
            values.extend(part[name] if name in part else [None] * count)
    return out


def frame_of(
    rows: Sequence[Mapping], columns: Sequence[str], kinds: Mapping[str, str]
) -> pd.DataFrame:
    """``rows`` as a table of ``columns``, each of the kind ``kinds`` names ("int64", "bool",
    "float64", "object"), text otherwise."""
    return frame_of_columns(columns_of(rows, columns), kinds)


def frame_of_columns(columns: Mapping[str, list], kinds: Mapping[str, str]) -> pd.DataFrame:
    """A table from its columns' values (a long table need not keep a dict per row), each
    of the kind ``kinds`` names, text otherwise. The arrays are handed to pandas as they are:
    ``pd.DataFrame(dict)`` would check and copy each one again (a third of the cost)."""
    arrays: list = []
    short: dict[int, list] = {}  # the short text columns, made from one Arrow array
    for col, values in columns.items():
        kind = kinds.get(col, "text")
        if kind == "text" and 0 < len(values) < _REPEATS_FROM:
            short[len(arrays)] = values
            arrays.append(None)
        else:
            arrays.append(_column(values, kind))
    for i, array in zip(short, _texts(list(short.values())), strict=True):
        arrays[i] = array
    length = len(arrays[0]) if arrays else 0
    return pd.DataFrame._from_arrays(  # noqa: SLF001 - the constructor without re-checking
        arrays,
        columns=_index(tuple(columns)),
        index=pd.RangeIndex(length),
        verify_integrity=False,
    )


def typed_frame(
    rows: Sequence[Mapping],
    columns: Sequence[str],
    ints: Collection[str] = (),
    bools: Collection[str] = (),
) -> pd.DataFrame:
    """``rows`` as a table of ``columns``: ``ints`` as int64, ``bools`` as bool, every other
    column as text (``str(value)``, as ``astype(str)`` makes it)."""
    return frame_of(rows, columns, dict.fromkeys(ints, "int64") | dict.fromkeys(bools, "bool"))
