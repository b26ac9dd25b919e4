"""`portal validate` passing means `portal build` passes, in every language, for links and sections.

Each language's site has its own pages: translated lessons, and the source's lessons
where no translation exists, linking to the pages of that language. A link to a
section is judged against the page the build makes for that language, and reported
at the link, in the file that holds it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_portal

from generator.build import build


def insert_after_front_matter(path: Path, text: str) -> int:
    """Put ``text`` (one line) first in the body of a lesson; returns its line number."""
    source = path.read_text("utf-8")
    end = source.index("\n---\n", 4) + len("\n---\n")
    path.write_text(source[:end] + text + "\n\n" + source[end:], "utf-8")
    return source.count("\n", 0, end) + 1


def located(output: str) -> list[str]:
    """The ``path:line:col: message`` lines of the output."""
    return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]


def col_of(path: Path, line: int, needle: str) -> int:
    return path.read_text("utf-8").split("\n")[line - 1].index(needle) + 1


def untranslate(sample: Path, lesson: str) -> Path:
    """Delete every translation of a lesson, so every language shows its source; returns the source."""
    for translation in (sample / "content/lessons").glob(f"{lesson}.*.md"):
        translation.unlink()
    return sample / f"content/lessons/{lesson}.md"


# --- translated lessons ----------------------------------------------------------------------------


def test_a_made_up_anchor_in_a_translated_lesson_is_reported_in_the_translation(runner, sample):
    lesson = sample / "content/lessons/answering-fast.sw.md"
    line = insert_after_front_matter(lesson,
                                     "Soma [hapa](#hakuna-sehemu-hii) na [kwingine](who-does-what.md#wala-hii).")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert located(result.output) == [
        f"content/lessons/answering-fast.sw.md:{line}:13: there is no section `#hakuna-sehemu-hii` in that page",
        f"content/lessons/answering-fast.sw.md:{line}:{col_of(lesson, line, 'who-does-what.md#')}: "
        "there is no section `#wala-hii` in that page",
    ]


def test_links_to_generated_sections_hold_in_every_language(runner, sample):
    """The headings the portal writes have one id in every language (the issue's real-content case)."""
    insert_after_front_matter(
        sample / "content/lessons/answering-fast.sw.md",
        "Angalia [malengo](../playbooks/negativity.yml#response-targets), "
        "[maneno](../playbooks/tone.yml#words-we-avoid) na [mifano](../playbooks/tone.yml#before-and-after).",
    )
    # closing-the-loop without its translations: its English text is shown in every language.
    insert_after_front_matter(
        untranslate(sample, "closing-the-loop"),
        "See [the targets](../playbooks/negativity.yml#response-targets) and "
        "[your role's rules](../roles/receptionist.yml#you-may-post-freely).",
    )
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output


def test_a_source_lesson_shown_untranslated_links_to_a_heading_its_translations_renamed(runner, sample):
    source = untranslate(sample, "closing-the-loop")  # the sample translates every lesson
    line = insert_after_front_matter(source, "Read [why](why-employees-matter.md#people-trust-people) first.")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert located(result.output) == [
        f"content/lessons/closing-the-loop.md:{line}:12: there is no section `#people-trust-people` in that page "
        "in Kiswahili (sw), Ελληνικά (el), 简体中文 (zh), اردو (ur)",
    ]
    assert "keep the source's id there by ending the heading with {#people-trust-people}" in result.output
    assert "content/lessons/why-employees-matter.sw.md" in result.output


def test_a_translated_heading_keeps_the_source_id_with_an_attribute(runner, sample):
    insert_after_front_matter(sample / "content/lessons/closing-the-loop.md",
                              "Read [why](why-employees-matter.md#people-trust-people) first.")
    for code, heading in (("sw", "## Watu huwaamini watu"), ("el", None), ("zh", None), ("ur", None)):
        path = sample / f"content/lessons/why-employees-matter.{code}.md"
        text = path.read_text("utf-8")
        first = heading or re.search(r"^## .*$", text, re.M).group(0)  # type: ignore[union-attr]
        path.write_text(text.replace(first, first + " {#people-trust-people}", 1), "utf-8")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output


def test_every_languages_problems_are_reported_in_one_run(runner, sample):
    lines = {}
    for code in ("sw", "zh", "ur"):
        path = sample / f"content/lessons/answering-fast.{code}.md"
        lines[code] = insert_after_front_matter(path, f"[x](#missing-in-{code})")
    result = run_portal(runner, sample, "validate")
    assert located(result.output) == sorted(
        f"content/lessons/answering-fast.{code}.md:{lines[code]}:5: there is no section `#missing-in-{code}` "
        "in that page"
        for code in ("sw", "zh", "ur")
    )


# --- every link on every line --------------------------------------------------------------------


def test_a_missing_page_does_not_hide_missing_sections_on_the_same_line(runner, sample):
    lesson = sample / "content/lessons/closing-the-loop.md"
    text = ("See [a](no-such-lesson.md), [b](../playbooks/tone.yml#no-such-part), "
            "[c](../roles/ceo.yml#nor-this) and [d](#nor-here).")
    line = insert_after_front_matter(lesson, text)
    result = run_portal(runner, sample, "validate")
    at = {needle: col_of(lesson, line, needle) for needle in
          ("no-such-lesson", "../playbooks/tone.yml#", "../roles/ceo.yml#", "#nor-here")}
    assert located(result.output) == [
        f"content/lessons/closing-the-loop.md:{line}:{at['no-such-lesson']}: link `no-such-lesson.md` points to a "
        "page that does not exist",
        f"content/lessons/closing-the-loop.md:{line}:{at['../playbooks/tone.yml#']}: there is no section "
        "`#no-such-part` in that page",
        f"content/lessons/closing-the-loop.md:{line}:{at['../roles/ceo.yml#']}: there is no section `#nor-this` "
        "in that page",
        f"content/lessons/closing-the-loop.md:{line}:{at['#nor-here']}: there is no section `#nor-here` in that page",
    ]


def test_links_in_a_markdown_field_are_checked_against_the_page_it_lands_on(runner, sample):
    role = sample / "content/roles/receptionist.yml"
    text = role.read_text("utf-8")
    first = re.search(r"^social_media: \|\n(  .*)$", text, re.M)
    assert first, "the receptionist's social_media is a literal block"
    # Relative to the page the field lands on (roles/receptionist.md), as MkDocs reads it.
    addition = " See [ok](../playbooks/negativity.md#response-targets), [gone](../lessons/gone.md), [no](#nowhere)."
    role.write_text(text.replace(first.group(1), first.group(1) + addition, 1), "utf-8")
    line = text.count("\n", 0, first.start(1)) + 1
    result = run_portal(runner, sample, "validate")
    edited = role.read_text("utf-8").split("\n")[line - 1]
    assert located(result.output) == [
        f"content/roles/receptionist.yml:{line}:{edited.index('../lessons/gone.md') + 1}: "
        "link `../lessons/gone.md` points to a page that does not exist",
        f"content/roles/receptionist.yml:{line}:{edited.index('#nowhere') + 1}: "
        "there is no section `#nowhere` in that page",
    ]


# --- headings: readable ids in every script, and # needs a space ---------------------------------


def test_a_chinese_heading_gets_a_readable_id_that_a_link_can_name(runner, sample):
    zh = sample / "content/lessons/answering-fast.zh.md"
    assert "## 我们的时限" in zh.read_text("utf-8")
    insert_after_front_matter(zh, "先读 [时限](#我们的时限)。")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output


def test_a_line_starting_with_a_channel_name_is_text_not_a_heading(runner, sample):
    ur = sample / "content/lessons/answering-fast.ur.md"
    line = insert_after_front_matter(ur, "#ask-social پر لکھیں۔ [یہاں](#ask-social)")
    result = run_portal(runner, sample, "validate")
    assert located(result.output) == [
        f"content/lessons/answering-fast.ur.md:{line}:{col_of(ur, line, '#ask-social)')}: "
        "there is no section `#ask-social` in that page",
    ]


# --- prerequisites a role never gets -------------------------------------------------------------


@pytest.fixture
def unmet_prerequisite(tmp_path: Path) -> Path:
    """The small catalogue portal where the team lead gets `staying-calm` but not its prerequisite."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "tests/cases/base/content", root / "content")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content/paths/calm.yml").write_text(
        "title: Calm\nsummary: Keeping calm.\nsteps:\n  - lesson: staying-calm\n    due_day: 4\n", "utf-8")
    lead = root / "content/roles/lead.yml"
    lead.write_text(lead.read_text("utf-8").replace("paths:\n  - basics", "paths:\n  - calm"), "utf-8")
    lesson = root / "content/lessons/staying-calm.md"
    lesson.write_text(lesson.read_text("utf-8").replace("minutes: 8\n", "minutes: 8\nprerequisites: [first-steps]\n"),
                      "utf-8")
    return root


def test_a_prerequisite_in_no_path_of_a_role_is_a_located_warning(runner, unmet_prerequisite):
    result = run_portal(runner, unmet_prerequisite, "validate")
    assert result.exit_code == 0, result.output
    assert located(result.output) == [
        "content/lessons/staying-calm.md:5:17: warning: prerequisite `first-steps` is in no path of role `lead`, "
        "which gets this lesson",
    ]


def test_report_check_fails_on_a_prerequisite_a_role_never_gets(runner, unmet_prerequisite):
    result = run_portal(runner, unmet_prerequisite, "report", "--check")
    assert result.exit_code == 1
    assert ("content/lessons/staying-calm.md:5:17: prerequisite `first-steps` is in no path of role `lead`, "
            "which gets this lesson") in result.output


# --- the build agrees --------------------------------------------------------------------------------


def test_sections_that_validate_accepts_exist_in_every_built_language(runner, sample, tmp_path):
    insert_after_front_matter(
        sample / "content/lessons/answering-fast.sw.md",
        "Angalia [malengo](../playbooks/negativity.yml#response-targets) na "
        "[maneno](../playbooks/tone.yml#words-we-avoid).",
    )
    insert_after_front_matter(
        sample / "content/lessons/answering-fast.ur.md",
        "#ask-social پر لکھیں، اور [الفاظ](../playbooks/tone.yml#before-and-after) دیکھیں۔",
    )
    insert_after_front_matter(sample / "content/lessons/answering-fast.zh.md", "先读 [时限](#我们的时限)。")
    assert run_portal(runner, sample, "validate").exit_code == 0
    site = tmp_path / "site"
    build(sample, site)

    def page(rel: str) -> str:
        return (site / rel / "index.html").read_text("utf-8")

    for code in ("sw", "ur"):
        negativity, tone = page(f"{code}/playbooks/negativity"), page(f"{code}/playbooks/tone")
        assert 'id="response-targets"' in negativity
        assert 'id="words-we-avoid"' in tone and 'id="before-and-after"' in tone
        assert 'id="linkedin-post"' in tone  # a content-named heading takes its id from the source's text
    assert 'href="../../playbooks/negativity/#response-targets"' in page("sw/lessons/answering-fast")
    urdu = page("ur/lessons/answering-fast")
    # "#ask-social" without a space is a paragraph's text, not a heading; the Urdu page isolates
    # the hashtag (<bdi>) so that it reads left to right.
    assert re.search(r"<p>(?:<bdi[^>]*>)?#ask-social", urdu), urdu
    assert 'id="ask-social' not in urdu
    chinese = page("zh/lessons/answering-fast")
    assert '<h2 id="我们的时限"' in chinese and 'href="#我们的时限"' in chinese


def test_every_generated_project_sets_the_heading_rules_whatever_mkdocs_yml_says(sample, tmp_path):
    """Unicode slugs and sane headings are the portal's rules: validate computes ids with them."""
    from mkdocs.config import load_config

    from generator.project import prepare_project
    from generator.validate import validate

    settings = sample / "mkdocs.yml"
    settings.write_text(settings.read_text("utf-8").replace("  - toc:\n      permalink: true\n", ""), "utf-8")
    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    project = prepare_project(portal, tmp_path / "zh", tmp_path / "site", "zh", write=False)
    config = load_config(str(project.config_path))
    assert "pymdownx.saneheaders" in config.markdown_extensions
    slugify = config.mdx_configs["toc"]["slugify"]
    assert slugify("我们的 时限", "-") == "我们的-时限"
    assert slugify("Words We Avoid", "-") == "words-we-avoid"


def test_the_generated_project_keeps_mkdocs_link_checks_on_whatever_mkdocs_yml_says():
    """A second line behind validate: MkDocs' own link and anchor checks fail the strict build."""
    from generator.project import strict_validation

    turned_down = {"links": {"not_found": "ignore", "anchors": "info"}, "nav": {"omitted_files": "ignore"}}
    assert strict_validation(turned_down) == {
        "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
        "links": {"not_found": "warn", "anchors": "warn", "absolute_links": "warn", "unrecognized_links": "warn"},
    }


def test_page_ids_are_those_of_the_build_in_every_script():
    from generator.anchors import markdown_settings, page_ids_for, settings_key

    page_ids = page_ids_for(settings_key(markdown_settings(["attr_list", "md_in_html", "admonition"])))
    text = ("# 处理投诉\n\n## 第一步\n\n## 第一步\n\n## پہلا قدم\n\n## Πρώτο βήμα\n\n"
            "#ask-social is a channel\n\n## Kept {#kept-id}\n\n<span id=\"raw\">x</span> <a name=\"named\"></a>\n")
    assert page_ids(text) == {"处理投诉", "第一步", "第一步_1", "پہلا-قدم", "πρώτο-βήμα", "kept-id", "raw", "named"}
