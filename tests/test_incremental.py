"""`portal serve` rebuilds incrementally: what it serves after an edit is what a full build gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import build_portal, languages_of
from generator.validate import validate

pytestmark = pytest.mark.slow

EXTRA_LESSON = """\
---
title: A lesson that is about to go
minutes: 5
summary: Short-lived.
---

## Soon gone

Its words, such as pelicanviolet, must leave the search index with it.
"""


def _build(root: Path, site: Path, work: Path, *, dirty: bool) -> list[str]:
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, [p.format() for p in problems.errors]
    build_portal(portal, site, work, dirty=dirty)
    return languages_of(portal)


def _index(site: Path, languages: list[str], language: str) -> list[dict]:
    folder = site if language == languages[0] else site / language
    return json.loads((folder / "search" / "search_index.json").read_text("utf-8"))["docs"]


def test_search_finds_every_page_after_an_incremental_rebuild_in_every_language(sample, tmp_path):
    lesson = sample / "content/lessons/answering-fast.md"
    translated = sample / "content/lessons/answering-fast.el.md"
    extra = sample / "content/lessons/about-to-go.md"
    extra.write_text(EXTRA_LESSON, "utf-8")
    site, work = tmp_path / "served", tmp_path / "work"
    site.mkdir()
    languages = _build(sample, site, work, dirty=False)
    assert len(languages) > 1

    lesson.write_text(lesson.read_text("utf-8") + "\nA sentence with the word kingfisherblue.\n", "utf-8")
    translated.write_text(translated.read_text("utf-8") + "\nΜια πρόταση με τη λέξη kingfishergreen.\n", "utf-8")
    extra.unlink()
    _build(sample, site, work, dirty=True)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _build(sample, fresh, tmp_path / "fresh-work", dirty=False)
    for language in languages:
        served = _index(site, languages, language)
        assert served == _index(fresh, languages, language), f"the {language} index differs from a full build's"
        assert any(e["location"].startswith("lessons/closing-the-loop/") for e in served), "unedited pages lost"
        assert "pelicanviolet" not in json.dumps(served), f"a deleted lesson is still found in {language}"
    assert "kingfishergreen" in json.dumps(_index(site, languages, "el"), ensure_ascii=False)
    assert "kingfisherblue" in json.dumps(_index(site, languages, languages[0]))


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


def test_compiled_theme_templates_are_reused_until_their_source_changes(tmp_path, monkeypatch):
    import jinja2

    from generator.render import CompiledTemplates

    compiled, compiles = CompiledTemplates({}), []
    compile_source = jinja2.Environment.compile

    def counted(env: jinja2.Environment, *args, **kwargs):
        compiles.append(args[1] if len(args) > 1 else None)
        return compile_source(env, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    template = tmp_path / "page.j2"

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=compiled)
        return env.get_template("page.j2").render(name="world")

    template.write_text("Hello {{ name }}", "utf-8")
    assert (render(), render(), len(compiles)) == ("Hello world", "Hello world", 1)  # a new environment each time
    template.write_text("Goodbye {{ name }}", "utf-8")
    assert (render(), len(compiles)) == ("Goodbye world", 2)
