"""Shared fixtures: the seed's text as the gold files index it."""

from __future__ import annotations

from pathlib import Path

import pytest

from xining_data.paths import RAW_DIR
from xining_data.report import parse_header

EVAL_DIR = Path(__file__).parent / "eval"
CASES_DIR = Path(__file__).parent / "cases"
SEED_PATH = RAW_DIR / "000_4f7dffbbf6220809.txt"


@pytest.fixture(scope="session")
def shared_seed_text() -> str:
    """The seed body, read the way the gold README says (text mode, UTF-8), without our header."""
    with open(SEED_PATH, encoding="utf-8") as f:
        return parse_header(f.read())[1]
