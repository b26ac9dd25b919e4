"""`checks: reveal` in portal.yml, in a real browser: `never` shows no right answer or explanation even
after passing; `always` shows them after every attempt, as a portal that wants that asks for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import chromium, copy_sample, fresh_page, right_answers, serve

from generator.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "owning-complaints-in-public"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    """The sample built twice under one folder: reveal never in never/, always in always/."""
    top = tmp_path_factory.mktemp("reveal")
    for reveal in ("never", "always"):
        root = copy_sample(top / f"repo-{reveal}")
        config = root / "content" / "portal.yml"
        config.write_text(config.read_text("utf-8") + f"checks:\n  reveal: {reveal}\n", "utf-8")
        build(root, top / "sites" / reveal)
    return top / "sites"


@pytest.fixture(scope="module")
def base_url(sites) -> Iterator[str]:
    with serve(sites) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def answer(page, right: list[bool]) -> None:
    check = page.locator("[data-portal-check]")
    for fieldset, is_right, place in zip(check.locator("fieldset").all(), right, right_answers(LESSON), strict=True):
        fieldset.locator(f'input[value="{place if is_right else int(place == 0)}"]').check()
    check.get_by_role("button", name="Check my answers").click()
    page.locator(".portal-check__result").filter(has_text="right").wait_for()


def test_never_reveals_even_after_passing(browser, base_url):
    with fresh_page(browser, base_url) as page:
        page.goto(f"never/lessons/{LESSON}/")
        answer(page, [False, True])
        assert "Not right yet: question 1." in page.locator(".portal-check__result").inner_text()
        page.get_by_role("button", name="Try again").click()
        answer(page, [True, True])
        assert page.locator(".portal-check__result").inner_text() == "Passed: 2 of 2 right. This lesson is complete."
        assert page.locator(".portal-explanation").count() == 0
        assert page.locator(".portal-option--answer").count() == 0
        assert "It apologises without excuses" not in page.content()


def test_always_reveals_the_right_answer_and_why_after_a_wrong_attempt(browser, base_url):
    with fresh_page(browser, base_url) as page:
        page.goto(f"always/lessons/{LESSON}/")
        answer(page, [False, True])
        first, second = page.locator("[data-portal-check] fieldset").all()
        assert "Not quite. The right answer: Sorry, missing two appointments" in first.inner_text()
        assert first.locator(".portal-explanation").inner_text().startswith("It apologises without excuses")
        assert first.locator(".portal-option--answer").inner_text().startswith("Sorry, missing two appointments")
        assert second.locator(".portal-explanation").is_visible()
        assert page.locator(".portal-check__result").inner_text().startswith("1 of 2 right; you need 2 to pass.")
