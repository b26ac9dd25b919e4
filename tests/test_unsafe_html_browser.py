"""What validate accepts as raw HTML never runs script in Chromium, whatever comment form hides it.

Python's ``html.parser`` reads ``<!-->``, ``<!--->``, ``--!>`` and ``<![CDATA[`` differently
from browsers; each form here is put before and around payloads that run script, and every
fragment that validate's reading of a lesson finds nothing wrong with is loaded in headless
Chromium, which must run none of it.
"""

from __future__ import annotations

import itertools

import pytest
from browser_support import chromium

from generator import markup

RUN = "window.__ran=(window.__ran||0)+1"
PAYLOADS = [
    f'<img src="x" onerror="{RUN}">',
    f"<img src=x onerror={RUN}>",
    f'<img/src="x"/onerror="{RUN}">',
    f"<script>{RUN}</script>",
    f'<svg><image href="x" onerror="{RUN}"/></svg>',
    f'<a id="go" href="javascript:{RUN}">go</a>',
    f'<a id="go" href="jav&#x09;ascript:{RUN}">go</a>',
    f'<details open ontoggle="{RUN}">x</details>',
]
WRAPPERS = [
    "{}",
    "<!--> {} -->",
    "<!---> {} -->",
    "<!-- a --!> {} -->",
    "<!-- {} -->",
    "<!-- a -- > {} -->",
    "<!-- unclosed {}",
    "<![CDATA[ x > {} ]]>",
    "<![CDATA[ {} ]]>",
    "<? x > {} ?>",
    "<! x > {}",
    "<!DOCTYPE x> {}",
    '<a title="<!--">{}</a> -->',
    "<textarea>{}</textarea>",
    "<xmp>{}</xmp>",
    "<noembed>{}</noembed>",
    "<title>{}</title>",
]
FRAGMENTS = [wrapper.format(payload) for wrapper, payload in itertools.product(WRAPPERS, PAYLOADS)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())
    yield page
    context.close()


def _runs_script(page, fragment: str) -> bool:
    """Whether Chromium runs any of ``fragment``'s script (each fragment gets a new document)."""
    page.evaluate("window.__ran = 0")  # set_content writes a new document into the same window
    page.set_content(f"<!DOCTYPE html><html><body><p>Text</p>\n{fragment}\n</body></html>")
    page.evaluate("document.getElementById('go') && document.getElementById('go').click()")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")
    return bool(page.evaluate("window.__ran || 0"))


def test_every_fragment_validate_accepts_runs_no_script_in_chromium(page):
    accepted_yet_ran = []
    ran_and_reported = 0
    for fragment in FRAGMENTS:
        reported = markup.hazards(f"Text\n\n{fragment}\n")
        ran = _runs_script(page, fragment)
        if ran and not reported:
            accepted_yet_ran.append(fragment)
        ran_and_reported += ran and bool(reported)
    assert not accepted_yet_ran
    assert ran_and_reported >= len(PAYLOADS) * 5, "the payloads must really run when nothing hides them"


@pytest.mark.parametrize("opening", ["<!-->", "<!--->", "<!-- a --!>", "<![CDATA[ x >"])
def test_the_comment_forms_browsers_end_early_are_reported_where_the_handler_stands(opening):
    body = f"Intro.\n\n{opening}\n<img src=\"a.png\"\n     onerror=\"{RUN}\"> -->\n"
    found = markup.hazards(body)
    assert [(h.line, h.col) for h in found if "onerror" in h.message] == [(5, 6)]
