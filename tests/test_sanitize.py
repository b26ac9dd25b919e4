"""The sanitizer: the same result whether pages are cleaned here or in a second process."""

from __future__ import annotations

from dataclasses import dataclass

from generator.sanitize import Sanitizer, sanitize

UNSAFE = [
    '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:x()">link</a></p>',
    '<div class="admonition note" data-portal-check="1"><p>Kept</p><iframe src="https://evil.example"></iframe></div>',
    '<img src="data:image/png;base64,AAAA" alt="x"><style>body{}</style><p>Ünïcode 中文 اردو</p>',
]


@dataclass
class Page:
    content: str = ""


def pages(count: int) -> list[tuple[Page, str]]:
    return [(Page(), UNSAFE[n % len(UNSAFE)] + f"<p>page {n}</p>") for n in range(count)]


def test_a_second_process_cleans_pages_exactly_as_this_one_does():
    sanitizer = Sanitizer(parallel=True)
    sanitizer.START, sanitizer.BATCH = 4, 3  # a small site behaves like a large one
    given = pages(20)
    try:
        for page, html in given:
            page.content = sanitizer.add(page, html)
        assert sanitizer._worker is not None, "the second process started"
        sanitizer.finish()
    finally:
        sanitizer.close()
    for page, html in given:
        assert page.content == sanitize(html)
        assert "script" not in page.content and "onclick" not in page.content and "javascript:" not in page.content


def test_pages_are_still_cleaned_when_the_second_process_dies():
    sanitizer = Sanitizer(parallel=True)
    sanitizer.START, sanitizer.BATCH = 2, 100
    given = pages(10)
    try:
        for page, html in given[:5]:
            page.content = sanitizer.add(page, html)
        assert sanitizer._worker is not None
        sanitizer._worker.process.kill()
        sanitizer._worker.process.wait()
        sanitizer.BATCH = 1
        for page, html in given[5:]:
            page.content = sanitizer.add(page, html)
        sanitizer.finish()
    finally:
        sanitizer.close()
    assert [page.content for page, _ in given] == [sanitize(html) for _, html in given]


def test_with_one_core_pages_are_cleaned_at_once():
    sanitizer = Sanitizer(parallel=False)
    page, html = pages(1)[0]
    assert sanitizer.add(page, html) == sanitize(html)
