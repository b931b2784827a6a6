"""The one error type users see: a bad input file, named, with its problem."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A report that cannot be used; the message is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(one_line(f"{self.path}: {problem}"))


def one_line(message: str) -> str:
    """A message with its line breaks and other control characters escaped, so a file
    named with a newline still gives one line."""
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode() for c in message
    )
