"""Located problems, collected over a whole run and reported together."""

from __future__ import annotations

import dataclasses
import unicodedata
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
        """``path:line:col: message``, then the offending line and a hint when known.

        Invisible characters in the path are written out (``\\u202e``) so that a
        direction override in a file name cannot reorder the message; the caret
        allows for wide (East Asian) characters before it.
        """
        path = "".join(f"\\u{ord(ch):04x}" if _hidden(ch) else ch for ch in self.path)
        where = f"{path}:{self.line}:{self.col}" if self.line else f"{path}:1:1"
        prefix = "" if self.severity == "error" else "warning: "
        text = f"{where}: {prefix}{self.message}"
        if source_line is not None and self.line and source_line.strip():
            shown = "".join("\ufffd" if _hidden(ch) else ch for ch in source_line.rstrip("\r\n"))
            shown = shown.replace("\t", "→")
            before = shown[: max(self.col - 1, 0)]
            pad = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)
            text += f"\n    {shown}\n    {' ' * pad}^"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def _hidden(ch: str) -> bool:
    """Control and format characters (zero-width, direction overrides) that a terminal would not show."""
    return ch != "\t" and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


class ContentError(Exception):
    """The content has errors; ``problems`` holds every one found in the run."""

    def __init__(self, problems: Iterable[Problem], files: int = 0) -> None:
        self.problems = sorted(problems)
        self.files = files
        """How many content files were read (for the summary line)."""
        errors = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{errors} error(s) in content")


class Problems:
    """A collector that the loader and the checks append to."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.files = 0
        """How many content files were read."""
        self.skipped: dict[str, dict[str, int]] = {}
        """Checks left out because a file they depend on could not be read: file -> what -> how many."""

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

    def skip(self, path: str, what: str) -> None:
        """Note that a check of ``what`` was left out because ``path`` could not be read.

        Each broken file is then named once (:meth:`report_skipped`) instead of every check
        that needed it reporting a mistake of its own ("there is no roles/x.yml").
        """
        counts = self.skipped.setdefault(path, {})
        counts[what] = counts.get(what, 0) + 1

    def report_skipped(self) -> None:
        """One warning per unreadable file that made checks be skipped, saying which."""
        for path, counts in sorted(self.skipped.items()):
            done = ", ".join(f"{what} ({count})" for what, count in counts.items())
            self.add(path, 0, 0, f"checks that need this file were skipped until it can be read: {done}",
                     severity="warning")
        self.skipped = {}

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
