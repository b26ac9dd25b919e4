"""The built sample in a real browser: search, accessibility (axe-core) and screenshots of every page type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import (
    AXE,
    REPO,
    chromium,
    copy_sample,
    fresh_page,
    lessons_of,
    right_answers,
    screenshot,
    seed_progress,
    serve,
)
from playwright.sync_api import expect

from generator.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMPLETED = "2025-03-04T09:30:00.000Z"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    root = copy_sample(tmp_path_factory.mktemp("site") / "repo")
    build(root, root / "site")
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def journey(browser, base_url) -> dict[str, Any]:
    """Stored progress of a receptionist part-way through: two lessons done, one changed since."""
    with fresh_page(browser, base_url) as page:
        page.goto("paths/foundations/")
        foundations = lessons_of(page, "foundations")
        page.goto("paths/people-managers/")
        managers = lessons_of(page, "people-managers")
    lessons = {
        foundations[0]["id"]: {"fingerprint": foundations[0]["fingerprint"], "completed": COMPLETED},
        foundations[1]["id"]: {"fingerprint": foundations[1]["fingerprint"], "completed": COMPLETED,
                               "score": 2, "total": 2},
        foundations[2]["id"]: {"fingerprint": "changed-since", "completed": COMPLETED},
    }
    for lesson in managers:
        if lesson["required"]:
            lessons[lesson["id"]] = {
                "fingerprint": lesson["fingerprint"], "completed": COMPLETED, "score": 2, "total": 2,
            }
    return {"version": 1, "role": "receptionist", "name": "Amina Wanjiru", "lessons": lessons}


def test_search_finds_a_word_of_one_lesson_body_as_the_first_result(browser, base_url):
    word = "Thessaloniki"
    sources = [p for p in (REPO / "content").rglob("*") if p.is_file() and p.name.count(".") == 1]  # not translations
    holders = [p for p in sources if word.lower() in p.read_text("utf-8").lower()]
    assert [p.name for p in holders] == ["owning-complaints-in-public.md"]
    front, body = holders[0].read_text("utf-8").split("\n---\n", 1)
    assert word not in front and word in body

    with fresh_page(browser, base_url) as page:
        page.goto("")
        page.keyboard.press("/")
        search = page.locator(".md-search__input")
        expect(search).to_be_focused()
        page.keyboard.type(word)
        page.keyboard.press("End")
        first = page.locator(".md-search-result__item").first
        first.wait_for()
        assert "lessons/owning-complaints-in-public/" in first.locator("a").first.get_attribute("href")
        screenshot(page, "search", full_page=False)


def answer_check(page, right: list[bool]) -> None:
    """Answer the check's questions right or wrong, as given, and check the answers."""
    check = page.locator("[data-portal-check]")
    answers = right_answers(check.get_attribute("data-lesson-id"))
    for fieldset, is_right, correct in zip(check.locator("fieldset").all(), right, answers, strict=True):
        fieldset.locator(f'input[value="{correct if is_right else int(correct == 0)}"]').check()
    page.get_by_role("button", name="Check my answers").click()
    page.locator(".portal-check__result").filter(has_text="right").wait_for()


PAGES: dict[str, tuple[str, Any]] = {
    "home": ("", None),
    "role": ("roles/receptionist/", None),
    "path": ("paths/foundations/", None),
    "lesson": ("lessons/why-employees-matter/", None),
    "lesson-check": ("lessons/owning-complaints-in-public/", None),
    "lesson-check-answered": ("lessons/owning-complaints-in-public/", lambda page: answer_check(page, [True, False])),
    "playbook-tone": ("playbooks/tone/", None),
    "playbook-negativity": ("playbooks/negativity/", None),
    "playbook-rewards": ("playbooks/rewards/", None),
    "progress": ("progress/", None),
    "certificate": ("certificates/people-managers/", None),
    "roles": ("roles/", None),
    "paths": ("paths/", None),
    "lessons": ("lessons/", None),
    "overview": ("overview/", None),
    "checklist": ("checklists/receptionist/", None),
    "share": ("share/", None),
}


def serious_violations(page) -> list[str]:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in the repository root (or `bash .ci/browser-deps`)")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    def where(node: dict[str, Any]) -> str:
        return " ".join(node["target"]) + " " + node["failureSummary"].replace("\n", " ")

    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(where(node) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(browser, base_url, journey, name, scheme):
    url, act = PAGES[name]
    with fresh_page(browser, base_url, color_scheme=scheme) as page:
        page.goto("")
        seed_progress(page, journey)
        page.goto(url)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        if act:
            act(page)
        problems = serious_violations(page)
        if scheme == "light":
            screenshot(page, name)
        assert not problems, "\n".join(problems)


def test_readme_screenshots_show_the_home_page_and_a_checked_lesson(browser, base_url, journey):
    """The two pictures at the top of the README, 1280 pixels wide (copied into .github/readme/ by hand)."""
    with fresh_page(browser, base_url) as page:
        page.goto("")
        seed_progress(page, journey)
        page.reload()
        home = screenshot(page, "readme-home", full_page=False)
        page.goto("lessons/owning-complaints-in-public/")
        answer_check(page, [True, False])
        page.add_style_tag(content=".md-top { display: none }")  # "back to top" shows after scrolling up
        page.evaluate("() => window.scrollTo(0, document.getElementById('check-title').getBoundingClientRect().top"
                      " + window.scrollY - 64)")
        lesson = screenshot(page, "readme-lesson", full_page=False)
    for picture in (home, lesson):
        assert picture.read_bytes()[16:24] == (1280).to_bytes(4, "big") + (800).to_bytes(4, "big")
    committed = REPO / ".github" / "readme"
    for name in ("home.png", "lesson.png"):
        assert (committed / name).is_file(), f"the README shows .github/readme/{name}"
    assert "(.github/readme/home.png)" in (REPO / "README.md").read_text("utf-8")


def test_longest_path_certificate_prints_on_one_page(browser, base_url):
    with fresh_page(browser, base_url) as page:
        longest = None
        for path in sorted(p.stem for p in (REPO / "content" / "paths").glob("*.yml") if "." not in p.stem):
            page.goto(f"paths/{path}/")
            lessons = lessons_of(page, path)
            if longest is None or len(lessons) > len(longest[1]):
                longest = (path, lessons)
        path, lessons = longest
        seed_progress(page, {
            "version": 1, "role": None, "name": "Maximilian Alexander Wanjiru-Papadopoulos",
            "lessons": {
                lesson["id"]: {"fingerprint": lesson["fingerprint"], "completed": COMPLETED, "score": 10, "total": 10}
                for lesson in lessons
            },
        })
        page.goto(f"certificates/{path}/")
        assert len(page.locator(".portal-certificate__lessons li").all()) == len(lessons)
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper)
            assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, f"{path}: more than one {paper} page"
