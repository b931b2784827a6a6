"""Context facts: every fact carried with its source and quote; census population; publishability."""

from __future__ import annotations

import pandas as pd
import pytest

from xining_data.geo.context import (
    COLUMNS,
    FACTS_FILE,
    check_population_totals,
    context_table,
    population,
)


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return context_table()


def test_every_fact_kept_with_source_and_quote(facts: pd.DataFrame) -> None:
    raw = pd.read_csv(FACTS_FILE, dtype=str, keep_default_na=False)
    assert list(facts.columns) == COLUMNS
    assert len(facts) == len(raw)
    assert (
        (facts[["fact", "value", "source", "quote"]] == raw[["fact", "value", "source", "quote"]])
        .all()
        .all()
    )
    assert (facts["source"] != "").all() and (facts["quote"] != "").all()


def test_every_fact_has_a_place_code(facts: pd.DataFrame) -> None:
    assert (facts["adcode"] != "").all(), facts.loc[facts["adcode"] == "", "division"].tolist()


def test_mirror_facts_need_a_second_source(facts: pd.DataFrame) -> None:
    mirror = facts["reliability"].str.startswith("secondary copy or mirror")
    assert facts.loc[~mirror, "publishable"].all()
    lone = mirror & (facts["corroborated_by"] == "")
    assert not facts.loc[lone, "publishable"].any()
    assert facts.loc[mirror & (facts["corroborated_by"] != ""), "publishable"].all()


def test_corroboration_by_the_official_table(facts: pd.DataFrame) -> None:
    """The minority population of Xining is in the census table row quoted for the city."""
    minority = facts[facts["fact"].str.startswith("少数民族常住人口")].iloc[0]
    official = facts[
        (facts["reliability"] == "official statistics") & (facts["adcode"] == "630100")
    ]
    assert minority["value"] in official.iloc[0]["quote"].split()
    assert minority["publishable"]


def test_areas_from_mirrors_are_not_published(facts: pd.DataFrame) -> None:
    areas = facts[facts["fact"].str.startswith("面积")]
    assert len(areas) and not areas["publishable"].any()


def test_census_population() -> None:
    census = population()
    assert len(census) == 8
    assert population("630121") == census["630121"]
    assert population("999999") is None
    total, city = check_population_totals()
    assert total == city == census["630100"]
