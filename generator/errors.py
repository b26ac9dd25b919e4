"""Located problems, collected over a whole run and reported together."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Literal

Severity = Literal["error", "warning"]


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place an editor can find.

    ``path`` is relative to the repository root and uses forward slashes;
    ``line`` and ``col`` count from 1 (0 means the whole file).
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    hint: str | None = None

    def format(self, source_line: str | None = None) -> str:
        """``path:line:col: message``, then the offending line and a hint when known."""
        where = f"{self.path}:{self.line}:{self.col}" if self.line else f"{self.path}:1:1"
        prefix = "" if self.severity == "error" else "warning: "
        text = f"{where}: {prefix}{self.message}"
        if source_line is not None and self.line:
            shown = source_line.rstrip("\r\n")
            text += f"\n    {shown}\n    {' ' * max(self.col - 1, 0)}^"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ContentError(Exception):
    """The content has errors; ``problems`` holds every one found in the run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{errors} error(s) in content")


class Problems:
    """A collector that the loader and the checks append to."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(
        self,
        path: str,
        line: int,
        col: int,
        message: str,
        *,
        severity: Severity = "error",
        hint: str | None = None,
    ) -> None:
        self.items.append(Problem(path, line, col, message, severity, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.items)


def summary(problems: Iterable[Problem], files: int) -> str:
    """The one-line summary printed after the problems."""
    items = list(problems)
    errors = sum(1 for p in items if p.severity == "error")
    warnings = len(items) - errors
    if not items:
        return f"{files} files checked: no problems"
    return f"{files} files checked: {errors} error(s), {warnings} warning(s)"
