"""Where the links of a built site lead: a checker any engine's output can be run through.

Every relative URL in ``href``/``src`` of every HTML file is resolved against the page that holds
it, as a browser would. A link *leaves the site* when it climbs above the site's root (or starts
with ``/``, which below a sub-path is another site); it is *missing* when no file of the site is
there (a folder counts when it holds ``index.html``). Links with a scheme (``https:``,
``mailto:``) and in-page anchors are not the site's to check.

Run it as a script to print the counts and the broken links of a folder::

    python tests/site_links.py site/ [--ignore sw/ --ignore el/]
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINKING = {"href", "src"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _LINKING and value is not None:
                self.urls.append((tag, value))


@dataclasses.dataclass
class LinkReport:
    total: int = 0
    """Links to a place in the site (relative or root-absolute URLs, not only an anchor)."""
    outside: list[str] = dataclasses.field(default_factory=list)
    """``page: url`` of the links that climb above the site's root or start with ``/``."""
    missing: list[str] = dataclasses.field(default_factory=list)
    """``page: url`` of the links to a file the site does not hold."""

    @property
    def broken(self) -> int:
        return len(self.outside) + len(self.missing)


def _exists(site: Path, target: str) -> bool:
    path = site / target if target else site
    if target == "" or target.endswith("/"):
        return (path / "index.html").is_file()
    return path.is_file() or (path / "index.html").is_file()


NOT_A_PAGE = ("404.html",)
"""Served at whatever address was not found, so engines write its links from the server's root."""


def check_links(site: Path, *, ignore: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> LinkReport:
    """Resolve every internal link of every HTML file below ``site`` (but the 404 pages).

    ``ignore``: targets (relative to ``site``) starting with one of these are counted but not
    judged, e.g. the other languages' folders when only one language was built. ``tags``: only
    links of these elements (e.g. ``("a",)``); all by default.
    """
    report = LinkReport()
    for page in sorted(site.rglob("*.html")):
        here = page.relative_to(site).as_posix()
        if page.name in NOT_A_PAGE:
            continue
        parser = _Links()
        parser.feed(page.read_text("utf-8", errors="replace"))
        for tag, url in parser.urls:
            if tags and tag not in tags:
                continue
            if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
                continue
            report.total += 1
            path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
            if path.startswith("/"):
                report.outside.append(f"{here}: {url}")
                continue
            joined = posixpath.join(posixpath.dirname(here), path)
            target = posixpath.normpath(joined) if joined else "."
            if target == ".." or target.startswith("../"):
                report.outside.append(f"{here}: {url}")
                continue
            target = "" if target == "." else target + ("/" if path.endswith("/") else "")
            if target.startswith(ignore) and ignore:
                continue
            if not _exists(site, target):
                report.missing.append(f"{here}: {url}")
    return report


class _Navigation(HTMLParser):
    """The links of the theme's main navigation (``nav.md-nav--primary``, nested lists included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open <nav> elements, counted from the primary one
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and (self.depth or "md-nav--primary" in (dict(attrs).get("class") or "").split()):
            self.depth += 1
        elif tag == "a" and self.depth:
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def navigation(site: Path, page: str = "index.html") -> list[tuple[str, str]]:
    """``(address, text)`` of each link in the main navigation of ``page``, as a browser reads them.

    The address is the target relative to the site's root (``./share/`` and ``share/`` on the
    home page are both ``share/``; entities are decoded), so engines that spell the same
    link differently give the same list. Links with a scheme are kept as written.
    """
    parser = _Navigation()
    parser.feed((site / page).read_text("utf-8"))
    base = posixpath.join("/", posixpath.dirname(page), "")  # a page's links are relative to its folder
    return [(url if _SCHEME.match(url) else urllib.parse.urljoin(base, url).lstrip("/"), text)
            for url, text in parser.links]


def main(argv: list[str]) -> int:
    args, ignore = [], []
    iterator = iter(argv)
    for arg in iterator:
        if arg == "--ignore":
            ignore.append(next(iterator))
        else:
            args.append(arg)
    report = check_links(Path(args[0]), ignore=tuple(ignore))
    for line in report.outside:
        print(f"outside: {line}")
    for line in report.missing:
        print(f"missing: {line}")
    print(f"{report.total} internal links, {len(report.outside)} leave the site, {len(report.missing)} missing")
    return 1 if report.broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
