"""Checks across files: references, cycles, order of due days, links, unsafe HTML, URL clashes.

Each check appends located problems; :func:`check_portal` runs them all so
that one run reports everything. The checks that need the rendered pages (links to
sections) or the engine's theme get them from a :class:`Rendering` passed in:
:func:`generator.validate.validate` gives the portal's own.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from generator import anchors, markup
from generator.errors import Problems
from generator.kinds.base import ContentKind
from generator.kinds.registry import CONTENT_KINDS, PAGE_KINDS
from generator.languages import codes, name_of
from generator.links import link_problem, place_in_field
from generator.model import Item, Lesson, Portal
from generator.references import check_references, invisible, visible
from generator.revisions import GitError, git
from generator.schedule import check_schedule
from generator.shape import closest
from generator.translations import check_translations, localize
from generator.urls import docs_path, resolve_source_link
from generator.xapi import check_learning_records
from generator.yamlio import YamlProblem

RESERVED_SLUGS = {"index"}
"""Page names the portal generates in every folder (the folder's list page)."""


@dataclasses.dataclass(frozen=True)
class Rendering:
    """What the checks need from rendering and from the site's engine, passed in by the caller.

    The checks judge links to sections on the pages as the build will make them, but
    rendering builds on the checked content: the caller joins the two.
    """

    renderer: Callable[[Portal, str | None], Any]
    """The renderer of one language's pages (``Renderer(portal, language)``); it may raise
    when the content has errors of its own."""
    docs_files: Callable[[dict[str, str]], dict[str, str | bytes]]
    """Every file of a docs folder, given the rendered pages."""
    markdown_settings: Callable[[Path], Any]
    """The ``markdown_extensions`` the build uses for the repository at a root."""
    theme_has_language: Callable[[Path, str], bool] | None = None
    """Whether the theme has interface strings for a language code (None: not checked)."""


def check_portal(
    portal: Portal, problems: Problems, rendering: Rendering | None = None, *, links: bool = True
) -> None:
    """Every cross-file check, in a stable order.

    Without ``rendering`` (or without ``links``) the links to sections of the rendered pages are not
    checked (reports render none); without ``rendering`` the theme's languages are not either.
    """
    _check_ids(portal, problems)
    for kind in CONTENT_KINDS.values():
        if not kind.needs_settings:
            _check_kind(portal, kind, problems)
    _check_markdown_fields(portal, problems)
    if portal.config is not None:  # these read settings from portal.yml, which may be the broken file
        for kind in CONTENT_KINDS.values():
            if kind.needs_settings:
                _check_kind(portal, kind, problems)
        check_schedule(portal, problems)
        check_translations(portal, problems, rendering.theme_has_language if rendering else None)
        _check_changes_since(portal, problems)
        check_learning_records(portal, problems)
        if rendering is not None and links:
            check_link_targets(portal, problems, rendering)
    problems.report_skipped()


def _check_kind(portal: Portal, kind: ContentKind, problems: Problems) -> None:
    """The ids each item names (by the fields' ``RefersTo`` marks), then the kind's own checks."""
    for item in portal.items(kind.folder).values():
        check_references(portal, item, problems)
    if kind.checks is not None:
        kind.checks(portal, problems)


def _check_changes_since(portal: Portal, problems: Problems) -> None:
    """A commit named by ``changes_since`` must be in this checkout (a date needs no check)."""
    since = portal.config.changes_since
    if not since or re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        return
    try:
        git(portal.root, "rev-parse", "--verify", "--quiet", "HEAD")
    except GitError:
        return  # outside a git checkout there is no What changed page to start
    try:
        git(portal.root, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}")
    except GitError:
        line, col = portal.config_doc.value_at(("changes_since",))
        problems.add("content/portal.yml", line, col, f"changes_since: there is no commit `{since}` in this repository",
                     hint="name a commit of this repository's history (git log --oneline content/), or a date "
                     "written YYYY-MM-DD")


def _all_items(portal: Portal) -> list[tuple[str, Item[Any]]]:
    return [(folder, item) for folder in PAGE_KINDS for item in portal.items(folder).values()]


def _check_ids(portal: Portal, problems: Problems) -> None:
    """File names are ids and URLs: they must be visible, unambiguous and unique once slugified."""
    seen: dict[tuple[str, str], Item[Any]] = {}
    for kind, item in _all_items(portal):
        names = invisible(item.id)
        if names:
            problems.add(item.source, 0, 0,
                         f"the file name `{visible(item.id)}` contains invisible or control characters ({names})",
                         hint="rename the file using visible letters, digits and hyphens")
        if item.slug in RESERVED_SLUGS:
            problems.add(item.source, 0, 0, f"`{item.id}` would replace the portal's own page {kind}/{item.slug}/",
                         hint="rename the file")
            continue
        if unicodedata.normalize("NFC", item.id) != item.id:
            problems.add(item.source, 0, 0, "the file name is not in Unicode NFC form",
                         hint="rename it; some systems wrote its accents as separate characters")
        key = (kind, item.slug)
        other = seen.get(key)
        if other is not None and unicodedata.normalize("NFC", other.id) == unicodedata.normalize("NFC", item.id):
            problems.add(item.source, 0, 0,
                         f"two files are named `{item.id}`, differing only in how their accents are stored "
                         f"(Unicode NFC and NFD); both would be published at {kind}/{item.slug}/",
                         hint="delete one of them")
        elif other is not None:
            problems.add(item.source, 0, 0,
                         f"`{visible(item.id)}` and `{visible(other.id)}` would both be published at "
                         f"{kind}/{item.slug}/",
                         hint="rename one of the files")
        else:
            seen[key] = item


def _check_markdown_fields(portal: Portal, problems: Problems) -> None:
    """Markdown written in YAML fields follows the same safety rules as lessons."""
    fields: list[tuple[Item[Any] | None, str, tuple[Any, ...], str | None]] = []
    if portal.config is not None:
        fields.append((None, "content/portal.yml", ("introduction",), portal.config.introduction))
    for kind in CONTENT_KINDS.values():
        for field in kind.markdown_fields:
            for one in portal.items(kind.folder).values():
                fields.append((one, one.source, (field,), getattr(one.data, field, None)))
    for item, source, loc, text in fields:
        if not text:
            continue
        doc = item.doc if item is not None else portal.config_doc
        found = markup.scan(text)
        leaving = [(link, link_problem(link.target)) for link in found.links]
        leaving = [(link, problem) for link, problem in leaving if problem]
        if not found.hazards and not leaving:
            continue
        place = place_in_field(portal.root / source, doc.value_at(loc), text)
        for hazard in found.hazards:
            problems.add(source, *place(hazard.line, hazard.col), f"{hazard.message} (in `{loc[-1]}`)",
                         hint="this field is Markdown; ask a developer for an approved component")
        for link, problem in leaving:
            problems.add(source, *place(link.line, link.col), f"{problem} (in `{loc[-1]}`)")


class _Site:
    """One language's pages as the build will make them, rendered only as far as the checks ask.

    A page that cannot be rendered (its content has errors of its own) cannot be
    judged: links into it are checked on the next run, once those errors are fixed.
    """

    def __init__(self, portal: Portal, language: str | None, page_ids: Callable[[str], frozenset[str]],
                 rendering: Rendering) -> None:
        self.language = language
        self._docs_files = rendering.docs_files
        self._page_ids = page_ids
        self._ids: dict[str, frozenset[str] | None] = {}
        self._everything: dict[str, str] | None = None
        self._renderer: Any = None
        if portal.config is not None:
            try:
                self._renderer = rendering.renderer(portal, language)
            except Exception:  # content with errors of its own; reported elsewhere
                self._renderer = None
        if self._renderer is not None:
            self.portal = self._renderer.portal
        else:
            self.portal = localize(portal, language) if language and portal.config is not None else portal

    def renderer(self) -> Any:
        return self._renderer

    def ids(self, kind: str, item: Item[Any]) -> frozenset[str] | None:
        """The ids of the page of ``item`` (a role, path, lesson or playbook of this language)."""
        docs = docs_path(kind, item)
        if docs not in self._ids:
            text = None
            renderer = self.renderer()
            if renderer is not None:
                try:
                    text = renderer.item_pages(kind, item).get(docs)
                except Exception:  # a page whose references are broken; reported elsewhere
                    text = None
            if text is None and kind == "lessons":
                text = f"# {item.data.title}\n\n{item.body}"  # type: ignore[attr-defined]
            self._ids[docs] = None if text is None else self._page_ids(_without_front_matter(text))
        return self._ids[docs]

    def docs(self) -> dict[str, str] | None:
        """Every file of this language's docs folder (``{path: text}``), or None when it cannot be rendered."""
        if self._everything is None:
            renderer = self.renderer()
            if renderer is None:
                return None
            try:
                files = self._docs_files(renderer.render())
            except Exception:  # content with errors of its own; reported elsewhere
                self._renderer = None
                return None
            self._everything = {rel: text if isinstance(text, str) else "" for rel, text in files.items()}
        return self._everything

    def ids_of_docs(self, docs: str) -> frozenset[str] | None:
        if docs not in self._ids:
            pages = self.docs()
            text = None if pages is None else pages.get(docs)
            self._ids[docs] = None if text is None else self._page_ids(_without_front_matter(text))
        return self._ids[docs]


def _without_front_matter(page: str) -> str:
    if page.startswith("---\n"):
        end = page.find("\n---\n", 4)
        if end >= 0:
            return page[end + 5:]
    return page


def _page_ids_function(portal: Portal, rendering: Rendering) -> Callable[[str], frozenset[str]]:
    """How the build gives a page its ids: Python-Markdown with the generated project's settings.

    Without them (no readable mkdocs.yml, an extension that is not installed) the
    headings are read directly, close to what Python-Markdown does.
    """
    try:
        configured = rendering.markdown_settings(portal.root)
    except (OSError, ValueError, YamlProblem):
        configured = None
    try:
        return anchors.page_ids_for(anchors.settings_key(anchors.markdown_settings(configured)))
    except Exception:  # an extension the build could not load either; MkDocs says so
        return lambda text: frozenset(markup.page_anchors(None, text))


@dataclasses.dataclass
class _Misses:
    """One link to a section, and the languages whose page lacks that section."""

    checked: list[str] = dataclasses.field(default_factory=list)
    missing: list[tuple[str, frozenset[str], str | None]] = dataclasses.field(default_factory=list)
    """(language, the page's ids there, the translation file of the page there)."""


def check_link_targets(portal: Portal, problems: Problems, rendering: Rendering) -> None:
    """Every link to a section, in every language's pages, leads to a section the build will find.

    The pages of each language are what its readers get: translated lessons, and the
    source's lessons where no translation exists, linking to the pages of that
    language (translated or not). Each problem is reported once, at the link in the
    file that holds it (the translation or the source), naming the languages whose
    page lacks the section when not all of them do.
    """
    page_ids = _page_ids_function(portal, rendering)
    languages = codes(portal) if portal.config is not None else [None]
    found: dict[tuple[str, int, int, str], _Misses] = {}
    for language in languages:
        site = _Site(portal, language, page_ids, rendering)
        for lesson in site.portal.lessons.values():
            for line, col, kind, item, anchor in _links_to_sections(site.portal, lesson):
                _judge(site, found, (lesson.source, line, col, anchor), kind, item, anchor)
        for source, place, text, here in _markdown_fields(site.portal, portal):
            for link in markup.scan(text).links:
                _judge_field_link(site, problems, found, source, place, here, link)
    names = {code: name_of(portal, code) for code in languages if code}
    for (source, line, col, anchor), misses in found.items():
        if not misses.missing:
            continue
        _, ids, _ = misses.missing[0]
        guess = closest(anchor, ids)
        message = f"there is no section `#{anchor}` in that page"
        hint = None if guess else _sections_hint(ids)
        if len(misses.missing) < len(misses.checked):
            where = ", ".join(f"{names.get(code, code)} ({code})" for code, _, _ in misses.missing)
            message += f" in {where}"
            translations = [file for _, _, file in misses.missing if file]
            if translations:
                files = ", ".join(translations)
                hint = (f"the translation{'s' if len(translations) > 1 else ''} {files} "
                        f"name{'' if len(translations) > 1 else 's'} that heading differently: keep the source's id "
                        f"there by ending the heading with {{#{anchor}}}")
        problems.add(source, line, col, message + (f"; did you mean `#{guess}`?" if guess else ""), hint=hint)


def _judge(site: _Site, found: dict[tuple[str, int, int, str], _Misses], key: tuple[str, int, int, str],
           kind: str, item: Item[Any], anchor: str) -> None:
    ids = site.ids(kind, item)
    if ids is None:
        return
    misses = found.setdefault(key, _Misses())
    language = site.language or ""
    if language in misses.checked:
        return
    misses.checked.append(language)
    if anchor not in ids:
        translated = item.source if (kind, item.id) not in site.portal.fallbacks and site.portal.language else None
        misses.missing.append((language, ids, translated))


def _links_to_sections(portal: Portal, lesson: Lesson) -> list[tuple[int, int, str, Item[Any], str]]:
    """(line, col, kind, item, anchor) of every link from ``lesson`` to a section of a page."""
    result = []
    for link in markup.scan(lesson.body).links:
        if link_problem(link.target) is not None:
            continue  # not into content, or reported as it is
        found = resolve_source_link(portal, link.target)
        if found is None or not found[2]:
            continue
        kind, item, anchor = found
        if kind == "self":
            kind, item = "lessons", lesson
        result.append((link.line + lesson.body_line - 1, link.col, kind, item, anchor))
    return result


def _markdown_fields(
    portal: Portal, source_portal: Portal
) -> list[tuple[str, Callable[[int, int], tuple[int, int]], str, str]]:
    """(file, place in it, text, docs path of the page it lands on) of every Markdown field of
    ``portal`` (one language's); a field a translation leaves out is the source's, in the source file."""
    fields: list[tuple[str, Any, Any, tuple[Any, ...], str | None, str]] = []
    if portal.config is not None:
        source = "content/portal.yml"
        if portal.language and ("portal", "") not in portal.fallbacks:
            source = f"content/portal.{portal.language}.yml"
        fields.append((source, portal.config_doc, ("content/portal.yml", source_portal.config_doc), ("introduction",),
                       portal.config.introduction, "index.md"))
    for folder, field in ((kind.folder, field) for kind in CONTENT_KINDS.values() for field in kind.markdown_fields):
        for item in portal.items(folder).values():
            original = source_portal.items(folder)[item.id]
            fields.append((item.source, item.doc, (original.source, original.doc), (field,),
                           getattr(item.data, field, None), docs_path(folder, item)))
    result = []
    for source, doc, (original_source, original_doc), loc, text, here in fields:
        if not text:
            continue
        if tuple(loc) not in doc.values:
            source, doc = original_source, original_doc  # left out of the translation: the source's text
        result.append((source, place_in_field(portal.root / source, doc.value_at(loc), text), text, here))
    return result


def _judge_field_link(site: _Site, problems: Problems, found: dict[tuple[str, int, int, str], _Misses],
                      source: str, place: Callable[[int, int], tuple[int, int]], here: str,
                      link: markup.Link) -> None:
    """A link in a Markdown field is relative to the page the field is shown on, as MkDocs reads it."""
    if link_problem(link.target) is not None:
        return  # reported with the field's other problems, or not a link into the site
    path, _, anchor = link.target.partition("#")
    path = urllib.parse.unquote(path.partition("?")[0])
    docs = posixpath.normpath(posixpath.join(posixpath.dirname(here), path)) if path else here
    pages = site.docs()
    if pages is None:
        return
    line, col = place(link.line, link.col)
    if docs not in pages:
        key = (source, line, col, "")
        if key not in found:  # once, not once per language
            found[key] = _Misses()
            if link.image:  # as in a lesson: a picture is no page, and none can come from content/
                problems.add(source, line, col, f"picture `{link.target}` is not part of the portal",
                             hint="pictures cannot come from content/; describe it in words or ask a developer")
                return
            page = here[: -len(".md")] + "/" if here != "index.md" else "the home page"
            problems.add(source, line, col, f"link `{link.target}` points to a page that does not exist",
                         hint=f"links in this field are relative to the page it is shown on ({page}), "
                         "e.g. `../lessons/<id>.md`")
        return
    if not anchor:
        return
    ids = site.ids_of_docs(docs)
    if ids is None:
        return
    misses = found.setdefault((source, line, col, anchor), _Misses())
    language = site.language or ""
    if language not in misses.checked:
        misses.checked.append(language)
        if anchor not in ids:
            misses.missing.append((language, ids, None))


def _sections_hint(anchors: Collection[str]) -> str | None:
    shown = sorted(a for a in anchors if not a.startswith("_"))[:12]
    return ("sections there: " + ", ".join(f"#{a}" for a in shown)) if shown else None
