"""``python -m benchmarks [NAME ...]``: run every ``bench_NAME`` module here, or those named.

Each benchmark is also a command of its own (``python -m benchmarks.bench_figures``) with
its options; run here, each gets its defaults. Figures come first.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    wanted = sys.argv[1:] if argv is None else argv
    names = sorted(
        (m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(Path(__file__).parent)])
         if m.name.startswith("bench_")),
        key=lambda name: (name != "figures", name),
    )  # fmt: skip
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}; have {', '.join(names)}")
        return 2
    status = 0
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        status = max(status, importlib.import_module(f"benchmarks.bench_{name}").main([]) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
