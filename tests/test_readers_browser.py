"""Every reader, in every language, served as well as an English reader at a desktop: search that
finds what people type, and a first visit that does not download the search index."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, copy_sample, fresh_page, serve

from generator.build import build
from generator.postbuild import SEARCH_INDEXES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGUAGES = {"en": "", "sw": "sw/", "el": "el/", "zh": "zh/", "ur": "ur/"}

# What people type, and the lesson (its title in that language) each query must find.
SEARCHES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("complaints", "Owning a complaint in public"),    # the plural meets the singular of the title
        ("COMPLAINING", "Owning a complaint in public"),   # capitals, and another form of the word
        ("escalation", "Correcting misinformation"),       # the lesson says "escalate"
    ],
    "el": [
        ("πελατη", "Εκπρόσωπος εξυπηρέτησης πελατών"),    # no accent; the page says "πελάτη", "πελατών"
        ("ΠΕΛΑΤΕΣ", "Εκπρόσωπος εξυπηρέτησης πελατών"),   # capitals, another case
        ("απαντηση", "Γρήγορη απάντηση"),                  # no accent
        ("παραπόνων", "Ανάληψη ευθύνης για ένα δημόσιο παράπονο"),  # genitive plural of the title's word
        ("καναλια", "Πρώτη γραμμή απάντησης"),             # no accent; the page says "κανάλια"
    ],
    "ur": [
        ("كمپني", "فوری جواب دینا"),                       # Arabic kaf and yeh (U+0643, U+064A): "کمپنی"
        ("ادائيگي", "لہجہ اور اندازِ بیان"),                # Arabic yeh: "ادائیگی"
        ("لهجه", "لہجہ اور اندازِ بیان"),                   # Arabic heh (U+0647): "لہجہ"
    ],
    "sw": [
        ("jibu", "Kujibu haraka"),                          # the root inside "kujibu"
        ("MAJIBU", "Kushughulikia machapisho hasi"),        # capitals
        ("Haraka", "Kujibu haraka"),
    ],
    "zh": [
        # A two-character word inside a sentence ("而不是争辩或找借口", "**找借口**：..."). Not "道歉": in
        # this lesson only the check's explanation said it, and that is now sealed until the check is passed.
        ("借口", "公开承担投诉"),
    ],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("readers") / "repo")
    build(root, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def search(page: Any, query: str) -> list[str]:
    """Search as a reader does: `/` opens the search, type, `End` (key events start the search)."""
    page.keyboard.press("/")
    # As a reader does, type once the box is open and has the focus: on a phone the theme opens it a
    # moment after the key, and moves the caret to the start as it does (keys typed before land wrong).
    page.wait_for_function("document.getElementById('__search').checked"
                           " && document.activeElement && document.activeElement.matches('.md-search__input')")
    page.keyboard.type(query)
    page.keyboard.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    return [text.replace("\u200b", "") for text in page.locator(".md-search-result__item").all_inner_texts()]


@pytest.mark.parametrize(("language", "query", "title"),
                         [(language, query, title) for language, rows in SEARCHES.items() for query, title in rows])
def test_search_finds_what_people_type(browser, base_url, language, query, title):
    with fresh_page(browser, base_url) as page:
        page.goto(LANGUAGES[language] + "lessons/")
        results = search(page, query)
        assert any(result.startswith(title) for result in results), f"{query!r} did not find {title!r}: {results}"


def test_the_search_index_loads_only_when_the_reader_first_focuses_search(browser, base_url):
    with fresh_page(browser, base_url) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        for prefix in LANGUAGES.values():
            page.goto(prefix + "lessons/answering-fast/")
            page.wait_for_load_state("networkidle")
            assert not [url for url in requested if "search_index" in url or "/search." in url], prefix
        page.locator(".md-search__input").focus()
        page.wait_for_load_state("networkidle")
        assert [url for url in requested if "search_index" in url] == [base_url + "ur/search/search_index.json"]
        page.keyboard.type("جواب")
        page.keyboard.press("End")
        page.locator(".md-search-result__item").first.wait_for()


def test_the_site_ships_one_copy_of_the_theme_no_source_maps_and_compressed_copies(site):
    assert not list(site.rglob("*.map"))
    bundles = [path.relative_to(site).as_posix() for path in site.rglob("bundle.*.min.js")]
    assert len(bundles) == 1 and bundles[0].startswith("assets/javascripts/"), bundles
    styles = [path.relative_to(site).as_posix() for path in site.rglob("main.*.min.css")]
    # One copy of each: Zensical's theme comes with two variants (classic, modern) of its styles.
    assert styles and all(style.startswith("assets/stylesheets/") for style in styles), styles
    assert len(styles) == len({style.rpartition("/")[2] for style in styles}), styles
    for prefix in ("sw/", "el/", "zh/", "ur/"):
        page = (site / prefix / "lessons/answering-fast/index.html").read_text("utf-8")
        assert f'src="../../../{bundles[0]}"' in page, prefix
        assert any((site / prefix / name).is_file() for name in SEARCH_INDEXES)  # MkDocs' or Zensical's
    index = next(site / "el" / name for name in SEARCH_INDEXES if (site / "el" / name).is_file())
    assert gzip.decompress(index.with_name(index.name + ".gz").read_bytes()) == index.read_bytes()
    import brotli

    assert brotli.decompress(index.with_name(index.name + ".br").read_bytes()) == index.read_bytes()
    assert not (site / "assets/search-on-demand.js.br").exists()  # small files: gzip only


# One page of each type; every one is checked in every language at both widths.
PAGE_TYPES = {
    "home": "", "role": "roles/receptionist/", "path": "paths/foundations/", "lesson": "lessons/answering-fast/",
    "lesson-check": "lessons/owning-complaints-in-public/", "playbook": "playbooks/negativity/",
    "playbooks": "playbooks/", "checklist": "checklists/receptionist/", "certificate": "certificates/foundations/",
    "progress": "progress/", "roles": "roles/", "paths": "paths/", "lessons": "lessons/", "overview": "overview/",
    "share": "share/",
}
AXE_PAGES = ("home", "lesson-check", "overview", "share")
"""axe takes about a second a page: these hold every kind of widget (cards, check, tables, chart, share box)."""

WIDTHS = {"desktop": {"viewport": {"width": 1366, "height": 800}},
          "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}}

QUERIES = {"en": "complaint", "sw": "jibu", "el": "πελατη", "zh": "道歉", "ur": "جواب"}


def axe_violations(page: Any) -> list[str]:
    from browser_support import AXE

    assert AXE.is_file(), "axe-core is missing: run `bash .ci/browser-deps`"
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document,
        {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']})).violations
        .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))""")
    return list(found)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_scrolls_sideways_and_axe_finds_nothing_in_any_language(browser, base_url, width):
    options = WIDTHS[width]
    screen = options["viewport"]["width"]
    problems: list[str] = []
    with fresh_page(browser, base_url, **{key: value for key, value in options.items() if key != "viewport"}) as page:
        page.set_viewport_size(options["viewport"])
        for language, prefix in LANGUAGES.items():
            for kind, url in PAGE_TYPES.items():
                page.goto(prefix + url)
                page.wait_for_load_state("load")
                scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
                if scroll_width > screen:
                    problems.append(f"{language} {kind}: {scroll_width} px wide on a {screen} px screen")
                if kind in AXE_PAGES:
                    problems += [f"{language} {kind}: {found}" for found in axe_violations(page)]
            if width == "phone":  # the navigation drawer, open
                page.goto(prefix)
                page.locator("label.md-header__button[for=__drawer]").click()
                page.locator(".md-nav--primary .md-nav__title").first.wait_for()
                problems += [f"{language} drawer open: {found}" for found in axe_violations(page)]
            page.goto(prefix + "lessons/")
            search(page, QUERIES[language])
            problems += [f"{language} search open: {found}" for found in axe_violations(page)]
    assert not problems, "\n".join(problems)
