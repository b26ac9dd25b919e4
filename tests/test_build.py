"""End-to-end builds of the sample portal, asserting on the HTML a reader gets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_portal

from generator.build import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample portal built once for this module."""
    from conftest import REPO

    site = tmp_path_factory.mktemp("built") / "site"
    build(REPO, site)
    return site


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def test_home_leads_to_every_role_with_its_time(built):
    home = read(built, "")
    assert "Pick your role" in home
    for role in ("Receptionist", "Sales representative", "Chief executive"):
        assert role in home
    assert re.search(r"\d+ min · \d+ lessons", home)
    assert "Level 1 of 10" not in home  # HR's choice in portal.yml (role_levels), off in the sample


def test_role_page_has_the_guide_and_its_paths(built):
    page = read(built, "roles/sales-representative")
    for heading in ("Social media in this role", "You may post freely", "Ask first", "When to escalate",
                    "Your learning paths"):
        assert heading in page
    assert "Foundations for everyone" in page
    assert 'href="../../lessons/disclosing-your-employer/"' in page


def test_lesson_page_has_its_check_and_neighbours_in_the_path(built):
    page = read(built, "lessons/owning-complaints-in-public")
    assert 'class="portal-check"' in page and 'type="radio"' in page
    assert 'href="../answering-fast/" rel="prev"' in page
    assert 'href="../taking-it-private/" rel="next"' in page


def test_no_edit_button_unless_portal_yml_asks_for_it(built):
    # Employees cannot edit the repository: the sample leaves `repository.edit_links` off (the
    # link itself, to the source file, is tested in test_first_impressions.py).
    page = read(built, "lessons/answering-fast")
    assert 'rel="edit"' not in page and "/edit/main/" not in page


def test_negativity_playbook_has_targets_table_and_flow_diagram(built):
    page = read(built, "playbooks/negativity")
    assert "Response targets" in page
    assert re.search(r"<img alt=\"How a negative post is handled[^>]+src=\"../negativity-flow\.svg\"", page)
    svg = (built / "playbooks/negativity-flow.svg").read_text()
    assert svg.startswith("<svg") and "Customer complaint" in svg


def test_lessons_are_not_in_the_global_navigation(built):
    def primary_nav(page: str) -> str:
        return read(built, page).split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]

    lesson_nav = primary_nav("lessons/answering-fast")
    assert "answering-fast" not in lesson_nav and "why-employees-matter" not in lesson_nav
    assert 'href="../../roles/"' in lesson_nav and 'href="../../playbooks/"' in lesson_nav
    # Pruned: a role page lists the other roles, not every path and playbook.
    role_nav = primary_nav("roles/ceo")
    assert 'href="../receptionist/"' in role_nav
    assert "paths/foundations" not in role_nav


def test_search_index_holds_lesson_bodies_and_playbooks(built):
    indexes = search_entries(built)
    root = next(name for name in ("search/search_index.json", "search.json") if name in indexes)  # MkDocs, Zensical
    entries = {entry["location"]: entry for entry in indexes[root]}
    assert "Our targets" in entries["lessons/answering-fast/#our-targets"]["title"]
    assert entries["lessons/answering-fast/"]["text"]  # the lesson's own words, not only its title
    assert any(location.startswith("playbooks/tone/") for location in entries)


def search_entries(site: Path) -> dict[str, list[dict]]:
    """Every language's search index entries, by index file, whichever engine wrote them
    (MkDocs' ``search/search_index.json``: ``docs``; Zensical's ``search.json``: ``items``)."""
    import json

    found = {}
    for index in [*site.rglob("search_index.json"), *site.rglob("search.json")]:
        data = json.loads(index.read_text("utf-8"))
        found[str(index.relative_to(site))] = data.get("docs") or data.get("items") or []
    return found


def test_search_leaves_out_the_roles_by_lessons_matrix_and_the_list_of_every_lesson(built):
    """Both grow with the catalogue as one entry each (Zensical refuses a field over 256 KiB: the
    matrix passed it at 500 lessons in Greek); a lesson's or a role's own page is what search finds."""
    indexes = search_entries(built)
    assert len(indexes) == 5
    for index, entries in indexes.items():
        by_location = {entry["location"]: entry for entry in entries}
        # Each page of a lesson and of a role still has its own entry.
        lesson = by_location["lessons/answering-fast/"]["title"]
        assert by_location["roles/ceo/"]["title"], index
        matrix = by_location["overview/#matrix"]
        assert matrix["text"] and lesson not in matrix["text"], index  # its heading and intro stay
        assert not [entry["location"] for entry in entries if "●" in entry["text"] or "○" in entry["text"]], index
        listing = by_location["lessons/"]
        assert listing["text"] and lesson not in listing["text"] and "<table" not in listing["text"], index
        largest = max(len(entry["text"].encode("utf-8")) for entry in entries)
        assert largest < 32 * 1024, index


def test_site_requests_nothing_from_another_host(built):
    for html in built.rglob("*.html"):
        text = html.read_text("utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            assert not re.search(r"(?:src|href)=\"(?:https?:)?//", tag), f"{html}: {tag}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_sources_are_not_published(built):
    assert not list(built.rglob("*.yml"))
    assert not (built / "portal.yml").exists()


def test_yaml_text_is_escaped_wherever_it_lands(sample, tmp_path):
    role = sample / "content/roles/receptionist.yml"
    hostile = 'title: "<img src=x onerror=alert(1)> [x](javascript:alert(1))"'
    role.write_text(role.read_text().replace("title: Receptionist", hostile))
    site = tmp_path / "site"
    build(sample, site)
    for page in ("", "roles/receptionist", "overview"):
        html = read(site, page)
        assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert 'href="javascript:' not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in read(site, "roles/receptionist")


def test_failed_build_leaves_the_previous_site_as_it_was(runner, sample, tmp_path):
    site = tmp_path / "site"
    assert run_portal(runner, sample, "build", "--site-dir", str(site)).exit_code == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text().replace("minutes:", "minutes: -3\nold_minutes:", 1))
    result = run_portal(runner, sample, "build", "--site-dir", str(site))
    assert result.exit_code == 1
    assert "content/lessons/answering-fast.md:" in result.output
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before == after
    assert not list(tmp_path.glob(".site.staging-*"))


def test_mkdocs_build_in_the_repository_root_gives_the_portal(sample):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "out"],
        cwd=sample, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Pick your role" in (sample / "out/index.html").read_text("utf-8")
    assert (sample / "out/lessons/answering-fast/index.html").is_file()


def test_no_page_shows_markdown_syntax_as_text(built):
    for html in built.rglob("*.html"):
        text = html.read_text("utf-8")
        assert not re.search(r"<p>\s*\|[^<]*\|", text), f"{html}: a table rendered as text"
        assert "{%" not in text and "{{" not in text, f"{html}: template syntax leaked"
    assert "<table" in read(built, "paths/foundations")


def test_pages_handed_to_mkdocs_in_memory_build_the_same_site_as_pages_written_out(built, tmp_path):
    """`portal build` skips writing the docs folder; the site must not notice."""
    from conftest import REPO

    from generator.build import build_epoch, build_portal
    from generator.precompress import precompress
    from generator.validate import validate

    portal, _ = validate(REPO)
    written = tmp_path / "written"
    build_portal(portal, written, tmp_path / "work", build_date=build_epoch(REPO), write_docs=True)
    precompress(written)  # as `portal build` does after building
    assert any((tmp_path / "work" / "en" / "docs").rglob("*.md"))
    in_memory = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert in_memory == sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
    for rel in in_memory:
        assert (built / rel).read_bytes() == (written / rel).read_bytes(), rel
