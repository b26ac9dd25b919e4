"""The generator's own pass over a built site, whichever engine built it.

The ``advocacy-portal`` plugin sanitizes each page's HTML, isolates left-to-right runs in
right-to-left pages and prepares the search index while MkDocs builds. An engine that runs no
MkDocs plugin (Zensical) would publish the pages as Markdown left them, ``onerror=`` and
``javascript:`` included. This pass does the same work on the files the engine wrote:

- each page's own HTML (between the ``<!--portal-content-->`` marks that
  ``overrides/partials/content.html`` writes) gets the plugin's treatment: bidi isolation in a
  right-to-left language, then :func:`generator.sanitize.sanitize`;
- every tag of every HTML file, inside the marks or not, loses event-handler attributes and
  ``javascript:``/``vbscript:`` URLs (the theme writes none; what is left is a page's content
  that reached the theme some other way, such as a heading in the table of contents);
- links the generator resolved itself (:data:`PAGE_LINK`) become links;
- ``<html>`` gets ``dir="rtl"`` in a right-to-left language;
- the theme's search dialog gets a name when the theme left it unnamed (see :func:`name_search_dialog`);
- the search index's entries are sanitized and get the portal's options (stemmer, infix);
- source maps are removed.

The pass is idempotent: over a site the plugin already treated, it changes no byte, so it can
always run. Where it changes a file it removes the file's precompressed copies, which
:func:`generator.precompress.precompress` then writes again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generator.bidi import isolate_html
from generator.languages import SEARCH, direction
from generator.sanitize import sanitize
from generator.urls import PAGE_LINK

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

_CONTENT = re.compile(r'<!--portal-content(?: lang="([A-Za-z0-9-]*)")?-->')
_CONTENT_END = "<!--/portal-content-->"
_SUSPECT = re.compile(r"\son[a-z]+\s*=|script\s*:|<[^<>]*&(?:#|[a-z]+;)", re.IGNORECASE)
"""What a page holding a handler or a script URL contains (a script URL may be written with
character references); pages without it are not parsed."""
_SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset",
                             "background", "cite", "ping"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_PAGE_LINK = re.compile(rf'\b{PAGE_LINK}="([^"<>]*)"')
_SAFE_URL = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|//)[^\s\\]*\Z")
SEARCH_INDEXES = ("search/search_index.json", "search.json")
"""Where MkDocs' search plugin and Zensical write the search index, below a language's site."""


@dataclasses.dataclass
class PassReport:
    pages: int = 0
    """HTML files read."""
    changed: list[str] = dataclasses.field(default_factory=list)
    """Files the pass rewrote (relative to the site), which the engine had left unsafe or unprepared."""
    unmarked: list[str] = dataclasses.field(default_factory=list)
    """Pages without the content marks (a theme without the portal's overrides): only the
    handlers and script URLs were removed from them, not sanitized as a whole."""

    def merge(self, other: PassReport) -> None:
        """Add ``other``'s figures (another part of the same site) to this report."""
        self.pages += other.pages
        self.changed += other.changed
        self.unmarked += other.unmarked


def search_options(language: str) -> tuple[str | None, bool]:
    """The index language (a stemmer MkDocs does not know) and infix search for ``language``."""
    settings = SEARCH.get(language) or SEARCH.get(language.split("-")[0]) or {}
    return settings.get("index_lang"), bool(settings.get("infix", False))


def finish_site(site_dir: Path, language: str, *, skip: Iterable[str] = ()) -> PassReport:
    """Run the pass over one language's built site.

    ``skip``: folders below ``site_dir`` that hold other sites (the other languages, published
    below the default one's root), left to their own pass.
    """
    skipped = tuple(f"{folder.strip('/')}/" for folder in skip)
    files = [rel for rel in site_files(site_dir) if not rel.startswith(skipped)]
    report = finish_files(site_dir, language, files)
    report.changed += finish_search(site_dir, language)
    warn_unmarked(report)
    return report


def site_files(site_dir: Path) -> list[str]:
    """Every file below ``site_dir``, as sorted paths relative to it."""
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())


def finish_files(site_dir: Path, language: str, files: Iterable[str]) -> PassReport:
    """The pass over some of a language's files (``files``: relative to ``site_dir``), the search
    index left out: pages are finished, source maps removed, anything else left alone.

    Each file is done on its own, so a site's files may be shared among processes.
    """
    right_to_left = direction(language) == "rtl"
    report = PassReport()
    for rel in files:
        path = site_dir / rel
        if path.suffix == ".map":
            path.unlink()
            report.changed.append(rel)
            continue
        if path.suffix != ".html":
            continue
        report.pages += 1
        text = path.read_text("utf-8")
        finished, marked = finish_page(text, right_to_left=right_to_left)
        if not marked and path.name != "404.html":  # the theme's own page: no page content in it
            report.unmarked.append(rel)
        if finished != text:
            _rewrite(path, finished)
            report.changed.append(rel)
    return report


def finish_search(site_dir: Path, language: str) -> list[str]:
    """Prepare a language's search index (see :func:`finish_search_index`); the files it changed."""
    index_lang, infix = search_options(language)
    return [name for name in SEARCH_INDEXES
            if (site_dir / name).is_file()
            and finish_search_index(site_dir / name, language=index_lang, infix=infix)]


def warn_unmarked(report: PassReport) -> None:
    """Say how many pages the pass could not fully sanitize (a theme without the portal's marks)."""
    if report.unmarked:
        log.warning(f"{len(report.unmarked)} page(s) without the portal's content marks (is overrides/ "
                    f"the theme's custom_dir?): only event handlers and script URLs were removed from them")


def finish_portal(site_dir: Path, language_codes: list[str]) -> list[PassReport]:
    """Run the pass over a portal's site: the first language at ``site_dir``, the others below it."""
    reports = []
    for index, language in enumerate(language_codes):
        if index == 0:
            reports.append(finish_site(site_dir, language, skip=language_codes[1:]))
        else:
            reports.append(finish_site(site_dir / language, language))
    return reports


def finish_page(html: str, *, right_to_left: bool = False) -> tuple[str, bool]:
    """One built page after the pass, and whether it had the content marks."""
    start = _CONTENT.search(html)
    end = html.rfind(_CONTENT_END)
    marked = start is not None and end >= start.end()
    if start is not None and marked:
        # The first opening and the last closing mark: a page cannot end its own region early.
        content = html[start.end():end]
        if right_to_left:
            content = isolate_html(content, start.group(1) or "")
        html = html[:start.end()] + sanitize(content) + html[end:]
    html = resolve_page_links(html)
    if _SUSPECT.search(html):
        html = scrub_handlers(html)
    if right_to_left:
        html = _html_right_to_left(html)
    return name_search_dialog(html), marked


_SEARCH_DIALOG = re.compile(r'<div\b[^<>]*\bdata-md-component="search"[^<>]*>')
_SEARCH_OPTIONS = re.compile(r'<nav class="md-search__options" aria-label="([^"<>]+)"')
_LABEL = re.compile(r'\baria-label="([^"<>]+)"')


def name_search_dialog(html: str) -> str:
    """Name the search dialog of a theme that leaves it unnamed, with the theme's own word for search.

    Material 9 marks its search box ``role="dialog"`` without a name (screen readers announce
    just "dialog"). Rather than replace the theme's search markup, which differs between engines
    (Zensical's names its dialog and builds the box in its script), the name is added to the
    built page where it is missing: the label of the dialog's search options, else the first
    label inside it.
    """
    found = _SEARCH_DIALOG.search(html)
    if found is None:
        return html
    tag = found.group()
    if 'role="dialog"' not in tag or "aria-label" in tag:
        return html
    inside = html[found.end():found.end() + 4000]
    label = _SEARCH_OPTIONS.search(inside) or _LABEL.search(inside)
    if label is None:
        return html
    named = f'{tag[:-1]} aria-label="{label.group(1)}">'
    return html[:found.start()] + named + html[found.end():]


def resolve_page_links(html: str) -> str:
    """Make each :data:`PAGE_LINK` the ``href`` it carries (a relative URL; anything else is dropped)."""
    if PAGE_LINK not in html:
        return html

    def link(match: re.Match[str]) -> str:
        return f'href="{match.group(1)}"' if _SAFE_URL.match(match.group(1)) else ""

    return _PAGE_LINK.sub(link, html)


def _html_right_to_left(html: str) -> str:
    """``dir="rtl"`` on ``<html>`` too (the plugin's ``on_post_page`` does the same)."""
    start = html.find("<html ")
    end = html.find(">", start)
    if start != -1 and end != -1 and " dir=" not in html[start:end]:
        html = f'{html[:end]} dir="rtl"{html[end:]}'
    return html


class _Tags(HTMLParser):
    """Start tags with their place in the text, to rewrite only those that need it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []
        self._lines: list[int] = [0]

    def feed_text(self, text: str) -> None:
        position = 0
        for line in text.split("\n"):  # as the parser counts lines
            position += len(line) + 1
            self._lines.append(position)
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(_unsafe(name, value) for name, value in attrs):
            raw = self.get_starttag_text() or ""
            start = self._offset()
            self.unsafe.append((start, start + len(raw), tag, attrs))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)


def _unsafe(name: str, value: str | None) -> bool:
    if name.startswith("on"):
        return True
    return name in _URL_ATTRIBUTES and value is not None and bool(_SCRIPT_URL.search(_INVISIBLE.sub("", value)))


def scrub_handlers(html: str) -> str:
    """``html`` with every event-handler attribute and ``javascript:`` URL taken out of its tags.

    Only the tags holding one are rewritten; every other byte stays as it was.
    """
    import html as html_module

    tags = _Tags()
    tags.feed_text(html)
    if not tags.unsafe:
        return html
    out, last = [], 0
    for start, end, tag, attrs in tags.unsafe:
        kept = "".join(
            f" {name}" if value is None else f' {name}="{html_module.escape(value, quote=True)}"'
            for name, value in attrs if not _unsafe(name, value)
        )
        closing = "/>" if html[start:end].endswith("/>") else ">"
        out += [html[last:start], f"<{tag}{kept}{closing}"]
        last = end
    out.append(html[last:])
    return "".join(out)


def finish_search_index(index: Path, *, language: str | None = None, infix: bool = False) -> bool:
    """Sanitize the text of every entry of a search index and set the portal's options in it.

    Returns whether the file changed. It is rewritten only then, so an index that needed nothing
    keeps the engine's own bytes.
    """
    from generator.search import stemmer_available

    try:
        data: Any = json.loads(index.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    changed = False
    for entry in data.get("docs") or data.get("items") or []:
        if not isinstance(entry, dict):
            continue
        for field in ("title", "text"):
            value = entry.get(field)
            if isinstance(value, str) and _needs_cleaning(value):
                cleaned = sanitize(value)
                if cleaned != value:
                    entry[field] = cleaned
                    changed = True
    config = data.setdefault("config", {}) if "docs" in data else None
    if isinstance(config, dict):
        if language is not None and stemmer_available(language) and config.get("lang") != [language]:
            config["lang"] = [language]
            changed = True
        if infix and config.get("portal") != {"infix": True}:
            config["portal"] = {"infix": True}
            changed = True
    if changed:
        _rewrite(index, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return changed


_MARKUP = re.compile(r"<[a-zA-Z!/?]|&#|&[a-z]+;")


def _needs_cleaning(text: str) -> bool:
    """Whether search text could hold a tag or script at all (most entries are plain words)."""
    return bool(_MARKUP.search(text)) and sanitize(text) != text


def _rewrite(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")
    for copy in (path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")):
        copy.unlink(missing_ok=True)


def locate_warnings(messages: Iterable[str], pages: dict[str, str | bytes], root: Path | None) -> list[str]:
    """An engine's warnings about generated pages as ``path:line:col: message`` about content files.

    ``pages`` is a language's generated docs (``{docs path: text}``, as ``prepare_project``
    returns them): each names its content file in its front matter (``portal_source``). What is
    not about a generated page is returned as it was. The plugin does this while MkDocs logs;
    an engine without plugins leaves its output for this.
    """
    from generator.buildlog import SourceMap

    sources = SourceMap(root)
    for docs_path, text in pages.items():
        source = _front_matter_source(text) if docs_path.endswith(".md") else None
        if source:
            sources.add(docs_path, source)
    return [sources.locate(message) or message for message in messages]


def _front_matter_source(text: str | bytes) -> str | None:
    if isinstance(text, bytes) or not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    try:
        meta = json.loads(text[4:end])  # the renderer writes its front matter as JSON
    except ValueError:
        return None
    source = meta.get("portal_source") if isinstance(meta, dict) else None
    return source if isinstance(source, str) else None


SHARED_THEME_FILES = ("assets/javascripts/", "assets/stylesheets/", "assets/images/favicon.png")
"""The theme's files that are the same in every language's site (as ``generator.plugin.SHARED_THEME_ASSETS``)."""
_THEME_URL = re.compile(r"""(?<=["'(])(?:\./|(?:\.\./)+)?assets/(?:javascripts/|stylesheets/|images/favicon\.png)""")


def share_theme_assets(site_dir: Path, language_codes: list[str]) -> list[str]:
    """Let the languages below the first one use its copy of the theme; returns those that now do.

    On MkDocs the plugin's ``theme_assets`` option does this while building; an engine without
    plugins (Zensical) gives every language its own copy of the theme's scripts and styles,
    about a megabyte each. Where a language's copy is byte for byte the first language's, its
    pages' relative links to it are pointed one folder up and the copy is removed; a language
    whose copy differs in any file (another theme version, say) keeps it whole.
    """
    shared: list[str] = []
    for language in language_codes[1:]:
        site = site_dir / language
        own = [path for path in sorted(site.rglob("*")) if path.is_file()
               and path.relative_to(site).as_posix().startswith(SHARED_THEME_FILES)]
        if not own:
            continue  # none to share: the plugin left them out already
        if any(_differs(path, site_dir / path.relative_to(site)) for path in own):
            log.debug(f"{language}: its copy of the theme differs from the first language's, kept")
            continue
        for page in sorted(site.rglob("*.html")):
            text = page.read_text("utf-8")
            pointed = _point_up(text, page.parent.relative_to(site).as_posix())
            if pointed != text:
                _rewrite(page, pointed)
        for path in own:
            path.unlink()
        for folder in sorted({path.parent for path in own}, key=lambda folder: len(folder.parts), reverse=True):
            while folder != site and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shared.append(language)
    return shared


def _differs(path: Path, other: Path) -> bool:
    return not other.is_file() or other.read_bytes() != path.read_bytes()


def _point_up(html: str, folder: str) -> str:
    """``html`` (a page in ``folder`` of a language's site) with its relative links to the language's
    own theme files pointed at the same files in the site one folder up."""
    import posixpath

    depth = 0 if folder in ("", ".") else folder.count("/") + 1

    def up(match: re.Match[str]) -> str:
        url = match.group()
        resolved = posixpath.normpath(posixpath.join(folder, url)) + ("/" if url.endswith("/") else "")
        if not resolved.startswith(SHARED_THEME_FILES):
            return url  # not this language's own copy (a link that leaves the language already)
        return "../" * (depth + 1) + resolved

    return _THEME_URL.sub(up, html)
