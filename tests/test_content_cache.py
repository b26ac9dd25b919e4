"""`portal serve` re-reads only changed files, and every run gives exactly what a fresh `validate` gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.load import ContentCache
from generator.validate import validate


def _same_as_fresh(root: Path, cache: ContentCache):
    """Validate with ``cache`` and without; both must give the same portal and the same problems."""
    cached, cached_problems = validate(root, cache)
    fresh, fresh_problems = validate(root)
    assert [p.format() for p in cached_problems.items] == [p.format() for p in fresh_problems.items]
    assert cached_problems.items == fresh_problems.items
    assert cached == fresh
    return cached, cached_problems


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_unchanged_files_are_not_read_again(sample):
    cache = ContentCache()
    first, _ = _same_as_fresh(sample, cache)
    _edit(sample / "content/lessons/answering-fast.md", "\n---\n", "\n---\n\nA first line kingfisherblue.\n")

    second, _ = _same_as_fresh(sample, cache)

    assert second.lessons["closing-the-loop"] is first.lessons["closing-the-loop"]
    assert second.roles["ceo"] is first.roles["ceo"]
    assert second.lessons["answering-fast"] is not first.lessons["answering-fast"]
    assert "kingfisherblue" in second.lessons["answering-fast"].body


def test_a_file_that_breaks_and_is_fixed_is_reported_then_read_again(sample):
    cache = ContentCache()
    _same_as_fresh(sample, cache)
    lesson = sample / "content/lessons/answering-fast.md"
    original = lesson.read_text("utf-8")

    lesson.write_text(original.replace("minutes:", "minutes: lots\nminutes_typo:", 1), "utf-8")
    _, problems = _same_as_fresh(sample, cache)
    assert any(p.path == "content/lessons/answering-fast.md" for p in problems.errors)
    _same_as_fresh(sample, cache)  # still broken, now from the cache: the same problems again

    lesson.write_text("---\ntitle: [unclosed\n---\nBody\n", "utf-8")
    _same_as_fresh(sample, cache)

    lesson.write_text(original, "utf-8")
    portal, problems = _same_as_fresh(sample, cache)
    assert not problems.errors and "answering-fast" in portal.lessons


def test_deleted_renamed_and_added_files_give_what_a_fresh_run_gives(sample):
    cache = ContentCache()
    _same_as_fresh(sample, cache)
    lessons = sample / "content/lessons"

    (lessons / "closing-the-loop.md").rename(lessons / "closing-loops.md")  # paths still name the old id
    _, problems = _same_as_fresh(sample, cache)
    assert any("closing-the-loop" in p.message for p in problems.errors)

    (lessons / "closing-loops.md").rename(lessons / "closing-the-loop.md")
    shutil.copy(lessons / "handling-trolls.md", lessons / "handling-trolls-again.md")
    portal, _ = _same_as_fresh(sample, cache)
    assert "handling-trolls-again" in portal.lessons

    (lessons / "handling-trolls-again.md").unlink()
    (sample / "content/roles/engineer.yml").unlink()  # its translations lose their source
    _same_as_fresh(sample, cache)


def test_a_same_size_edit_that_keeps_the_modification_time_is_still_seen(sample):
    cache = ContentCache()
    first, _ = _same_as_fresh(sample, cache)
    lesson = sample / "content/lessons/answering-fast.md"
    stat = lesson.stat()
    minutes = first.lessons["answering-fast"].data.minutes
    _edit(lesson, f"minutes: {minutes}", f"minutes: {minutes - 1}")
    os.utime(lesson, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert lesson.stat().st_size == stat.st_size and lesson.stat().st_mtime_ns == stat.st_mtime_ns

    portal, _ = _same_as_fresh(sample, cache)

    assert portal.lessons["answering-fast"].data.minutes == minutes - 1


def test_translations_follow_their_own_file_and_their_source(sample):
    cache = ContentCache()
    first, _ = _same_as_fresh(sample, cache)
    greek = sample / "content/lessons/answering-fast.el.md"
    source = sample / "content/lessons/answering-fast.md"

    _edit(greek, "\n---\n", "\n---\n\nΜια νέα πρόταση.\n")
    portal, _ = _same_as_fresh(sample, cache)
    assert "Μια νέα πρόταση" in portal.translations["el"][("lessons", "answering-fast")].body
    assert portal.translations["sw"][("lessons", "answering-fast")] is first.translations["sw"][
        ("lessons", "answering-fast")
    ]

    _edit(source, "\n---\n", "\n---\n\nA new sentence.\n")  # every translation of it is now outdated
    portal, _ = _same_as_fresh(sample, cache)
    assert portal.translations["sw"][("lessons", "answering-fast")].outdated

    _edit(greek, "title:", "title: [unclosed\ntitle:")
    _same_as_fresh(sample, cache)
    _edit(greek, "title: [unclosed\ntitle:", "title:")
    _same_as_fresh(sample, cache)


def test_a_change_to_portal_yml_reaches_every_translation(sample):
    cache = ContentCache()
    _same_as_fresh(sample, cache)
    config = sample / "content/portal.yml"

    _edit(config, "  - code: sw\n    name: Kiswahili\n", "")  # Swahili files are no longer a declared language
    _, problems = _same_as_fresh(sample, cache)
    assert any(".sw." in p.path for p in problems.errors)

    _edit(config, "languages:", "languages: [")  # portal.yml itself breaks
    _same_as_fresh(sample, cache)


def test_a_file_replaced_by_a_symbolic_link_is_reported(sample):
    cache = ContentCache()
    _same_as_fresh(sample, cache)
    lesson = sample / "content/lessons/handling-trolls.md"
    target = sample / "elsewhere.md"
    lesson.rename(target)
    lesson.symlink_to(target)

    _, problems = _same_as_fresh(sample, cache)

    assert any(p.path == "content/lessons/handling-trolls.md" and "symbolic" in p.message for p in problems.errors)


def test_rendering_every_language_leaves_the_cached_content_as_it_was_read(sample):
    from generator.build import languages_of
    from generator.render import Renderer

    cache = ContentCache()
    portal, _ = _same_as_fresh(sample, cache)
    for language in languages_of(portal):
        Renderer(portal, language).render()

    _same_as_fresh(sample, cache)
