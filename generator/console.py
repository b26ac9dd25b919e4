"""Problems printed for a person at a terminal: each located, with its source line, then a summary.

Shared by the commands and by ``portal serve``, which reports again after every edit.
"""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import Problem, summary


def source_line(root: Path, problem: Problem) -> str | None:
    if not problem.line:
        return None
    try:
        raw = (root / problem.path).read_bytes()
    except OSError:
        return None
    if b"\x00" in raw[:4096]:
        return None  # UTF-16/32 or binary: its lines would show as noise
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.replace("\r\n", "\n").split("\n")
    return lines[problem.line - 1] if 0 < problem.line <= len(lines) else None


def report(root: Path, problems: list[Problem], files: int) -> None:
    """Print every problem, located, then the one-line summary, on stderr."""
    for problem in sorted(problems):
        click.echo(problem.format(source_line(root, problem)), err=True)
    if problems:
        click.echo(summary(problems, files), err=True)
