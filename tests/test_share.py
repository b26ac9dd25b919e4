"""The share page as a reader meets it: built from a copy of the sample on a fixed date, served on
127.0.0.1, and used in headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import serve
from site_links import navigation

from generator import posts
from generator.build import build

pytestmark = pytest.mark.slow

BUILD_DAY = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)

SHORT_LIVED = """\
title: Open day at the Nairobi office
language: en
link: https://jua-energy.example/events/open-day
publish: 2026-11-20
expires: 2026-11-25
networks:
  x: |
    Open day at our Nairobi office on Saturday: meet the team that builds and supports Jua solar systems.
  linkedin: |
    Open day at our Nairobi office on Saturday. Come and meet the team.
"""

BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def copy_sample(target: Path) -> Path:
    from conftest import REPO

    target.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy2(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "content/posts/open-day.yml").write_text(SHORT_LIVED, "utf-8")
    return target


def build_on(root: Path, site: Path, day: dt.datetime) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(day.timestamp())))
        build(root, site)
    return site


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("share") / "repo")


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    return build_on(repo, tmp_path_factory.mktemp("share-site") / "site", BUILD_DAY)


def share_html(site: Path) -> str:
    return (site / "share/index.html").read_text("utf-8")


# --- the built page ---------------------------------------------------------------------------


def test_share_page_is_in_the_navigation_and_shows_current_posts_of_its_language(site):
    page = share_html(site)
    assert ("share/", "Share") in navigation(site)
    assert "The 80 W kit is here" in page and "Open day at the Nairobi office" in page
    assert "World Environment Day 2026" not in page  # expired before the build
    assert "Kifaa kipya cha 80 W" not in page and "走进深圳合作工厂" not in page  # other languages' sites


def test_a_post_past_its_expiry_is_dropped_at_build_time(repo, tmp_path):
    later = build_on(repo, tmp_path / "site", dt.datetime(2026, 11, 26, 8, tzinfo=dt.UTC))
    page = share_html(later)
    assert "Open day at the Nairobi office" not in page
    assert "The 80 W kit is here" in page


def test_share_page_reminds_of_disclosure_and_fairness_in_one_line(site):
    page = share_html(site)
    assert 'href="../playbooks/rewards/#disclosure"' in page and 'href="../playbooks/rewards/#fairness"' in page
    assert "5 points (3 per week)" in page and "(#JuaTeam)" in page


def test_rewards_page_links_the_sharing_action_to_the_share_page(site):
    page = (site / "playbooks/rewards/index.html").read_text("utf-8")
    assert '<a href="../../share/">share a post</a>' in page


def test_controls_are_hidden_in_the_html_until_the_script_shows_them(site):
    page = share_html(site)
    assert 'class="portal-share__filters" role="group" aria-label="Find posts for you" data-share-controls="" ' \
           'data-share-filters="" hidden=""' in page
    assert "<textarea" in page and "#JuaTeam #SolarHome</textarea>" in page


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("needs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def open_share(page, day: dt.datetime = BUILD_DAY):
    page.clock.install(time=day)
    page.goto("share/")
    page.wait_for_selector("[data-share-status]:not(:empty)")
    return page


def visible_titles(page) -> list[str]:
    return page.locator("[data-share-post]:visible .portal-share__title").all_inner_texts()


def expected_count(text: str, network: str, link: str) -> int:
    """What the build computes for a reader's text: the check's own count, disclosure and link included."""
    message = posts.shared_message(text, "#JuaTeam", True)
    return posts.count(posts.counted(message, link), posts.BUILTIN_NETWORKS[network])


@pytest.mark.browser
def test_reader_filters_by_role_rewords_a_post_and_shares_their_words_with_the_link(page):
    open_share(page)
    everything = visible_titles(page)
    assert "How a system unlocks without a signal" in everything and "Study lamps for the new school term" in everything

    page.select_option("#portal-share-role", "engineer")
    for_engineers = visible_titles(page)
    assert "How a system unlocks without a signal" in for_engineers  # named for engineers
    assert "We are hiring field technicians in Kenya" in for_engineers  # meant for everyone
    assert "Study lamps for the new school term" not in for_engineers
    status = page.locator("[data-share-status]").inner_text()
    assert status == f"Showing {len(for_engineers)} of {len(everything)} posts"

    block = page.locator("#post-payments-offline [data-share-block][data-network='x']")
    count = block.locator("[data-share-count]")
    before = count.inner_text()
    words = "I helped test these codes & they work 100% offline! Ask me how. #JuaTeam"
    block.locator("textarea").fill(words)
    link = "https://jua-energy.example/blog/unlocking-offline"
    n = expected_count(words, "x", link)
    assert count.inner_text() == f"{n} of 280 characters" != before

    href = block.locator("[data-share-link]").get_attribute("href")
    assert href == (
        "https://twitter.com/intent/tweet?text=" + urllib.parse.quote(words, safe="!*'()")
        + "&url=" + urllib.parse.quote(link, safe="!*'()")
    )
    assert "%26%20they%20work%20100%25%20offline!" in href and "url=https%3A%2F%2Fjua-energy.example" in href
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert query == {"text": [words], "url": [link]}

    linkedin = page.locator("#post-payments-offline [data-share-block][data-network='linkedin'] [data-share-link]")
    assert linkedin.get_attribute("href") == (
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fjua-energy.example%2Fblog%2Funlocking-offline"
    )
    assert linkedin.get_attribute("target") == "_blank"


@pytest.mark.browser
def test_removed_disclosure_is_added_back_to_what_is_shared_and_counted(page):
    open_share(page)
    block = page.locator("#post-kit-80w-launch [data-share-block][data-network='facebook']")
    words = "Families ask me every day whether they can charge a phone and keep the lights on. Now they can."
    block.locator("textarea").fill(words)
    note = block.locator("[data-share-note]")
    assert note.is_visible() and "#JuaTeam is added when you share" in note.inner_text()
    href = block.locator("[data-share-link]").get_attribute("href")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert query["quote"] == [words + "\n\n#JuaTeam"]
    assert query["u"] == ["https://jua-energy.example/kits/80w"]
    n = expected_count(words, "facebook", "https://jua-energy.example/kits/80w")
    assert block.locator("[data-share-count]").inner_text() == f"{n} of 63206 characters"


@pytest.mark.browser
def test_counts_in_the_browser_match_the_build_for_every_post(page):
    open_share(page)
    blocks = page.locator("[data-share-block]")
    assert blocks.count() > 10
    for i in range(blocks.count()):
        block = blocks.nth(i)
        built = block.locator("textarea").get_attribute("data-count")
        assert block.locator("[data-share-count]").get_attribute("data-value") == built


@pytest.mark.browser
def test_going_over_the_limit_shows_how_many_too_many_and_is_announced_politely(page):
    open_share(page)
    block = page.locator("#post-kit-80w-launch [data-share-block][data-network='x']")
    textarea = block.locator("textarea")
    textarea.fill("太阳能" * 50)
    n = expected_count("太阳能" * 50, "x", "https://jua-energy.example/kits/80w")
    assert n > 280
    assert block.locator("[data-share-count]").inner_text() == f"{n} of 280 characters: {n - 280} too many"
    assert textarea.get_attribute("aria-invalid") == "true"
    live = block.locator("[data-share-live]")
    assert live.get_attribute("role") == "status"
    page.clock.run_for(2000)
    assert live.inner_text() == f"{n} of 280 characters: {n - 280} too many"


@pytest.mark.browser
def test_network_filter_shows_only_that_networks_text(page):
    open_share(page)
    page.select_option("#portal-share-network", "instagram")
    titles = visible_titles(page)
    assert titles and "A week on the rooftops" in titles and "Our 2026 impact report" not in titles
    networks = page.locator("[data-share-block]:visible").evaluate_all("els => els.map(e => e.dataset.network)")
    assert set(networks) == {"instagram"}
    page.select_option("#portal-share-role", "engineer")
    assert visible_titles(page) == []
    assert page.locator("[data-share-none]").is_visible()


@pytest.mark.browser
def test_a_post_past_its_expiry_is_hidden_by_the_visitors_date(page):
    open_share(page, dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC))
    titles = visible_titles(page)
    assert "Open day at the Nairobi office" not in titles
    assert "The 80 W kit is here" in titles
    page.select_option("#portal-share-role", "")  # filtering never brings an expired post back
    assert "Open day at the Nairobi office" not in visible_titles(page)


@pytest.mark.browser
def test_on_the_build_day_the_short_lived_post_is_there(page):
    open_share(page)
    assert "Open day at the Nairobi office" in visible_titles(page)


@pytest.mark.browser
def test_copy_puts_the_edited_text_and_the_link_on_the_clipboard(browser, base_url):
    context = browser.new_context(base_url=base_url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        open_share(page)
        block = page.locator("#post-rooftop-week [data-share-block][data-network='instagram']")
        block.locator("textarea").fill("My first week with this team. #JuaTeam")
        block.locator("[data-share-copy]").click()
        page.wait_for_function(
            "el => el.textContent.length > 0", arg=block.locator("[data-share-live]").element_handle()
        )
        assert block.locator("[data-share-live]").inner_text() == "Copied. Paste it into Instagram."
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "My first week with this team. #JuaTeam\nhttps://jua-energy.example/stories/a-week-on-the-rooftops"
    finally:
        context.close()


@pytest.mark.browser
def test_the_page_requests_nothing_from_another_host(browser, base_url):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        open_share(page)
        page.locator("[data-share-block] textarea").first.fill("Something in my own words #JuaTeam")
    finally:
        context.close()
    assert requested and all(url.startswith(base_url) for url in requested), requested


@pytest.mark.browser
def test_without_javascript_posts_are_readable_and_controls_hidden(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("share/")
        assert page.locator("#post-kit-80w-launch textarea").first.is_visible()
        assert "four lights" in page.locator("#post-kit-80w-launch textarea").first.input_value()
        assert not page.locator("#portal-share-role").is_visible()
        assert page.locator("[data-share-copy]:visible").count() == 0
        assert page.locator("[data-share-link]:visible").count() == 0
    finally:
        context.close()


@pytest.mark.browser
def test_the_role_the_portal_remembers_is_preselected(repo, tmp_path, browser):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(posts, "ROLE_STORAGE_KEYS", ("portal.role",))
        remembering = build_on(repo, tmp_path / "site", BUILD_DAY)
    with serve(remembering) as url:
        context = browser.new_context(base_url=url)
        context.add_init_script("window.localStorage.setItem('portal.role', 'engineer')")
        page = context.new_page()
        try:
            open_share(page)
            assert page.locator("#portal-share-role").input_value() == "engineer"
            assert "Study lamps for the new school term" not in visible_titles(page)
            assert "How a system unlocks without a signal" in visible_titles(page)
        finally:
            context.close()


@pytest.mark.browser
def test_over_the_limit_share_on_is_disabled_and_says_why_until_the_text_fits(page):
    open_share(page)
    block = page.locator("#post-kit-80w-launch [data-share-block][data-network='x']")
    textarea = block.locator("textarea")
    share = block.locator("[data-share-link]")
    assert share.get_attribute("href", timeout=1000)
    textarea.fill("太阳能" * 50)
    assert share.get_attribute("href") is None
    assert share.get_attribute("aria-disabled") == "true"
    reason = page.locator("#" + share.get_attribute("aria-describedby"))
    assert reason.is_visible()
    assert reason.inner_text() == "Too long to share on X: shorten it to 280 characters first."
    before = page.url
    share.focus()  # still reachable by keyboard, where a screen reader reads why it is unavailable
    page.keyboard.press("Enter")
    share.dispatch_event("click")
    assert page.url == before and len(page.context.pages) == 1
    textarea.fill("Short and fine 👍🏽")
    assert share.get_attribute("aria-disabled") is None
    assert "Short%20and%20fine" in (share.get_attribute("href") or "")
    assert reason.is_hidden()


@pytest.mark.browser
def test_share_page_dates_are_written_in_the_readers_language(page):
    open_share(page)
    shown = page.locator("[data-share-post] time[data-share-date]").first
    iso = shown.get_attribute("datetime")
    year, month, day = (int(part) for part in iso.split("-"))
    assert shown.inner_text() == dt.date(year, month, day).strftime("%B %-d, %Y")
