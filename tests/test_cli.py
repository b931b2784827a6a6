"""The command line: tables on stdout, one-line errors with exit status 2 on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout

import pandas as pd
import pytest

from xining_data.cli import main

from conftest import SEED_PATH


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xining_data", *args], capture_output=True, text=True, check=False
    )


def test_articles_csv():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["articles", str(SEED_PATH)]) == 0
    df = pd.read_csv(io.StringIO(out.getvalue()))
    assert list(df.columns)[1:] == [
        "order", "title", "reporter", "reporter_role", "theme", "paragraphs", "start", "end"
    ]  # fmt: skip
    assert len(df) == 7


def test_articles_json():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["articles", str(SEED_PATH), "--format", "json"]) == 0
    rows = json.loads(out.getvalue())
    assert rows[0]["order"] == 1 and "title" in rows[0]


def test_output_file_is_written(tmp_path):
    target = tmp_path / "out" / "articles.csv"
    assert main(["articles", str(SEED_PATH), "-o", str(target)]) == 0
    assert len(pd.read_csv(target)) == 7


BAD = [
    pytest.param(None, "no such file", id="missing"),
    pytest.param(b"", "empty", id="empty"),
    pytest.param(b" \n \n", "empty", id="whitespace"),
    pytest.param(bytes(range(256)), "binary", id="binary"),
    pytest.param(b"\x81\x30\xff\x80" * 3, "undecodable", id="undecodable"),
]


@pytest.mark.parametrize(("data", "problem"), BAD)
@pytest.mark.parametrize("command", ["articles", "figures", "places"])
def test_bad_input_exits_2_with_one_line(tmp_path, data, problem, command):
    path = tmp_path / "report.txt"
    if data is not None:
        path.write_bytes(data)
    target = tmp_path / "out.csv"
    result = run_cli(command, str(path), "-o", str(target))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and problem in lines[0]
    assert not target.exists() and list(tmp_path.iterdir()) == ([path] if data is not None else [])
