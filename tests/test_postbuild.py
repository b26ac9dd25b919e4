"""The generator's pass over a built site: what the plugin does, done on the files any engine wrote.

An engine that runs no MkDocs plugin publishes a page's HTML as Markdown left it. The pass
sanitizes it afterwards, so the site is safe whichever engine built it; over a site the plugin
already treated it changes nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from site_links import check_links

from generator.build import build_portal
from generator.postbuild import finish_page, finish_search_index, finish_site, locate_warnings, resolve_page_links
from generator.project import PLUGIN_NAME, prepare_project
from generator.validate import validate

HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*(?:java|vb)script:""", re.IGNORECASE)

MALICIOUS = (
    '\n<img src="x.png" onerror="alert(1)">\n\n'
    '<p><a href="javascript:alert(2)" onclick="alert(3)">Click</a></p>\n\n'
    "[Also](javascript:alert(4))\n\n"
    "<!--/portal-content--><img src=y.png onerror=alert(5)>\n"
)
"""What the content checks refuse (handlers, script links, a forged end of the content marks),
as if it had slipped past them into a generated page."""


def unsafe_in(site: Path) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text("utf-8")
        for pattern in (HANDLER, SCRIPT_URL):
            found += [f"{page.relative_to(site)}: {m.group()}" for m in pattern.finditer(text)]
    return found


def without_plugin(config_path: Path) -> None:
    """The generated config with the portal's plugin (and any hooks) taken out, as an engine
    without MkDocs plugins reads it."""
    text = config_path.read_text("utf-8")
    text = re.sub(rf"^- {re.escape(PLUGIN_NAME)}:\n(?:    .*\n)+", "", text, flags=re.M)
    text = re.sub(r"^hooks:\n(?:- .*\n)+", "", text, flags=re.M)
    assert PLUGIN_NAME not in text
    config_path.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def unsafe_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The sample's English site built by MkDocs without the plugin, from pages holding
    :data:`MALICIOUS`; returns the site and what was unsafe in it before the pass."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    work = tmp_path_factory.mktemp("no-plugin")
    portal, problems = validate(REPO)
    assert portal is not None and not problems.errors
    site = work / "site"
    project = prepare_project(portal, work / "project", site, "en")
    docs = project.config_path.parent / "docs"
    lesson = docs / "lessons" / "answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8") + MALICIOUS, "utf-8")
    without_plugin(project.config_path)
    mkdocs_build(load_config(str(project.config_path), strict=False))
    return site, unsafe_in(site)


def test_a_site_built_without_the_plugin_holds_no_handler_or_script_url_after_the_pass(unsafe_build):
    site, before = unsafe_build
    # Without the plugin the engine published them: the pass is what removes them.
    assert any("onerror" in line for line in before) and any("javascript:" in line for line in before)
    report = finish_site(site, "en")
    assert "lessons/answering-fast/index.html" in report.changed
    assert unsafe_in(site) == []
    assert report.unmarked == []
    lesson = (site / "lessons/answering-fast/index.html").read_text("utf-8")
    # The page's own text and the theme around it are still there.
    assert "Click</a>" in lesson and 'class="md-header' in lesson and "x.png" in lesson


def test_links_the_generator_resolved_lead_to_their_pages_after_the_pass(unsafe_build):
    site, _ = unsafe_build
    finish_site(site, "en")
    matrix = (site / "overview/index.html").read_text("utf-8")
    assert "data-portal-href" not in matrix and 'href="../lessons/answering-fast/"' in matrix
    report = check_links(site, ignore=("sw/", "el/", "zh/", "ur/"))
    assert report.total > 1000 and report.outside == []
    assert report.missing == ["lessons/answering-fast/index.html: x.png", "lessons/answering-fast/index.html: y.png"]


def test_the_pass_over_its_own_output_changes_nothing(unsafe_build):
    site, _ = unsafe_build
    finish_site(site, "en")
    pages = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    assert finish_site(site, "en").changed == []
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == pages


def test_over_a_site_the_plugin_built_the_pass_changes_no_byte(tmp_path):
    """Urdu: the plugin's bidi isolation, sanitizing, ``dir`` and search options are all there already."""
    portal, _ = validate(REPO)
    assert portal is not None
    site = tmp_path / "site"
    build_portal(portal, site, tmp_path / "work", only=["ur"])
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    report = finish_site(site, "ur")
    assert report.changed == [] and report.unmarked == [] and report.pages > 70
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_the_content_marks_cannot_be_closed_early_by_the_content():
    page = (
        '<html lang="ur"><body><nav><a href="../">Home</a></nav>'
        '<!--portal-content--><p>Write to @JuaEnergy</p><!--/portal-content--><img src=x onerror=alert(1)>'
        '<a href="jav&#x61;script:alert(2)">x</a><!--/portal-content--><footer>f</footer></body></html>'
    )
    finished, marked = finish_page(page, right_to_left=True)
    assert marked
    assert "onerror" not in finished and "script:" not in finished and "&#x61;" not in finished
    assert '<html lang="ur" dir="rtl">' in finished
    assert "<bdi>@JuaEnergy</bdi>" in finished
    assert finished.endswith("<!--/portal-content--><footer>f</footer></body></html>")


def test_outside_the_marks_only_the_tags_holding_a_handler_change():
    page = (
        '<html lang="en"><head><script>var a = "<b onclick=x>"</script></head><body>\n'
        '<p class="a"  data-x=\'1\'>kept as written</p>\n<svg><a xlink:href="javascript:1" href="#top"/></svg>\n'
        '<a href=" JaVaScRiPt:go()" title="t">t</a><img src="i.png" onload="go()" alt="">\n</body></html>'
    )
    finished, marked = finish_page(page)
    assert not marked
    assert '<p class="a"  data-x=\'1\'>kept as written</p>' in finished  # untouched bytes
    assert '<script>var a = "<b onclick=x>"</script>' in finished  # a script's text is not a tag
    assert '<a href="#top"/>' in finished and '<a title="t">t</a>' in finished
    assert '<img src="i.png" alt="">' in finished


def test_search_index_entries_are_sanitized_and_rewritten_only_when_needed(tmp_path):
    index = tmp_path / "search_index.json"
    safe = {"config": {"lang": ["en"]}, "docs": [{"location": "", "title": "Home", "text": "<p>Hello</p>"}]}
    raw = json.dumps(safe)  # the engine's own formatting, which must survive
    index.write_text(raw, "utf-8")
    assert not finish_search_index(index)
    assert index.read_text("utf-8") == raw
    unsafe = {"items": [{"location": "a/", "title": "A", "text": '<p>Hi <img src=x onerror="alert(1)"></p>'}]}
    index.write_text(json.dumps(unsafe), "utf-8")
    assert finish_search_index(index)
    assert "onerror" not in index.read_text("utf-8")


def test_an_engines_warning_about_a_generated_page_names_the_content_file():
    pages = {
        "lessons/answering-fast.md": '---\n{"portal_source": "content/lessons/answering-fast.md"}\n---\n\nText\n',
        "assets/x.png": b"\x89PNG",
    }
    located = locate_warnings(
        ["Doc file 'lessons/answering-fast.md' contains a link 'nowhere.md', but the target is not found "
         "among documentation files.", "something else"],
        pages, None,
    )
    assert located == [
        "content/lessons/answering-fast.md:1:1: link `nowhere.md` points to a page that does not exist",
        "something else",
    ]


def test_only_a_relative_url_becomes_the_href_of_a_resolved_link():
    html = ('<a data-portal-href="../lessons/a/">A</a> <a data-portal-href="javascript:alert(1)">B</a> '
            '<a data-portal-href="//elsewhere.example/">C</a>')
    assert resolve_page_links(html) == '<a href="../lessons/a/">A</a> <a >B</a> <a >C</a>'


def test_source_maps_are_removed(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "bundle.js.map").write_text("{}", "utf-8")
    (tmp_path / "index.html").write_text("<html><body>x</body></html>", "utf-8")
    report = finish_site(tmp_path, "en")
    assert not (tmp_path / "assets" / "bundle.js.map").exists()
    assert report.changed == ["assets/bundle.js.map"]


def test_copies_made_before_the_pass_are_dropped_with_the_pages_it_changes(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<html><body><img src=x onerror=y></body></html>', "utf-8")
    shutil.copy(page, tmp_path / "index.html.gz")
    finish_site(tmp_path, "en")
    assert not (tmp_path / "index.html.gz").exists()
