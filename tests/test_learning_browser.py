"""An employee's learning in a real browser: role, progress, checks, updates, certificates, moving progress."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_support import (
    REPO,
    SCREENSHOTS,
    chromium,
    complete_lesson,
    copy_sample,
    fresh_page,
    lessons_of,
    pass_check,
    right_answers,
    screenshot,
    serve,
    shown_order,
    stored_progress,
)
from playwright.sync_api import expect

from generator.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FOUNDATIONS = "paths/foundations/"
MANAGERS = "paths/people-managers/"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A private copy of the sample, built once into its site/ for this module."""
    root = copy_sample(tmp_path_factory.mktemp("learning") / "repo")
    build(root, root / "site")
    return root


@pytest.fixture(scope="module")
def base_url(repo) -> Iterator[str]:
    with serve(repo / "site") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, base_url):
    with fresh_page(browser, base_url) as page:
        yield page


def outline_of_focused(page) -> str:
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def test_role_lessons_and_a_failed_then_passed_check_persist_and_show_in_the_bars(page):
    page.goto("roles/receptionist/")
    pick = page.get_by_role("button", name="Make Receptionist my role")
    pick.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Receptionist is your role").wait_for()
    assert page.get_by_role("button", name="Forget my role choice").get_attribute("aria-pressed") == "true"
    # Other pages (the share page's role filter) read the role from its own key.
    assert page.evaluate("() => localStorage.getItem('advocacy-portal:role')") == "receptionist"

    page.goto("")
    lead = page.locator("[data-portal-next]")
    assert lead.is_visible()
    assert "Your role: Receptionist." in lead.inner_text()
    assert lead.get_by_role("link", name="Continue with Why your voice matters").is_visible()
    assert page.locator('.portal-card--mine[data-role-id="receptionist"]').is_visible()
    # The home page leads with the role's path: it comes before the introduction.
    assert page.evaluate(
        "() => document.querySelector('[data-portal-next]').compareDocumentPosition("
        "document.querySelector('.portal-cards')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )

    lead.get_by_role("link", name="Continue with Why your voice matters").click()
    expect(page.locator("[data-portal-lesson]")).to_have_text("You have not completed this lesson yet.")
    mark = page.get_by_role("button", name="Mark as complete")
    mark.focus()
    page.keyboard.press("Space")
    page.locator(".portal-lesson-end__status", has_text="Completed on").wait_for()
    assert page.get_by_role("button", name="Mark as not complete").is_visible()
    assert outline_of_focused(page) != "none"

    # A knowledge check, by keyboard alone: first every answer wrong, then every answer right.
    page.goto("lessons/your-accounts-your-voice/")
    fieldsets = page.locator("[data-portal-check] fieldset")
    correct = right_answers("your-accounts-your-voice")
    page.locator("[data-portal-check] fieldset input").first.focus()
    for number, fieldset in enumerate(fieldsets.all()):
        page.keyboard.press("Space")  # choose the first option shown
        if shown_order(fieldset)[0] == correct[number]:
            page.keyboard.press("ArrowDown")  # the next one, then: only one is right
        if number + 1 < len(correct):
            page.keyboard.press("Tab")  # on to the next question
    page.keyboard.press("Enter")  # submits the check
    result = page.locator(".portal-check__result")
    assert result.get_attribute("role") == "status" and result.get_attribute("aria-live") == "polite"
    names = ", ".join(f"question {n}" for n in range(1, len(correct) + 1))
    assert result.inner_text() == (f"0 of {len(correct)} right; you need {len(correct)} to pass. "
                                   f"Not right yet: {names}. Follow the hints, then try again.")
    assert result.get_by_role("link", name="question 1").get_attribute("href") == "#check-q1"
    # Which questions are not right yet and the hint, never the right option or the explanation.
    assert not page.locator(".portal-explanation").first.is_visible()
    assert page.locator(".portal-option--answer").count() == 0
    assert fieldsets.first.locator(".portal-question__feedback").inner_text().startswith("Not right yet. Hint: ")
    assert "right answer" not in fieldsets.first.inner_text()
    retry = page.get_by_role("button", name="Try again")
    assert page.evaluate("() => document.activeElement.textContent") == "Try again"
    assert outline_of_focused(page) != "none"
    assert not stored_progress(page)["lessons"].get("your-accounts-your-voice")

    page.keyboard.press("Enter")  # try again: answers cleared, focus back on the first question
    assert not page.locator(".portal-explanation").first.is_visible()
    assert retry.is_hidden()
    for number, fieldset in enumerate(fieldsets.all()):
        steps = shown_order(fieldset).index(correct[number])
        page.keyboard.press("Space" if steps == 0 else "ArrowDown")
        for _ in range(steps - 1):
            page.keyboard.press("ArrowDown")
        if number + 1 < len(correct):
            page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert result.inner_text() == f"Passed: {len(correct)} of {len(correct)} right. This lesson is complete."
    assert "Right." in fieldsets.first.inner_text()
    # Passing opens the explanations (reveal: after_pass) and marks the right options.
    explanation = fieldsets.first.locator(".portal-explanation")
    assert explanation.is_visible() and explanation.inner_text().startswith("Your page is yours")
    assert page.locator(".portal-option--answer").count() == len(correct)

    page.reload()
    status = page.locator("[data-portal-lesson]").inner_text()
    assert status.startswith("Completed on") and f"Knowledge check: {len(correct)} of {len(correct)} right." in status
    assert page.get_by_text("You passed this check on").is_visible()

    page.goto(FOUNDATIONS)
    lessons = lessons_of(page, "foundations")
    left = sum(lesson["minutes"] for lesson in lessons[2:])
    progress = page.locator("[data-portal-progress]")
    assert f"2 of {len(lessons)} lessons done · {left} min left" in progress.inner_text()
    bar = progress.get_by_role("progressbar", name="Progress in Foundations for everyone")
    assert bar.get_attribute("aria-valuenow") == "2" and bar.get_attribute("aria-valuemax") == str(len(lessons))
    assert progress.get_by_role("link", name=lessons[2]["title"]).is_visible()
    statuses = page.locator(".portal-steps__status").all_inner_texts()
    assert statuses[:3] == ["Done", "Done", "Not yet"]

    page.goto("")
    assert page.get_by_role("link", name=f"Continue with {lessons[2]['title']}").is_visible()
    assert "2 of 9 lessons done" in page.locator("[data-portal-next]").inner_text()


def test_a_lesson_changed_after_completion_is_flagged_and_keeps_its_path_open(page, repo, tmp_path):
    page.goto(MANAGERS)
    lessons = lessons_of(page, "people-managers")
    required = [lesson for lesson in lessons if lesson["required"]]
    for lesson in required:
        complete_lesson(page, "lessons/" + lesson["url"].split("/lessons/")[1])
    page.goto(MANAGERS)
    assert "Path complete." in page.locator("[data-portal-progress]").inner_text()

    changed = repo / "content/lessons/making-time-for-social.md"
    original = changed.read_text("utf-8")
    site = repo / "site"
    shutil.copytree(site, tmp_path / "site-before")  # put back afterwards, quicker than a third build
    try:
        changed.write_text(original + "\nA sentence added after the employee completed the lesson.\n", "utf-8")
        build(repo, site)

        page.goto("lessons/making-time-for-social/")
        status = page.locator("[data-portal-lesson]")
        assert "Updated since you completed it on" in status.inner_text()
        assert "Take the knowledge check again" in status.inner_text()

        page.goto(MANAGERS)
        progress = page.locator("[data-portal-progress]").inner_text()
        title = next(lesson["title"] for lesson in lessons if lesson["id"] == "making-time-for-social")
        assert f"Updated since you completed them: {title}" in progress
        assert "Path complete." not in progress
        assert "Updated since you completed it" in page.locator(".portal-steps__status").all_inner_texts()
        screenshot(page, "path-updated")

        # Reviewing it (passing the check again) completes the path again.
        page.goto("lessons/making-time-for-social/")
        pass_check(page)
        page.goto(MANAGERS)
        assert "Path complete." in page.locator("[data-portal-progress]").inner_text()
    finally:
        changed.write_text(original, "utf-8")
        shutil.rmtree(site)
        (tmp_path / "site-before").rename(site)


def test_a_completed_path_gives_a_certificate_with_the_typed_name_on_one_printed_page(page):
    page.goto("certificates/people-managers/")
    assert "This path is not complete yet" in page.locator("[data-portal-certificate]").inner_text()
    assert page.locator(".portal-certificate__sheet").is_hidden()

    page.goto(MANAGERS)
    lessons = lessons_of(page, "people-managers")
    for lesson in lessons:
        if lesson["required"]:
            complete_lesson(page, "lessons/" + lesson["url"].split("/lessons/")[1])
    page.goto(MANAGERS)
    progress = page.locator("[data-portal-progress]")
    assert "Path complete." in progress.inner_text()
    optional = next(lesson["title"] for lesson in lessons if not lesson["required"])
    assert f"Optional next: {optional}" in progress.inner_text()
    progress.get_by_role("link", name="Get your certificate").click()

    name = page.get_by_label("Your name as it should appear")
    name.fill("Amina Wanjiru")
    sheet = page.locator(".portal-certificate__sheet")
    assert sheet.locator(".portal-certificate__name").inner_text() == "Amina Wanjiru"
    text = sheet.inner_text()
    assert "has completed the learning path" in text and "People managers" in text and "Jua Energy" in text
    for lesson in lessons:
        assert (lesson["title"] in text) == lesson["required"]
    assert "not a credential verified by anyone" in text
    screenshot(page, "certificate")

    page.reload()
    assert page.locator(".portal-certificate__name").inner_text() == "Amina Wanjiru"
    assert page.get_by_label("Your name as it should appear").input_value() == "Amina Wanjiru"
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden() and name.is_hidden() and sheet.is_visible()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, f"the certificate takes more than one {paper} page"


def test_progress_survives_export_forgetting_and_import(page, tmp_path):
    page.goto("roles/team-lead/")
    page.get_by_role("button", name="Make Team lead my role").click()
    page.goto(MANAGERS)
    lessons = lessons_of(page, "people-managers")
    complete_lesson(page, "lessons/who-does-what/")
    complete_lesson(page, "lessons/coaching-hesitant-colleagues/")

    page.goto("progress/")
    assert "Your role: Team lead." in page.locator("[data-portal-dashboard]").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    data = json.loads(exported.read_text("utf-8"))
    assert data["format"] == "advocacy-portal-progress" and data["role"] == "team-lead"
    assert set(data["lessons"]) == {"who-does-what", "coaching-hesitant-colleagues"}
    who = next(lesson for lesson in lessons if lesson["id"] == "who-does-what")
    assert data["lessons"]["who-does-what"]["fingerprint"] == who["fingerprint"]
    assert data["lessons"]["who-does-what"]["title"] == who["title"]
    assert "Exported 2 completed lessons" in page.locator(".portal-transfer__status").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Forget my progress on this device").click()
    assert page.locator(".portal-transfer__status").inner_text() == "Your progress on this device was forgotten."
    assert stored_progress(page) is None
    assert "You have not picked a role yet." in page.locator("[data-portal-dashboard]").inner_text()

    bad = tmp_path / "notes.json"
    bad.write_text('{"lessons": []}', "utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress…").click()
    chooser.value.set_files(str(bad))
    page.get_by_text("notes.json is not a progress file of this portal").wait_for()
    assert stored_progress(page) is None

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress…").click()
    chooser.value.set_files(str(exported))
    page.get_by_text(f"Imported {exported.name}: 2 completed lessons.").wait_for()
    assert "Your role: Team lead." in page.locator("[data-portal-dashboard]").inner_text()

    page.goto(MANAGERS)
    assert f"2 of {len(lessons)} lessons done" in page.locator("[data-portal-progress]").inner_text()
    page.goto("lessons/who-does-what/")
    assert page.locator("[data-portal-lesson]").inner_text().startswith("Completed on")


def test_without_javascript_every_page_reads_and_no_control_shows(browser, base_url):
    pages = {
        "": "Pick your role",
        "roles/receptionist/": "Social media in this role",
        FOUNDATIONS: "Why your voice matters",
        "lessons/your-accounts-your-voice/": "Knowledge check",
        "lessons/why-employees-matter/": "People trust people",
        "progress/": "Your progress is shown here when JavaScript is on",
        "certificates/people-managers/": "This record needs JavaScript",
    }
    with fresh_page(browser, base_url, java_script_enabled=False) as page:
        for url, text in pages.items():
            page.goto(url)
            content = page.locator(".md-content")
            assert text in content.inner_text(), url
            assert content.locator("button, input, [role=progressbar]").filter(visible=True).count() == 0, url
            for hook in page.locator("[data-portal-next], [data-portal-progress], [data-portal-lesson], "
                                     "[data-portal-lesson-end], [data-portal-role-pick], [data-portal-dashboard], "
                                     "[data-portal-transfer], [data-portal-certificate]").all():
                assert hook.is_hidden(), url
        page.goto("lessons/your-accounts-your-voice/")
        question = page.locator("[data-portal-check] fieldset").first
        assert question.locator("legend").is_visible()
        assert question.locator("label").first.is_visible()
        assert page.locator(".portal-explanation").first.is_hidden()


# --- knowledge checks: no answer key, hints, shuffled options ---------------------------------


def answer_wrong(page, lesson_id: str) -> None:
    """Choose a wrong option in every question (by its place in the source) and check."""
    check = page.locator("[data-portal-check]")
    for fieldset, right in zip(check.locator("fieldset").all(), right_answers(lesson_id), strict=True):
        fieldset.locator(f'input[value="{int(right == 0)}"]').check()
    check.locator('button[type="submit"]').click()
    page.locator(".portal-check__result--failed").wait_for()


def explanations_of(lesson_id: str, language: str = "") -> list[str]:
    name = f"{lesson_id}.{language}.md" if language else f"{lesson_id}.md"
    text = (REPO / "content" / "lessons" / name).read_text("utf-8")
    return [q["explanation"] for q in yaml.safe_load(text.split("---", 2)[1])["check"]["questions"]]


def test_options_are_shuffled_on_every_attempt_and_keep_the_source_order_without_javascript(page, browser, base_url):
    page.goto("lessons/the-first-hour-of-a-crisis/")
    fieldsets = page.locator("[data-portal-check] fieldset").all()
    source = [list(range(len(shown_order(f)))) for f in fieldsets]
    first = [shown_order(f) for f in fieldsets]
    assert all(order != plain for order, plain in zip(first, source, strict=True))
    answer_wrong(page, "the-first-hour-of-a-crisis")
    page.get_by_role("button", name="Try again").click()
    second = [shown_order(f) for f in fieldsets]
    assert all(sorted(order) == plain for order, plain in zip(second, source, strict=True))
    assert all(a != b for a, b in zip(first, second, strict=True))
    # The labels still hold their radio buttons, in a fieldset with its legend.
    option = fieldsets[0].get_by_role("radio").first
    assert option.evaluate("input => input.closest('label') !== null"
                           " && input.closest('fieldset').querySelector('legend') !== null")

    with fresh_page(browser, base_url, java_script_enabled=False) as plain:
        plain.goto("lessons/the-first-hour-of-a-crisis/")
        assert [shown_order(f) for f in plain.locator("[data-portal-check] fieldset").all()] == source


def test_a_wrong_attempt_names_the_questions_and_hints_and_reveals_nothing(page):
    page.goto("lessons/rulebook-before-going-live/")  # pass mark 2 of 3
    check = page.locator("[data-portal-check]")
    right = right_answers("rulebook-before-going-live")
    fieldsets = check.locator("fieldset").all()
    fieldsets[0].locator(f'input[value="{right[0]}"]').check()
    for fieldset, answer in zip(fieldsets[1:], right[1:], strict=True):
        fieldset.locator(f'input[value="{int(answer == 0)}"]').check()
    check.get_by_role("button", name="Check my answers").click()
    result = page.locator(".portal-check__result")
    assert result.inner_text() == ("1 of 3 right; you need 2 to pass. Not right yet: question 2, question 3. "
                                   "Follow the hints, then try again.")
    feedback = fieldsets[1].locator(".portal-question__feedback").inner_text()
    assert feedback == "Not right yet. Hint: Look at the example “A drill in Karachi”: what did the drill show?"
    assert fieldsets[0].locator(".portal-question__feedback").inner_text() == "Right."
    assert page.locator(".portal-option--answer").count() == 0
    assert page.locator(".portal-explanation:visible").count() == 0
    content = page.content()
    assert not [e for e in explanations_of("rulebook-before-going-live") if html.escape(e, quote=False) in content]

    # Passing with one question still wrong (2 of 3): the right ones open, the wrong one keeps its secret.
    page.get_by_role("button", name="Try again").click()
    for fieldset, answer in zip(fieldsets[:2], right[:2], strict=True):
        fieldset.locator(f'input[value="{answer}"]').check()
    fieldsets[2].locator(f'input[value="{int(right[2] == 0)}"]').check()
    check.get_by_role("button", name="Check my answers").click()
    assert result.inner_text() == "Passed: 2 of 3 right. This lesson is complete."
    explanations = explanations_of("rulebook-before-going-live")
    assert fieldsets[0].locator(".portal-explanation").inner_text() == explanations[0]
    assert fieldsets[1].locator(".portal-explanation").inner_text() == explanations[1]
    assert not fieldsets[2].locator(".portal-explanation").is_visible()
    assert fieldsets[2].locator(".portal-question__feedback").inner_text().startswith("Not right yet. Hint: ")
    assert stored_progress(page)["lessons"]["rulebook-before-going-live"]["score"] == 2


def test_the_pages_sha256_is_pythons_in_chromium(page):
    page.goto("lessons/answering-fast/")
    page.wait_for_function("() => window.portalHash")
    texts = ["", "abc", "a" * 55, "a" * 56, "a" * 64, "a" * 1000, "Jua ☀ جوا 朱阿 Τζούα 🙂"]
    assert page.evaluate("texts => texts.map(t => window.portalHash.sha256Hex(t))", texts) == [
        hashlib.sha256(text.encode()).hexdigest() for text in texts
    ]
    # crypto.subtle is not what it relies on: the check works with it taken away.
    page.evaluate("() => Object.defineProperty(window.crypto, 'subtle', { value: undefined })")
    pass_check(page)


@pytest.mark.parametrize("language", ["", "ur"])
@pytest.mark.parametrize("width", [1280, 375])
def test_a_checked_lesson_on_a_desktop_and_a_phone(browser, base_url, language, width):
    with fresh_page(browser, base_url) as page:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{language + '/' if language else ''}lessons/owning-complaints-in-public/")
        answer_wrong(page, "owning-complaints-in-public")
        check = page.locator("[data-portal-check]")
        check.scroll_into_view_if_needed()
        # Nothing spills sideways on a phone, in either direction of writing.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        if language == "ur":
            assert check.evaluate("node => getComputedStyle(node).direction") == "rtl"
            assert "ابھی درست نہیں۔ اشارہ:" in check.locator(".portal-question__feedback").first.inner_text()
        screenshot(page, f"check-failed-{language or 'en'}-{width}", full_page=False)
        check.screenshot(path=str(SCREENSHOTS / f"check-failed-{language or 'en'}-{width}-section.png"))
