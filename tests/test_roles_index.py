"""A portal of any number of roles: a navigation of constant size, and one roles index that filters."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from browser_support import REPO, chromium, fresh_page, screenshot, serve

from generator.build import build
from generator.render import NAV_LIST_LIMIT, Renderer
from generator.validate import validate

sys.path.insert(0, str(REPO / "bench"))
import synth

MANY = NAV_LIST_LIMIT + 5


def _portal(root: Path, roles: int):
    synth.generate(root, lessons=4, roles=roles)
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, problems.items[:3]
    return portal


def _navigation(page_html: str) -> str:
    start = page_html.index('data-md-type="navigation"')
    return page_html[start:page_html.index('data-md-type="toc"')]


def test_the_sample_lists_its_roles_in_the_navigation(repo_root):
    portal, _ = validate(repo_root)
    assert portal is not None and len(portal.roles) <= NAV_LIST_LIMIT
    nav = Renderer(portal).nav()
    roles = next(entry for entry in nav if "roles/index.md" in str(entry))
    (listed,) = roles.values()
    assert listed[0] == "roles/index.md" and len(listed) == 1 + len(portal.roles)


def test_a_large_collection_is_reached_through_its_index_page_alone(tmp_path):
    portal = _portal(tmp_path / "repo", MANY)
    renderer = Renderer(portal)
    nav = renderer.nav()
    assert {"Roles": "roles/index.md"} in nav
    assert not any("roles/role-" in str(entry) for entry in nav)
    not_in_nav = renderer.not_in_nav().splitlines()
    assert "/roles/*.md" in not_in_nav and "!/roles/index.md" in not_in_nav


def test_a_role_page_weighs_the_same_whatever_the_number_of_roles(tmp_path):
    """Doubling the roles leaves each role page's navigation unchanged: the site grows linearly."""
    sizes = {}
    for count in (MANY, 2 * MANY):
        root = tmp_path / f"repo-{count}"
        synth.generate(root, lessons=4, roles=count)
        build(root, root / "site")
        page = (root / "site" / "roles" / "role-001" / "index.html").read_text("utf-8")
        nav = _navigation(page)
        assert not re.search(r'href="\.\./role-\d+/"', nav), "a role page's navigation links to other roles"
        sizes[count] = len(nav.encode("utf-8"))
        index = (root / "site" / "roles" / "index.html").read_text("utf-8")
        for number in range(count):
            # Every role once on its index page, as a plain link: the whole list without JavaScript.
            assert len(re.findall(rf'href="role-{number:03d}/"', index)) == 1, number
    assert sizes[MANY] == sizes[2 * MANY]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles") / "repo"
    synth.generate(root, lessons=4, roles=MANY)
    build(root, root / "site")
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _visible_roles(page) -> list[str]:
    return page.locator("[data-portal-role-filter] tbody tr:visible th a").all_inner_texts()


@pytest.mark.browser
@pytest.mark.slow
def test_the_roles_index_filters_by_words_level_and_path_and_says_how_many(browser, site_url):
    with fresh_page(browser, site_url) as page:
        page.goto("roles/")
        status = page.locator("[data-role-filter-status]")
        assert status.get_attribute("role") == "status"
        assert len(_visible_roles(page)) == MANY
        # Reached from the keyboard, and named by its label.
        words = page.get_by_label("Name or learning path")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "portal-role-words":
                break
        else:
            pytest.fail("the search field is not reachable with Tab")
        page.keyboard.type("role 12")
        page.wait_for_function("() => document.querySelector('[data-role-filter-status]').textContent !== ''")
        (shown,) = _visible_roles(page)
        assert shown.startswith("Role 12:")
        assert status.inner_text() == f"Showing 1 of {MANY} roles"
        words.fill("")
        page.get_by_label("Level", exact=True).select_option("3")
        levels = page.locator("[data-portal-role-filter] tbody tr:visible").evaluate_all(
            "rows => rows.map(row => row.dataset.level)")
        assert levels and set(levels) == {"3"}
        assert status.inner_text() == f"Showing {len(levels)} of {MANY} roles"
        page.get_by_label("Learning path", exact=True).select_option("path-000")
        assert len(_visible_roles(page)) == len(levels)  # every synthetic role has the first path
        words.fill("no role has this name")
        page.wait_for_function(
            "() => /No role matches/.test(document.querySelector('[data-role-filter-status]').textContent)"
        )
        assert _visible_roles(page) == []
        screenshot(page, "roles-index-filtered")
        page.set_viewport_size({"width": 375, "height": 800})
        words.fill("")
        page.get_by_label("Level", exact=True).select_option("")
        screenshot(page, "roles-index-375")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, "the roles index scrolls sideways on a phone"


@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_the_roles_index_lists_every_role_and_no_filter(browser, site_url):
    with fresh_page(browser, site_url, java_script_enabled=False) as page:
        page.goto("roles/")
        assert page.locator("[data-role-filter-controls]").is_hidden()
        assert len(_visible_roles(page)) == MANY
