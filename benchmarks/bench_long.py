"""Time and memory of one long one-line report: extraction and geocoding stay linear.

``python -m benchmarks.bench_long [--mb 1 5 10]`` repeats the bundled seed report's body,
line breaks removed, into one line of each size (UTF-8 megabytes), builds every table of it
as the build does (``report_tables``: articles, figures with places, places, reports,
texts), and prints seconds, seconds per MB and the peak memory of a child process per size.
Seconds per MB that grow with the size mean something is quadratic again (issue 15).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from xining_data.base.paths import RAW_DIR
from xining_data.read.report import parse_header, parse_report

SEED_REPORT = RAW_DIR / "000_4f7dffbbf6220809.txt"
SIZES_MB = (1.0, 5.0, 10.0)


def one_line(mb: float) -> str:
    body = parse_header(SEED_REPORT.read_text(encoding="utf-8"))[1].replace("\n", "")
    times = int(mb * 2**20 / len(body.encode("utf-8"))) + 1
    return body * times


def measure(mb: float) -> dict:
    """Seconds for every table of a report of ``mb`` megabytes, and peak memory (this process)."""
    from xining_data.corpus.build import report_tables

    report_tables(parse_report("全市共有一家医院。".encode(), "warm.txt"))  # load vocabularies
    report = parse_report(one_line(mb).encode("utf-8"), "long.txt", published="2025")
    started = time.perf_counter()
    report_tables(report)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"mb": mb, "seconds": seconds, "peak_mb": peak / 2**20}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_long")
    ap.add_argument("--mb", type=float, nargs="+", default=list(SIZES_MB))
    ap.add_argument("--one", type=float, help=argparse.SUPPRESS)  # the child's size
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return 0
    for mb in args.mb:  # a child per size, so peaks do not mix
        child = [sys.executable, "-m", "benchmarks.bench_long", "--one", str(mb)]
        row = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
        print(
            f"{row['mb']:g} MB one-line report: {row['seconds']:.1f} s, "
            f"{row['seconds'] / row['mb']:.2f} s per MB, peak {row['peak_mb']:,.0f} MB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
