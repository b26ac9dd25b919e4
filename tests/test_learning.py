"""What the generator hands the browser for learning: page data, certificate pages, interface strings."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_links import navigation

from generator.build import build
from generator.render import Renderer
from generator.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "generator" / "assets" / "portal.js"
MESSAGES = ROOT / "generator" / "messages" / "en.yml"


def english() -> dict[str, str]:
    return yaml.safe_load(MESSAGES.read_text("utf-8"))


def page_strings(page_html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="portal-strings">(.*?)</script>', page_html, re.S)
    assert found, "the page carries no interface strings for the script"
    return json.loads(found.group(1))


def test_every_string_the_script_shows_is_a_translatable_message():
    # The portal's scripts and the learning-records script (in the site only when records are on).
    script = "\n".join(path.read_text("utf-8") for path in (*SCRIPT.parent.glob("*.js"), RECORDS_SCRIPT))
    used = set(re.findall(r'"(js_[a-z_]+)"', script))
    defined = {key for key in english() if key.startswith("js_")}
    assert used, "the script names its strings by their full key"
    assert used - defined == set(), "strings the script uses but en.yml lacks"
    assert defined - used == set(), "js_ strings nobody uses"


RECORDS_SCRIPT = SCRIPT.parent.parent / "records" / "records.js"


def test_the_script_sends_nothing_anywhere():
    script = SCRIPT.read_text("utf-8")
    for call in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "EventSource", "import(", "http://", "https://"):
        assert call not in script


def catalogue_of(pages: dict[str, str]) -> dict:
    script = pages["assets/portal-data.js"]
    found = re.search(r"window\.portalCatalogue = (.*);\n\Z", script, re.S)
    assert found, "portal-data.js does not end with the catalogue"
    return json.loads(found.group(1))


def test_path_data_carries_each_lessons_fingerprint_which_changes_with_the_lesson(sample):
    portal, _ = validate(sample)
    pages = Renderer(portal).render()
    page = pages["paths/people-managers.md"]
    assert 'data-portal-progress data-path-id="people-managers"' in page
    lessons = catalogue_of(pages)["paths"]["people-managers"]["lessons"]
    first = lessons[0]
    assert first["id"] == "who-does-what" and first["url"] == "lessons/who-does-what/"
    assert first["fingerprint"] == portal.lessons["who-does-what"].fingerprint
    assert [lesson["required"] for lesson in lessons] == [True, True, True, False]

    source = sample / "content/lessons/who-does-what.md"
    source.write_text(source.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    changed, _ = validate(sample)
    assert changed.lessons["who-does-what"].fingerprint != first["fingerprint"]
    assert changed.lessons["making-time-for-social"].fingerprint == portal.lessons["making-time-for-social"].fingerprint


def test_an_edit_to_a_lessons_text_changes_only_its_page_and_the_catalogue(sample):
    """What keeps `portal serve` quick: no other page carries a lesson's fingerprint."""
    portal, _ = validate(sample)
    before = Renderer(portal).render()
    source = sample / "content/lessons/who-does-what.md"
    source.write_text(source.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    changed, _ = validate(sample)
    after = Renderer(changed).render()
    assert sorted(path for path in after if after[path] != before.get(path)) == [
        "assets/portal-data.js", "lessons/who-does-what.md",
    ]


def test_home_page_knows_every_role_and_path_for_the_employees_next_lesson(sample):
    portal, _ = validate(sample)
    pages = Renderer(portal).render()
    assert "data-portal-next" in pages["index.md"]
    catalogue = catalogue_of(pages)
    receptionist = catalogue["roles"][0]
    assert receptionist["id"] == "receptionist"
    assert receptionist["url"] == "roles/receptionist/" and receptionist["paths"] == ["foundations"]
    foundations = catalogue["paths"]["foundations"]
    assert foundations["certificate"] == "certificates/foundations/"
    assert foundations["lessons"][0]["url"] == "lessons/why-employees-matter/"


def search_index(site: Path) -> str:
    """The search index the engine wrote: Material's ``search/search_index.json``, Zensical's ``search.json``."""
    for name in ("search/search_index.json", "search.json"):
        if (site / name).is_file():
            return (site / name).read_text("utf-8")
    raise AssertionError(f"no search index in {site}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("learning-build") / "site"
    build(ROOT, site)
    return site


@pytest.mark.slow
def test_every_page_carries_the_script_strings_of_its_language_and_no_others(built):
    expected = {key: value for key, value in english().items() if key.startswith("js_")}
    for page in ("index.html", "lessons/answering-fast/index.html", "certificates/foundations/index.html"):
        assert page_strings((built / page).read_text("utf-8")) == expected


@pytest.mark.slow
def test_each_path_has_a_certificate_page_kept_out_of_navigation_and_search(built):
    portal, _ = validate(ROOT)
    for path_id in portal.paths:
        page = (built / "certificates" / path_id / "index.html").read_text("utf-8")
        assert "data-portal-certificate" in page and "not a credential anyone has verified" in page
    addresses = [address for address, _ in navigation(built)]
    assert "progress/" in addresses and not any(address.startswith("certificates/") for address in addresses)
    index = search_index(built)
    assert '"lessons/answering-fast/"' in index and "certificates/" not in index


@pytest.mark.slow
def test_hooks_for_the_script_are_hidden_until_it_runs(built):
    lesson = (built / "lessons/owning-complaints-in-public/index.html").read_text("utf-8")
    for hook in ("data-portal-lesson", "data-portal-reveal"):
        assert re.search(rf"<[^>]*{hook}[^>]*\bhidden\b", lesson), hook
    role = (built / "roles/receptionist/index.html").read_text("utf-8")
    for hook in ("data-portal-role-pick", "data-portal-progress"):
        assert re.search(rf"<[^>]*{hook}[^>]*\bhidden\b", role), hook
    assert "<table>" in role.split("data-portal-steps", 1)[1], "the path's table stays in its wrapper"


@pytest.mark.slow
def test_mkdocs_build_in_the_repository_root_carries_the_script_strings(sample):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "out"],
        cwd=sample, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    strings = page_strings((sample / "out/index.html").read_text("utf-8"))
    assert strings["js_mark_complete"] == "Mark as complete"
    assert (sample / "out/certificates/foundations/index.html").is_file()


def test_compiled_templates_are_kept_yet_an_edited_template_is_used_at_once(sample):
    """`portal serve` renders again after each save: an edit to a user template must show."""
    portal, _ = validate(sample)
    Renderer(portal).render()
    assert list((sample / ".portal" / "cache").glob("templates-*/*")), "compiled templates kept for the next run"
    template = sample / "overrides/portal/paths.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# All paths\n\nFirst wording.\n", "utf-8")
    assert "First wording." in Renderer(portal).render()["paths/index.md"]
    template.write_text("# All paths\n\nSecond wording.\n", "utf-8")
    assert "Second wording." in Renderer(portal).render()["paths/index.md"]
