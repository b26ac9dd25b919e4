"""Helpers for tests that drive the built portal in Debian's Chromium through Playwright.

Each browser test module builds a private copy of the sample once, serves it on
127.0.0.1 from a thread, and starts one browser; every test gets a fresh browser
context (so a fresh, empty localStorage) and fails if a page asked any other host
for anything.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}


def copy_sample(target: Path) -> Path:
    """A private copy of the sample repository (content, overrides, mkdocs.yml) to build and edit."""
    target.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # A test that rebuilds the site while it serves must see the new pages. With
        # SOURCE_DATE_EPOCH set every built file has that old date, so without this Chromium
        # keeps a page it was given as fresh for months (its guess from Last-Modified) and a
        # revalidation answers 304: the rebuilt file has the same date.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (with ``handler_class``, for a test that plays a server with answers
    of its own); yields the base URL. Rebuilds swapped into ``site`` are served."""
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless Chromium for a test module."""
    if not CHROMIUM.exists():
        pytest.fail("the browser tests need Debian's chromium: run `bash .ci/browser-deps` (as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_page(
    browser: Any, base_url: str, *, expected_error: Callable[[Any], bool] | None = None, **options: Any
) -> Iterator[Any]:
    """A page in a new context (empty storage); fails the test on a request to another host, a failed
    request or a script error. ``expected_error`` names the error answers that are the server's
    normal reply (an xAPI state document not written yet is a 404)."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url, accept_downloads=True, **options)
    foreign: list[str] = []
    broken: list[str] = []
    errors: list[str] = []

    def on_request(request: Any) -> None:
        if not request.url.startswith((base_url, "data:", "blob:", "about:")):
            foreign.append(request.url)

    context.on("request", on_request)

    def on_response(answer: Any) -> None:
        if answer.status >= 400 and not (expected_error and expected_error(answer)):
            broken.append(f"{answer.status} {answer.url}")

    context.on("response", on_response)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not broken, f"failed requests: {broken}"
    assert not errors, f"script errors: {errors}"


def lessons_of(page: Any, path_id: str) -> list[dict[str, Any]]:
    """The lessons of a path as the page's script knows them (id, fingerprint, url, ...)."""
    page.wait_for_function("window.portalCatalogue && window.portalCatalogue.paths")
    return page.evaluate("id => window.portalCatalogue.paths[id].lessons", path_id)


def right_answers(lesson_id: str, root: Path = REPO) -> list[int]:
    """The place (0-based, source order) of each question's right option, read from the lesson's
    source: the page no longer says. An option's place is its radio button's value in every language."""
    text = (root / "content" / "lessons" / f"{lesson_id}.md").read_text("utf-8")
    meta = yaml.safe_load(text.split("---", 2)[1])
    return [q["options"].index(q["answer"]) for q in meta["check"]["questions"]]


def shown_order(fieldset: Any) -> list[int]:
    """The options' source places in the order the page shows them now."""
    return [int(value) for value in fieldset.locator('input[type="radio"]').evaluate_all(
        "inputs => inputs.map(input => input.value)")]


def pass_check(page: Any, root: Path = REPO) -> None:
    """Answer every question of the page's knowledge check correctly and check the answers."""
    check = page.locator("[data-portal-check]")
    answers = right_answers(check.get_attribute("data-lesson-id"), root)
    for fieldset, correct in zip(check.locator("fieldset").all(), answers, strict=True):
        fieldset.locator(f'input[value="{correct}"]').check()
    page.get_by_role("button", name="Check my answers").click()
    page.get_by_text("This lesson is complete").wait_for()


def complete_lesson(page: Any, url: str) -> None:
    """Complete a lesson the way an employee does: pass its check, or mark it as complete."""
    page.goto(url)
    if page.locator("[data-portal-check]").count():
        pass_check(page)
    else:
        page.get_by_role("button", name="Mark as complete").click()
        page.locator(".portal-lesson-end__status", has_text="Completed on").wait_for()


def seed_progress(page: Any, state: dict[str, Any]) -> None:
    """Put ``state`` into the portal's storage, as if the employee had got there by hand."""
    page.evaluate("state => localStorage.setItem('advocacy-portal:progress', JSON.stringify(state))", state)


def stored_progress(page: Any) -> dict[str, Any]:
    return page.evaluate("() => JSON.parse(localStorage.getItem('advocacy-portal:progress') || 'null')")


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Write a screenshot to test-output/screenshots/ (kept out of git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:
        page.evaluate("() => window.scrollTo(0, 0)")  # a sticky header would otherwise show mid-page
    page.screenshot(path=str(path), full_page=full_page)
    return path
