"""`portal serve` rebuilds incrementally: what it serves after an edit is what a full build gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build_portal, languages_of
from generator.validate import validate

pytestmark = pytest.mark.slow

def _build(root: Path, site: Path, work: Path, *, dirty: bool) -> list[str]:
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, [p.format() for p in problems.errors]
    build_portal(portal, site, work, dirty=dirty)
    return languages_of(portal)


def test_an_incremental_rebuild_succeeds_and_renders_only_the_changed_pages(sample, tmp_path):
    site, work = tmp_path / "served", tmp_path / "work"
    site.mkdir()
    _build(sample, site, work, dirty=False)
    edited, other = (site / "lessons" / name / "index.html" for name in ("answering-fast", "closing-the-loop"))
    stamp = other.stat().st_mtime_ns
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8") + "\nA sentence with the word kingfisherblue.\n", "utf-8")

    _build(sample, site, work, dirty=True)  # MkDocs warns on every dirty build; strict mode must not fail it

    assert "kingfisherblue" in edited.read_text("utf-8")
    assert other.stat().st_mtime_ns == stamp, "an unchanged page was rendered again"
