"""What a new employee meets first: the role to pick near the top, no rank on the roles and no
edit button they cannot use (each HR's choice in portal.yml), and one light or dark choice
for every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import chromium, copy_sample, fresh_page, serve
from conftest import run_portal

from generator.build import build
from generator.render import render
from generator.validate import validate


def _portal_yml(root: Path, extra: str) -> None:
    path = root / "content/portal.yml"
    text = path.read_text("utf-8")
    if extra.startswith("  "):  # a setting of `repository:`
        text = text.replace("  branch: main\n", "  branch: main\n" + extra)
    else:
        text += extra
    path.write_text(text, "utf-8")


def _pages(root: Path) -> dict[str, str]:
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, [p.format() for p in problems.items]
    return render(portal)


def test_role_levels_and_edit_buttons_are_off_unless_portal_yml_asks(sample):
    pages = _pages(sample)
    assert "Level 1 of 10" not in pages["index.md"]
    assert "of 10" not in pages["roles/receptionist.md"]
    assert '"edit_url"' not in pages["lessons/answering-fast.md"]

    _portal_yml(sample, "role_levels: true\n")
    _portal_yml(sample, "  edit_links: true\n")
    pages = _pages(sample)
    assert "Level 1 of 10 · " in pages["index.md"]
    assert "Level 1 of 10 · " in pages["roles/receptionist.md"]
    edit = "https://github.com/jua-energy/advocacy-portal/edit/main/content/lessons/answering-fast.md"
    assert f'"edit_url": "{edit}"' in pages["lessons/answering-fast.md"]


@pytest.mark.parametrize("setting", ["role_levels: yes\n", "  edit_links: 1\n"])
def test_a_setting_that_is_not_true_or_false_is_reported_at_its_value(sample, runner, setting):
    _portal_yml(sample, setting)
    result = run_portal(runner, sample, "validate")
    assert result.exit_code != 0
    lines = (sample / "content/portal.yml").read_text("utf-8").splitlines()
    name, _, value = setting.strip().partition(": ")
    line = next(n for n, text in enumerate(lines, start=1) if text.strip().startswith(name + ":"))
    col = lines[line - 1].index(value) + 1
    assert f"content/portal.yml:{line}:{col}:" in result.output
    assert "expected true or false" in result.output


# --- in the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = copy_sample(tmp_path_factory.mktemp("first") / "repo")
    site = tmp_path_factory.mktemp("first-site") / "site"
    build(root, site)
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as started:
        yield started


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "ur/"])
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (375, 667)])
def test_pick_your_role_is_on_the_first_screen(browser, base_url, prefix, width, height):
    with fresh_page(browser, base_url) as page:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(prefix)
        heading = page.locator("#pick-your-role")
        box = heading.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, f"the heading starts at {box}"


@pytest.mark.browser
def test_dark_mode_stays_when_the_reader_switches_language(browser, base_url):
    with fresh_page(browser, base_url) as page:
        page.goto("lessons/answering-fast/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        page.locator('label[for="__palette_1"]').click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        for prefix in ("ur/", "zh/", ""):
            page.goto(prefix + "lessons/answering-fast/")
            assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", prefix
        page.goto("el/")
        page.locator('label[for="__palette_0"]').click()
        page.goto("sw/lessons/answering-fast/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
