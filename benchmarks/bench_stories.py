"""Benchmark of the stories on an archive: ``python -m benchmarks.bench_stories [--reports N]``.

Publishes every story notebook (both editions) on a synthetic archive of ``--reports``
reports (``benchmarks.corpus``: real report sentences with varied numbers, mixed encodings)
and, in the same run, on the bundled report alone as the peer. Prints each publish's wall
time (tables built first, then the notebooks), the ratio of the two, and the largest page's
size, which must stay under 5 MB however large the archive (tables on a page are capped;
the figure kit's CSVs hold every row).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks.corpus import ArchiveSpec, write_archive

MB = 1024 * 1024
PAGE_LIMIT = 5 * MB


def publish_into(root: Path, reports: Path | None) -> tuple[float, int]:
    """Seconds to publish every story on ``reports`` (None: the bundled corpus) into
    ``root``, and the largest page's size in bytes."""
    from xining_data.base.paths import NOTEBOOKS_DIR
    from xining_data.publish.site import PublishOptions, publish

    started = time.perf_counter()
    options = PublishOptions(reports=reports, build_dir=root / "build", force=True)
    publish(NOTEBOOKS_DIR, root / "site", root / "figures", options)
    seconds = time.perf_counter() - started
    largest = max(p.stat().st_size for p in (root / "site").glob("*.html"))
    return seconds, largest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_stories")
    ap.add_argument("--reports", type=int, default=2000, help="synthetic reports (default 2000)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        root = Path(tmp)
        archive = root / "archive"
        counts = write_archive(archive, ArchiveSpec(reports=args.reports))
        print(f"archive: {counts['reports']} reports, {counts['bytes'] / MB:.1f} MB")
        peer_s, peer_page = publish_into(root / "peer", None)
        print(f"bundled report (peer): {peer_s:7.1f} s, largest page {peer_page / MB:.2f} MB")
        arch_s, arch_page = publish_into(root / "archive-site", archive)
        print(
            f"archive of {args.reports}:    {arch_s:7.1f} s, largest page {arch_page / MB:.2f} MB"
        )
        print(f"ratio archive/peer: {arch_s / peer_s:.1f}x")
        if arch_page >= PAGE_LIMIT:
            print(f"FAIL: the largest page is {arch_page / MB:.2f} MB (limit 5 MB)")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
