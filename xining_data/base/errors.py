"""The one error type users see: a bad input file, named, with its problem."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A report that cannot be used; the message is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
