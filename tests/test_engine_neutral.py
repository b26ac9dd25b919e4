"""A generated project renders the same on any MkDocs-compatible engine.

- The templates use only the filters, tests and syntax that Jinja2 (MkDocs) and MiniJinja
  (Zensical) both have: MiniJinja has no Python string, list or dict methods.
- Each language's project names its folders relative to its config.
- Links a reader follows are Markdown links to the sources: MkDocs leaves ``href`` in raw HTML
  as written, Zensical reads it as relative to the source file.
- Search leaves out the tables that grow with the catalogue, which Zensical refuses as one
  search field over 256 KiB: with Zensical installed, a synthetic portal of the size whose
  Greek roles-by-lessons matrix stopped its build builds.
- With Zensical installed (``PORTAL_ZENSICAL``: its command, else ``zensical`` on the path),
  the sample's English site built by it has no broken link, and the generator's pass leaves
  nothing unsafe in it. The CI job for Zensical runs this file.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml
from conftest import REPO
from jinja2 import nodes
from site_links import check_links

from generator.build import build
from generator.engines import EngineUnavailable, zensical_command
from generator.postbuild import finish_site
from generator.project import prepare_project
from generator.validate import validate

BOTH_FILTERS = {
    "abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
    "min", "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
    "selectattr", "slice", "sort", "string", "sum", "title", "tojson", "trim", "unique", "upper",
    "urlencode",
}
"""Built into both Jinja2 3.1 and MiniJinja 2 (with their built-in filters)."""
BOTH_TESTS = {
    "defined", "undefined", "none", "number", "string", "sequence", "mapping", "iterable", "odd", "even",
    "divisibleby", "eq", "ne", "lt", "le", "gt", "ge", "in", "true", "false", "lower", "upper", "sameas",
    "escaped", "boolean", "float", "integer",
}
ENGINE_FILTERS = {"url"}
"""Given to the theme's templates by MkDocs and by Zensical alike."""
GENERATOR_FILTERS = {"h", "md", "text", "tojson", "split"}
"""The generator's own (generator/render.py); `split` is also MiniJinja's built-in."""
OWN_OBJECTS = {
    "lang": "the theme's translations (Material and Zensical)",
    "portal_nav_cache": "the plugin's navigation cache (only under MkDocs, behind `is defined`)",
    "inclusion": "MkDocs' page.file.inclusion, read only when portal_nav_cache is defined",
    "portal": "the generator's model object (Python methods, not a string's or a dict's)",
}
"""Objects whose methods the templates may call: they are not strings, lists or dicts, whose
Python methods MiniJinja lacks."""


def template_uses(path: Path) -> tuple[set[str], set[str], set[str]]:
    """Filters, tests, and methods (``receiver.method``) a template uses."""
    tree = jinja2.Environment().parse(path.read_text("utf-8"))
    filters = {node.name for node in tree.find_all(nodes.Filter)}
    tests = {node.name for node in tree.find_all(nodes.Test)}
    methods = set()
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Getattr):
            receiver = call.node.node
            name = receiver.name if isinstance(receiver, nodes.Name) else getattr(receiver, "attr", "?")
            methods.add(f"{name}.{call.node.attr}")
    return filters, tests, methods


def templates() -> list[Path]:
    return sorted(p for folder in ("overrides", "generator/templates") for p in (REPO / folder).rglob("*")
                  if p.is_file() and p.suffix in (".html", ".j2"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(REPO)))
def test_templates_use_only_what_jinja2_and_minijinja_both_offer(path):
    filters, tests, methods = template_uses(path)
    own = ENGINE_FILTERS if path.is_relative_to(REPO / "overrides") else GENERATOR_FILTERS
    assert filters - BOTH_FILTERS - own == set()
    assert tests - BOTH_TESTS == set()
    assert {method for method in methods if method.split(".")[0] not in OWN_OBJECTS} == set()


def test_no_override_replaces_the_engines_search_box():
    """Material's and Zensical's search boxes differ; replacing one breaks the other's script."""
    assert not (REPO / "overrides/partials/search.html").exists()


@pytest.fixture(scope="module")
def english_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    portal, problems = validate(REPO)
    assert portal is not None and not problems.errors
    project_dir = tmp_path_factory.mktemp("engine") / "en"
    project = prepare_project(portal, project_dir, project_dir / "site", "en")
    return project.config_path


def test_a_project_names_its_folders_relative_to_its_config(english_project):
    text = english_project.read_text("utf-8")
    assert re.search(r"^docs_dir: docs$", text, re.M)
    assert re.search(r"^site_dir: site$", text, re.M)


def test_generated_pages_write_no_link_in_raw_html(english_project):
    """Every ``href``/``src`` of a page's HTML goes to a place outside the site, an anchor, or a
    ``data-`` attribute (read by the portal's scripts, rewritten by no engine)."""
    docs = english_project.parent / "docs"
    raw = re.compile(r"""\s(?:href|src)=["'](?!https?:|mailto:|#)([^"']*)""")
    found = [f"{page.relative_to(docs)}: {m.group(1)}" for page in sorted(docs.rglob("*.md"))
             for m in raw.finditer(page.read_text("utf-8"))]
    assert found == []


def zensical() -> str | None:
    return os.environ.get("PORTAL_ZENSICAL") or shutil.which("zensical")


@pytest.mark.skipif(zensical() is None, reason="Zensical is not installed (PORTAL_ZENSICAL)")
def test_zensical_builds_the_english_site_with_every_link_in_place(english_project):
    project = english_project.parent
    config = yaml.load(english_project.read_text("utf-8"), Loader=yaml.UnsafeLoader)  # our own file
    result = subprocess.run([zensical(), "build", "-f", str(english_project)], cwd=project,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / config["site_dir"]
    others = tuple(f"{alt['lang']}/" for alt in config["extra"]["alternate"] if alt["lang"] != "en")
    finish_site(site, "en")  # as `portal build` does after any engine
    report = check_links(site, ignore=others)
    assert report.total > 1000
    assert report.outside == [] and report.missing == []
    pages = "".join(page.read_text("utf-8") for page in site.rglob("*.html"))
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", pages) and "javascript:" not in pages
    assert pages.count("<!--portal-content") >= 70  # the portal's overrides were used


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_search_separators_compile_with_the_unicode_flag():
    """Zensical's search compiles the separator with JavaScript's ``u`` flag, Material's without:
    an escape only the latter accepts (``\\"``) leaves Zensical's search unavailable."""
    from generator.languages import SEARCH

    script = "for (const s of JSON.parse(process.argv[1])) new RegExp(s, 'u')"
    separators = [settings["separator"] for settings in SEARCH.values()]
    result = subprocess.run(["node", "-e", script, json.dumps(separators)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def zensical_installed() -> bool:
    """Whether ``portal build --engine zensical`` finds Zensical (as it looks: PORTAL_ZENSICAL, PATH,
    a ``.venv-zensical`` here)."""
    try:
        zensical_command(REPO)
    except EngineUnavailable:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not zensical_installed(), reason="Zensical is not installed (make setup-zensical)")
def test_zensical_builds_a_portal_whose_matrix_passed_its_search_field_limit(tmp_path, monkeypatch):
    """500 lessons and 50 roles in Greek: the overview's roles-by-lessons matrix, one search field
    of 293 KB, stopped Zensical 0.0.73 ("exceeds the search index limit"). Marked out of search,
    it stays on the page and out of the index."""
    sys.path.insert(0, str(REPO / "bench"))
    import synth

    root = synth.generate(tmp_path / "repo", lessons=500, roles=50, seed=7)
    sample = yaml.safe_load((REPO / "content/portal.yml").read_text("utf-8"))
    config_path = root / "content/portal.yml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config["languages"] = [language for language in sample["languages"] if language["code"] == "el"]
    config["default_language"] = "el"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the synthetic repository has no history

    site = tmp_path / "site"
    build(root, site, engine="zensical", jobs=1)

    items = json.loads((site / "search.json").read_text("utf-8"))["items"]
    by_location = {item["location"]: item for item in items}
    lesson = by_location["lessons/lesson-00001/"]["title"]
    assert lesson and by_location["roles/role-001/"]["title"]
    assert lesson not in by_location["overview/#matrix"]["text"]
    assert max(len(item["text"].encode("utf-8")) for item in items) < 64 * 1024
    overview = (site / "overview/index.html").read_text("utf-8")
    assert overview.count("<tr>") > 500 and lesson in overview  # the matrix is still on the page
