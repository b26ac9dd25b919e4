"""A property: content that `portal validate` accepts always builds, in every language.

Hypothesis (seeded, six examples) writes links, headings, ids and hashtag lines
into a lesson and its translation of a small two-language portal (the catalogue's,
with Kiswahili added), the kinds of text the issue found breaking the build. When
validate reports no error, `portal build` must succeed. Each example that validate
accepts costs one build of two small sites, so the examples are few; the fragments
are chosen so that about half of them pass validate.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from generator.build import BuildFailed, build
from generator.translations import file_fingerprint
from generator.validate import validate

BASE = REPO / "tests/cases/base"

TARGETS = ["", "first-steps.md", "second-steps.md", "staying-calm.md", "../playbooks/tone.yml",
           "../playbooks/negativity.yml", "../roles/agent.yml", "../paths/basics.yml", "no-such-lesson.md"]
ANCHORS = ["", "", "#where-to-start", "#mahali-pa-kuanza", "#a-good-first-post", "#words-we-avoid",
           "#response-targets", "#complaint", "#you-may-post-freely", "#ask-first", "#第一步", "#ask-social",
           "#made-up", "#hatua", "#hatua_1", "#_1", "#check-title", "#π-ρ", "#نیا", "#para", "#cafe--co",
           "#%E7%AC%AC%E4%B8%80%E6%AD%A5"]
WORDS = ["Where to start", "Mahali pa kuanza", "第一步", "پہلا قدم", "Πρώτο βήμα", "ask-social", "A good first post",
         "Café & co", "Hatua", "*Hatua*", "Hatua ##", "[Hatua](second-steps.md)", "`x`", "_1", "π ρ", "نیا"]


def _heading(level: int, words: str, space: bool, explicit: str) -> str:
    return "#" * level + (" " if space else "") + words + (f" {{#{explicit}}}" if explicit else "")


FRAGMENTS = st.one_of(
    st.builds(lambda text, target, anchor: f"[{text}]({target or ''}{anchor or ''})" if target or anchor else text,
              st.sampled_from(WORDS), st.sampled_from(TARGETS), st.sampled_from(ANCHORS)),
    st.builds(_heading, st.integers(1, 3), st.sampled_from(WORDS), st.booleans(),
              st.sampled_from(["", "", "hatua", "第一步", "where-to-start"])),
    st.builds(lambda words: f"{words}\n---", st.sampled_from(WORDS)),
    st.builds(lambda words: f"!!! note\n\n    ## {words}", st.sampled_from(WORDS)),
    st.builds(lambda words: f"```\n## {words}\n```", st.sampled_from(WORDS)),
    st.builds(lambda name: f'<span id="{name}">x</span>', st.sampled_from(["hatua", "第一步", "made-up"])),
    st.builds(lambda tag: f"#{tag} is where we ask", st.sampled_from(["ask-social", "JuaTeam", "第一步"])),
    st.just("A paragraph with an id.\n{: #para }"),
    st.builds(lambda words: f"{words}\n===", st.sampled_from(WORDS)),
    st.builds(lambda target: f"See [the page][ref].\n\n[ref]: {target}", st.sampled_from(TARGETS[1:])),
    st.builds(lambda words: f'<div markdown>\n\n## {words}\n\n</div>', st.sampled_from(WORDS)),
)
BODIES = st.lists(FRAGMENTS, min_size=1, max_size=4).map("\n\n".join)


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue's small portal in English and Kiswahili, with one translated lesson."""
    root = tmp_path_factory.mktemp("property") / "repo"
    shutil.copytree(BASE / "content", root / "content")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    portal = root / "content/portal.yml"
    portal.write_text(portal.read_text("utf-8") + "languages:\n  - {code: en, name: English}\n"
                      "  - {code: sw, name: Kiswahili}\n", "utf-8")
    return root


def _write_lessons(root: Path, english: str, swahili: str) -> None:
    source = root / "content/lessons/first-steps.md"
    text = (BASE / "content/lessons/first-steps.md").read_text("utf-8")
    source.write_text(text + "\n" + english + "\n", "utf-8")
    (root / "content/lessons/first-steps.sw.md").write_text(
        f'---\nsource_fingerprint: "{file_fingerprint(source)}"\ntitle: Hatua za kwanza\n---\n'
        # second-steps (shown in English in both sites) links to #where-to-start.
        f"Watu huwaamini watu.\n\n## Mahali pa kuanza {{#where-to-start}}\n\n{swahili}\n", "utf-8")


@seed(20261205)
@settings(max_examples=6, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(english=BODIES, swahili=BODIES)
def test_content_that_validate_accepts_builds_in_every_language(two_languages, tmp_path_factory, english, swahili):
    _write_lessons(two_languages, english, swahili)
    portal, problems = validate(two_languages)
    if portal is None or problems.errors:
        return
    site = tmp_path_factory.mktemp("site") / "site"
    try:
        build(two_languages, site)
    except BuildFailed as failure:
        pytest.fail(f"validate accepted, the build failed: {failure}\n" + "\n".join(failure.warnings))
    finally:
        shutil.rmtree(site.parent, ignore_errors=True)
