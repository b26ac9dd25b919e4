"""Translations beside their source: what `portal validate` accepts, refuses and reports."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_portal

from generator.load import load_portal
from generator.lookup import MESSAGES
from generator.render import render
from generator.translations import file_fingerprint, localize
from generator.validate import validate

LANGUAGES = ("sw", "el", "zh", "ur")


def errors_of(root: Path) -> list[str]:
    _, problems = validate(root)
    return [p.format() for p in problems.errors]


def line_col(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (from 1) where ``needle`` occurs for the ``occurrence``-th time in ``path``."""
    seen = 0
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def write_translation(path: Path, source: Path, body: str) -> None:
    path.write_text(f'source_fingerprint: "{file_fingerprint(source)}"\n{body}', "utf-8")


# --- the sample -----------------------------------------------------------------------------


def test_translation_files_are_read_as_translations_not_as_items():
    portal, problems = load_portal(REPO)
    assert portal is not None
    assert not [p for p in problems.errors if re.search(r"\.(sw|el|zh|ur)\.", p.path)], problems.errors
    assert set(portal.roles) == {p.stem for p in (REPO / "content/roles").glob("*.yml") if "." not in p.stem}
    assert not any("." in item_id for item_id in [*portal.roles, *portal.paths, *portal.lessons, *portal.playbooks])
    ceo = portal.translations["sw"][("roles", "ceo")]
    assert ceo.source == "content/roles/ceo.sw.yml"
    assert ceo.data.title != portal.roles["ceo"].data.title
    assert ceo.data.level == portal.roles["ceo"].data.level
    assert ceo.data.paths == portal.roles["ceo"].data.paths


@pytest.mark.parametrize("language", LANGUAGES)
def test_sample_translates_what_the_programme_needs_in_each_language(language):
    """The home page, every role's title and summary, two playbooks and four lessons, in every language."""
    portal, _ = validate(REPO)
    assert portal is not None
    found = portal.translations[language]
    home = found[("portal", "")].data
    for field in ("program", "tagline", "introduction"):
        assert getattr(home, field) != getattr(portal.config, field), field
    for role_id, role in portal.roles.items():
        translated = found[("roles", role_id)].data
        assert translated.title != role.data.title and translated.summary != role.data.summary, role_id
    for playbook_id in ("tone", "negativity"):
        assert ("playbooks", playbook_id) in found
    for lesson_id in ("why-employees-matter", "disclosing-your-employer", "answering-fast",
                      "owning-complaints-in-public"):
        lesson = found[("lessons", lesson_id)]
        assert lesson.data.title != portal.lessons[lesson_id].data.title
        assert not lesson.outdated, f"{lesson.source} records an old fingerprint"


def test_every_interface_string_exists_in_every_configured_language():
    english = yaml.safe_load((MESSAGES / "en.yml").read_text("utf-8"))
    portal, _ = load_portal(REPO)
    assert portal is not None
    declared = [lang.code for lang in portal.config.languages]
    assert set(LANGUAGES) <= set(declared)
    for code in declared:
        if code == "en":
            continue
        path = MESSAGES / f"{code}.yml"
        assert path.is_file(), f"no interface strings for {code}"
        strings = yaml.safe_load(path.read_text("utf-8"))
        missing = sorted(set(english) - set(strings))
        assert not missing, f"{path.name} lacks {missing}"
        assert not sorted(set(strings) - set(english)), f"{path.name} has keys English does not have"
        for key, text in english.items():
            assert isinstance(strings[key], str) and strings[key].strip(), f"{path.name}: {key} is empty"
            wanted = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            found = {name for _, name, _, _ in string.Formatter().parse(strings[key]) if name}
            assert wanted == found, f"{path.name}: {key} must use the placeholders {sorted(wanted)}"


def test_swahili_theme_strings_cover_every_key_of_materials_english():
    import material

    def keys(path: Path) -> dict[str, str]:
        return dict(re.findall(r'^\s*"([^"]+)": "(.*)",?$', path.read_text("utf-8"), re.MULTILINE))

    english = keys(Path(material.__file__).parent / "templates/partials/languages/en.html")
    swahili = keys(REPO / "overrides/partials/languages/sw.html")
    assert len(english) > 50
    assert sorted(set(english) - set(swahili)) == []
    assert swahili["language"] == "sw" and swahili["direction"] == "ltr"
    untranslated = [k for k in english if swahili[k] == english[k] and not k.startswith(("search.config", "language"))]
    assert len(untranslated) < 5, untranslated


# --- structural drift is a located error ------------------------------------------------------


def test_changed_due_day_in_a_translated_path_is_reported_at_its_line(sample):
    source = sample / "content/paths/foundations.yml"
    translation = sample / "content/paths/foundations.sw.yml"
    steps = yaml.safe_load(source.read_text("utf-8"))["steps"]
    lines = ["title: Misingi", "steps:"]
    for number, step in enumerate(steps):
        due = step["due_day"] + 2 if number == 1 else step["due_day"]
        lines += [f"  - lesson: {step['lesson']}", f"    due_day: {due}"]
    write_translation(translation, source, "\n".join(lines) + "\n")
    line, col = line_col(translation, f"due_day: {steps[1]['due_day'] + 2}")
    errors = errors_of(sample)
    assert errors == [
        f"content/paths/foundations.sw.yml:{line}:{col + len('due_day: ')}: `steps[2].due_day` is "
        f"`{steps[1]['due_day'] + 2}` here but `{steps[1]['due_day']}` in the source (content/paths/foundations.yml); "
        "a translation changes text only\n"
        "    hint: leave this field out of the translation, or write it exactly as in the source"
    ]


def test_a_changed_role_reference_and_situation_id_are_reported(sample):
    role = sample / "content/roles/ceo.sw.yml"
    role.write_text(role.read_text("utf-8") + "escalate_to:\n  - role: team-lead\n", "utf-8")
    playbook = sample / "content/playbooks/negativity.sw.yml"
    text = playbook.read_text("utf-8")
    playbook.write_text(text.replace("id: customer-complaint", "id: customer-complaints"), "utf-8")
    errors = errors_of(sample)
    line, col = line_col(role, "team-lead")
    assert any(e.startswith(f"content/roles/ceo.sw.yml:{line}:{col}: `escalate_to[1].role` is `team-lead` here "
                            "but `communications-lead` in the source") for e in errors), errors
    line, col = line_col(playbook, "customer-complaints")
    assert any(e.startswith(f"content/playbooks/negativity.sw.yml:{line}:{col}: `situations[1].id` is "
                            "`customer-complaints` here") for e in errors), errors


def test_a_list_with_an_item_missing_is_reported_at_the_list(sample):
    role = sample / "content/roles/receptionist.yml"
    text = role.read_text("utf-8")
    data = yaml.safe_load(text)
    translation = sample / "content/roles/receptionist.el.yml"
    items = "".join(f'  - "Ελληνικά {n}"\n' for n in range(len(data["do"]) - 1))
    write_translation(translation, role, f"do:\n{items}")
    errors = errors_of(sample)
    assert errors == [
        f"content/roles/receptionist.el.yml:3:3: `do` has {len(data['do']) - 1} item(s) here but {len(data['do'])} "
        "in the source (content/roles/receptionist.yml)\n"
        "    hint: a translation keeps every list of its source, item for item and in the same order"
    ]


def test_a_key_the_source_does_not_have_is_reported_at_the_key(sample):
    translation = sample / "content/roles/engineer.zh.yml"
    translation.write_text(translation.read_text("utf-8") + "titel: 工程师\n", "utf-8")
    line, _ = line_col(translation, "titel:")
    assert errors_of(sample)[0].startswith(
        f"content/roles/engineer.zh.yml:{line}:1: `titel` is not in the source (content/roles/engineer.yml); "
        "did you mean `title`?"
    )


def test_a_translated_answer_must_translate_the_source_option_at_the_same_place(sample):
    lesson = sample / "content/lessons/answering-fast.sw.md"
    text = lesson.read_text("utf-8")
    lesson.write_text(text.replace('answer: "Ndani ya dakika 15"', 'answer: "Ndani ya saa 4"'), "utf-8")
    line, col = line_col(lesson, 'answer: "Ndani ya saa 4"')
    errors = errors_of(sample)
    assert errors == [
        f"content/lessons/answering-fast.sw.md:{line}:{col + len('answer: ')}: the answer is option 1 here but "
        "option 3 in the source\n    hint: copy option 3 of this question exactly"
    ]


def test_a_translated_lesson_keeps_its_number_of_options(sample):
    lesson = sample / "content/lessons/answering-fast.el.md"
    text = lesson.read_text("utf-8")
    options = re.search(r"options:\n((?:\s+- .*\n)+)", text)
    assert options
    first_option = options.group(1).splitlines(keepends=True)[0]
    lesson.write_text(text.replace(options.group(1), options.group(1).replace(first_option, "", 1), 1), "utf-8")
    errors = errors_of(sample)
    assert len(errors) == 1 and errors[0].startswith("content/lessons/answering-fast.el.md:")
    assert "`check.questions[1].options` has 3 item(s) here but 4 in the source" in errors[0]


def test_file_names_with_an_unknown_or_undeclared_language_are_errors(sample):
    source = sample / "content/roles/ceo.yml"
    write_translation(sample / "content/roles/ceo.fr.yml", source, "title: Directeur général\n")
    write_translation(sample / "content/roles/ceo.draft.yml", source, "title: Draft\n")
    write_translation(sample / "content/roles/nobody.sw.yml", source, "title: Hakuna\n")
    errors = errors_of(sample)
    assert "content/roles/ceo.draft.yml:1:1: unknown language suffix `.draft` in the file name\n" \
           "    hint: declared languages: sw, el, zh, ur" in errors
    assert any(e.startswith("content/roles/ceo.fr.yml:1:1: a translation into `fr`, which content/portal.yml "
                            "does not declare") for e in errors)
    assert any(e.startswith("content/roles/nobody.sw.yml:1:1: a translation of content/roles/nobody.yml, "
                            "which does not exist") for e in errors)


def test_a_translation_must_record_the_fingerprint_of_its_source(sample):
    path = sample / "content/roles/ceo.el.yml"
    path.write_text(re.sub(r"source_fingerprint: .*\n", "", path.read_text("utf-8")), "utf-8")
    errors = errors_of(sample)
    assert len(errors) == 1
    assert errors[0].startswith("content/roles/ceo.el.yml:2:1: missing `source_fingerprint`")


def test_a_declared_language_needs_the_themes_interface_strings(sample):
    (sample / "overrides/partials/languages/sw.html").unlink()
    line, col = line_col(sample / "content/portal.yml", "code: sw")
    assert f"content/portal.yml:{line}:{col + len('code: ')}: the theme has no interface strings for `sw`\n" \
           "    hint: add overrides/partials/languages/sw.html (copy Material's en.html and translate it)" \
           in errors_of(sample)


# --- rendering ------------------------------------------------------------------------------


def test_fields_left_out_of_a_translation_show_the_source_text(sample):
    source = sample / "content/roles/receptionist.yml"
    write_translation(sample / "content/roles/receptionist.sw.yml", source, "title: Mhudumu wa mapokezi\n")
    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    swahili = localize(portal, "sw").roles["receptionist"]
    assert swahili.data.title == "Mhudumu wa mapokezi"
    assert swahili.data.summary == portal.roles["receptionist"].data.summary
    assert swahili.source == "content/roles/receptionist.sw.yml"


def test_an_untranslated_page_carries_a_note_in_the_readers_language(sample):
    # The sample translates every lesson: take one translation away to see the fallback.
    (sample / "content/lessons/closing-the-loop.ur.md").unlink(missing_ok=True)
    for language in ("zh", "ur"):  # and the rewards playbook's, for the playbook cases below
        (sample / f"content/playbooks/rewards.{language}.yml").unlink(missing_ok=True)
    portal, _ = validate(sample)
    assert portal is not None
    urdu = yaml.safe_load((MESSAGES / "ur.yml").read_text("utf-8"))
    pages = render(portal, "ur")
    untranslated = pages["lessons/closing-the-loop.md"]
    meta = yaml.safe_load(untranslated.split("---\n")[1])
    assert meta["portal_fallback"] == {
        "lang": "en", "dir": "ltr", "note": urdu["fallback_note"].format(language="English"), "wrap": False,
    }
    translated = yaml.safe_load(pages["lessons/answering-fast.md"].split("---\n")[1])
    assert "portal_fallback" not in translated
    english = render(portal, "en")["lessons/closing-the-loop.md"]
    assert "portal_fallback" not in yaml.safe_load(english.split("---\n")[1])
    # A playbook in Chinese is marked English as a whole; in Urdu paragraph by paragraph (by the
    # plugin); a lesson marks its own words in every language.
    chinese = yaml.safe_load(render(portal, "zh")["playbooks/rewards.md"].split("---\n")[1])
    assert chinese["portal_fallback"]["wrap"] is True
    urdu_playbook = yaml.safe_load(pages["playbooks/rewards.md"].split("---\n")[1])
    assert urdu_playbook["portal_fallback"]["wrap"] is False


def test_each_language_gets_its_own_search_settings_and_a_switcher():
    from generator.project import mkdocs_config, read_theme_config
    from generator.render import Renderer

    portal, _ = validate(REPO)
    assert portal is not None

    def config(language: str) -> dict:
        return mkdocs_config(portal, read_theme_config(REPO), Renderer(portal, language),
                             docs_dir=Path("docs"), site_dir=Path("site"))

    def options(cfg: dict, name: str) -> dict:
        return next(e[name] for e in cfg["plugins"] if isinstance(e, dict) and name in e)

    chinese = config("zh")
    assert chinese["theme"]["language"] == "zh"
    assert options(chinese, "search")["separator"] == r"[\s\u200b\u3000\-、。，．？！；]+"
    assert options(config("el"), "advocacy-portal")["search_lang"] == "el"
    assert config("ur")["theme"]["language"] == "ur"
    switcher = config("sw")["extra"]["alternate"]
    assert [(a["lang"], a["link"]) for a in switcher] == [
        ("en", "../"), ("sw", "./"), ("el", "../el/"), ("zh", "../zh/"), ("ur", "../ur/"),
    ]
    assert [a["link"] for a in config("en")["extra"]["alternate"]] == ["./", "sw/", "el/", "zh/", "ur/"]


# --- the report -----------------------------------------------------------------------------


def test_report_translations_check_fails_after_a_source_lesson_changes(runner, sample):
    result = run_portal(runner, sample, "report", "translations", "--check")
    assert result.exit_code == 0, result.output
    assert re.search(r"^sw \(Kiswahili\): \d+ of \d+ pages translated and current, 0 outdated, \d+ missing$",
                     result.output, re.MULTILINE)
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8").replace("within five to ten minutes", "within five minutes"), "utf-8")
    # The sample is fully translated into Swahili: take one translation away to see it reported missing.
    (sample / "content/lessons/closing-the-loop.sw.md").unlink()
    result = run_portal(runner, sample, "report", "translations", "--check")
    assert result.exit_code == 1
    for language in LANGUAGES:
        assert f"  outdated  content/lessons/answering-fast.{language}.md  (content/lessons/answering-fast.md " \
               f"changed: recorded " in result.output
    assert "  missing   content/lessons/closing-the-loop.sw.md" in result.output


def test_stamping_records_the_current_fingerprint_and_nothing_else(runner, sample):
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    translation = sample / "content/lessons/answering-fast.el.md"
    before = translation.read_text("utf-8")
    result = run_portal(runner, sample, "report", "translations", "--stamp",
                        str(translation.relative_to(sample)))
    assert result.exit_code == 0, result.output
    after = translation.read_text("utf-8")
    assert f'source_fingerprint: "{file_fingerprint(lesson)}"' in after
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][0].startswith("source_fingerprint:")
    result = run_portal(runner, sample, "report", "translations", "--check", "--language", "el")
    assert result.exit_code == 0, result.output


def test_fingerprint_ignores_a_byte_order_mark_and_windows_line_endings(tmp_path):
    plain, windows = tmp_path / "a.yml", tmp_path / "b.yml"
    plain.write_bytes(b"title: A\nsummary: B\n")
    windows.write_bytes(b"\xef\xbb\xbftitle: A\r\nsummary: B\r\n")
    assert file_fingerprint(plain) == file_fingerprint(windows)
    import hashlib

    assert file_fingerprint(plain) == hashlib.sha256(b"title: A\nsummary: B\n").hexdigest()[:12]
