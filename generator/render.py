"""Turn a checked :class:`~generator.model.Portal` into the pages of a documentation site.

``render(portal)`` returns ``{docs path: Markdown text}``; nothing here knows
about MkDocs beyond writing Markdown that any MkDocs-like engine reads.

Every value from content is escaped where it lands: the template
environment's *finalizer* escapes each ``{{ value }}`` for Markdown and HTML
unless it is already :class:`~markupsafe.Markup`, and the ``h`` filter escapes
for HTML blocks (where Markdown is not parsed). Fields that *are* Markdown
(a lesson body, a role's ``social_media``) pass through ``md``; the checks
have refused unsafe HTML in them and the built page is sanitized again.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import anchors, answerkey, hr, learning, markup, posts
from generator.diff import Wording
from generator.history import history_of
from generator.kinds.registry import PAGE_KINDS, PLAYBOOK_KINDS, by_page_kind
from generator.languages import direction
from generator.lookup import TEMPLATES, USER_TEMPLATES, Messages
from generator.memory import collector_paused
from generator.model import Item, Lesson, Portal
from generator.translations import fallback_meta, localize
from generator.urls import PAGE_LINK, docs_path, folder_of, relative_href, relative_md, resolve_source_link

NAV_LIST_LIMIT = 20
"""Most items a navigation section lists one by one (the sample has 11 roles); a larger
collection is reached through its index page, which filters."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_text(value: Any) -> Markup:
    """Plain text made safe for a Markdown line: HTML-escaped and Markdown punctuation escaped."""
    return _md_text(str(value))


@functools.lru_cache(maxsize=65536)
def _md_text(text: str) -> Markup:
    text = " ".join(text.split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


def html_text(value: Any) -> Markup:
    """Plain text made safe inside an HTML block or attribute."""
    return _html_text(str(value))


@functools.lru_cache(maxsize=65536)
def _html_text(text: str) -> Markup:
    return Markup(html.escape(" ".join(text.split()), quote=True))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return md_text(value)


def page_link(from_docs: str, to_docs: str, text: str) -> str:
    """``<a>`` from one page to another in raw HTML, for tables too large to write in Markdown.

    A Markdown link inside HTML needs ``markdown="1"`` on every element around it, and at
    thousands of rows Python-Markdown's parsing of such a table took seconds a page. No raw
    ``href`` suits every engine (MkDocs leaves it as written, Zensical reads it as relative to
    the source file), so the URL the page needs goes into an attribute no engine rewrites and
    becomes the ``href`` after the build. ``text`` is HTML."""
    return f'<a {PAGE_LINK}="{html_text(relative_href(from_docs, to_docs))}">{text}</a>'


_TEMPLATE_SETTINGS: dict[str, Any] = {
    "autoescape": False, "keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True,
}
_PAGE_TEMPLATES: dict[str, bytes] = {}
"""The page templates compiled in this process, shared by every renderer (one per language, and
one per rebuild in ``portal serve``)."""
_KEPT: set[tuple[Path, str]] = set()
"""(cache folder, template key) already on disk."""


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates, kept in ``compiled`` for the process and, with a
    ``folder``, on disk between runs.

    Jinja checks each entry against the template's source (and its own and Python's
    version), so an edited template is compiled again. Entries are not keyed by the
    environment's settings, which shape the compiled code: give each kind of environment
    its own ``compiled`` and ``folder``.
    """

    def __init__(self, compiled: dict[str, bytes], folder: Path | None = None) -> None:
        self.compiled, self.folder = compiled, folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            self._keep(bucket.key, data)  # perhaps compiled for another repository of this process
        elif self.folder is not None:
            try:
                data = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
            _KEPT.add((self.folder, bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            _KEPT.discard((self.folder, bucket.key))  # newly compiled: what is on disk is older
            self._keep(bucket.key, data)

    def _keep(self, key: str, data: bytes) -> None:
        if self.folder is None or (self.folder, key) in _KEPT:
            return
        _KEPT.add((self.folder, key))
        try:  # a read-only checkout simply compiles again next time
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}"
            tmp.write_bytes(data)
            tmp.replace(self.folder / key)
        except OSError:
            pass


def _page_templates_folder(root: Path) -> Path:
    """Where the page templates compiled for ``root`` are kept: compiling them was a tenth of
    the generator's time in every process. The name changes with the settings that shape the
    compiled code."""
    settings = json.dumps([jinja2.__version__, sorted(_TEMPLATE_SETTINGS.items())])
    digest = hashlib.sha256(settings.encode()).hexdigest()[:12]
    return root / ".portal" / "cache" / f"templates-{digest}"  # .portal: project.GENERATED_DIR


class Renderer:
    """One Jinja environment for a portal and a language; user templates win over built-in ones."""

    def __init__(self, portal: Portal, language: str | None = None) -> None:
        self.language = language or portal.config.default_language
        self.source_portal = portal
        """The portal in its source language: generated section ids come from its text."""
        self.portal = portal = localize(portal, self.language)
        user_dir = portal.root / USER_TEMPLATES
        loaders: list[jinja2.BaseLoader] = []
        if user_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(user_dir)))
        loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=CompiledTemplates(_PAGE_TEMPLATES, _page_templates_folder(portal.root)),
            **_TEMPLATE_SETTINGS,
        )
        self.t = Messages(self.language, [user_dir / "messages"] if user_dir.is_dir() else [])
        # `split` as MiniJinja has it built in: the templates keep to what both engines offer.
        self.env.filters.update(h=html_text, md=lambda v: Markup(str(v)), text=md_text, tojson=_tojson,
                                split=lambda value, separator: str(value).split(separator))
        self.env.globals.update(t=self.t, portal=portal, config=portal.config, source_of=self.source_of,
                                source_ids=self.source_ids, foreign=self.foreign)
        self._fragments: dict[tuple[str, str, bool], Markup] = {}
        self._links: dict[tuple[str, str, bool], str] = {}

    def source_of(self, item: Item[Any]) -> Item[Any]:
        """``item`` as written in the source language (itself when this is the source language)."""
        for kind in PAGE_KINDS:
            if self.portal.items(kind).get(item.id) is item:
                return self.source_portal.items(kind)[item.id]
        return item

    def source_ids(self, things: Any, field: str) -> list[str]:
        """Ids for headings that show ``field`` of each of ``things`` (items, or plain objects of a
        source item), from the source language's text: the same in every language."""
        texts = []
        for thing in things:
            data = self.source_of(thing).data if isinstance(thing, Item) else thing
            texts.append(getattr(data, field))
        return section_ids(texts)

    def foreign(self, kind: str, item: Item[Any]) -> Markup:
        """`` lang=".." dir=".."`` for an element holding text of ``item`` (of content ``kind``,
        e.g. ``lessons``) when this language shows it untranslated; else nothing."""
        if (kind, item.id) not in self.portal.fallbacks:
            return Markup("")
        default = self.portal.config.default_language
        return Markup(f' lang="{html_text(default)}" dir="{direction(default)}"')

    # --- where things are --------------------------------------------------------------------

    docs_path = staticmethod(docs_path)

    def source_resolver(self, lesson: Lesson) -> Callable[[str], str | None]:
        """Map a link written in a lesson source to the generated page it means (None: leave it)."""
        here = self.docs_path("lessons", lesson)

        def resolve(target: str) -> str | None:
            found = resolve_source_link(self.portal, target)
            if found is None:
                return None
            kind, item, anchor = found
            if kind == "self":
                return None
            return relative_md(here, self.docs_path(kind, item), anchor)

        return resolve

    def edit_url(self, source: str) -> str | None:
        repo = self.portal.config.repository
        if repo is None or not repo.edit_links:
            return None
        tail = repo.edit_path.format(branch=repo.branch, path=source)
        return repo.url.rstrip("/") + "/" + tail

    # --- pages -------------------------------------------------------------------------------

    def page(self, template: str, docs_path: str, meta: dict[str, Any], **context: Any) -> str:
        body = self.fragment(template, docs_path, **context)
        # JSON is YAML, and far cheaper to write than YAML at thousands of pages.
        front = json.dumps(meta, ensure_ascii=False)
        return f"---\n{front}\n---\n\n{body.strip()}\n"

    def fragment(self, template: str, docs_path: str, **context: Any) -> str:
        """``template`` rendered for the page ``docs_path`` (links relative to it)."""

        def link(to: str, anchor: str = "") -> Markup:
            return Markup(relative_md(docs_path, to, anchor))

        def href(to: str, anchor: str = "") -> Markup:
            return Markup(html.escape(relative_href(docs_path, to, anchor), quote=True))

        def roles_matrix(roles: list[Item[Any]], summaries: dict[str, Any], report: Any) -> Markup:
            return self.roles_matrix(docs_path, roles, summaries, report)

        def path_steps(path: Item[Any]) -> Markup:
            return self.path_steps(docs_path, path)

        def checklist_rows(entries: list[Any], first: int = 0) -> Markup:
            return self.checklist_rows(docs_path, entries, first)

        def lesson_paths(steps: list[tuple[Item[Any], int]]) -> Markup:
            return self.lesson_paths(docs_path, steps)

        def path_rows(path: Item[Any]) -> Markup:
            return self.path_rows(docs_path, path)

        return self.env.get_template(template).render(
            here=docs_path, link=link, href=href, docs=self.docs_path, roles_matrix=roles_matrix,
            path_steps=path_steps, checklist_rows=checklist_rows, knowledge_check=self.knowledge_check,
            lesson_paths=lesson_paths, path_rows=path_rows, **context,
        )

    # The parts of a lesson page below are written in Python, like the matrix: at thousands
    # of lessons their template loops were a third of the lesson pages' cost.

    def knowledge_check(self, lesson: Lesson) -> Markup:
        """The lesson's knowledge check as the form ``portal.js`` brings to life.

        No answer key in readable form: per question a salted hash of the right option's
        place and, with ``reveal: after_pass``, the explanation sealed with a key only the
        right answer gives (see :mod:`generator.answerkey`). ``reveal: always`` writes the
        right place and the explanation in clear (hidden); ``never`` writes neither.
        """
        t, h = self.t, html_text
        check = lesson.data.check
        assert check is not None, "only for a lesson with a check"
        reveal = self.portal.config.checks.reveal
        seed = answerkey.build_seed(lesson.fingerprint)
        total = len(check.questions)
        pass_mark = check.pass_mark or total
        text = self.foreign("lessons", lesson)  # the questions' language, when shown untranslated
        parts = [
            f'<section class="portal-check" data-portal-check data-lesson-id="{h(lesson.id)}" '
            f'data-pass-mark="{pass_mark}" data-reveal="{reveal}" aria-labelledby="check-title">',
            f'<h2 id="check-title">{h(t("check_title"))}</h2>',
            f"<p data-portal-reveal hidden>{h(t('check_intro'))} "
            f"{h(t('check_pass_mark', n=pass_mark, total=total))}</p>",
        ]
        for number, question in enumerate(check.questions, start=1):
            key = answerkey.seal_question(seed, self.language, lesson.id, number, question)
            parts.append(f'<fieldset class="portal-question" id="check-q{number}" '
                         f'data-salt="{key.salt}" data-hash="{key.hash}">')
            parts.append(f"<legend>{number}. <span{text}>{h(question.question)}</span></legend>")
            parts.append('<ol class="portal-options">')
            parts.extend(
                f'<li><label><input type="radio" name="q{number}" value="{index}"> '
                f"<span{text}>{h(option)}</span></label></li>"
                for index, option in enumerate(question.options)
            )
            parts.append("</ol>")
            if question.hint:
                parts.append(f'<p class="portal-hint"{text} hidden>{h(question.hint)}</p>')
            if reveal == "after_pass":
                parts.append(f'<p class="portal-explanation"{text} data-sealed="{key.sealed}" hidden></p>')
            elif reveal == "always":
                answer = question.options.index(question.answer)
                parts.append(f'<p class="portal-explanation"{text} data-answer="{answer}" '
                             f"hidden>{h(question.explanation)}</p>")
            parts.append("</fieldset>")
        parts.append("</section>")
        return Markup("\n".join(parts))

    def lesson_paths(self, here: str, steps: list[tuple[Item[Any], int]]) -> Markup:
        """Each path the lesson is a step of, with its place there and the lessons before and after."""
        t, h, m, lessons = self.t, html_text, md_text, self.portal.lessons
        label = h(t("lesson_in_paths"))
        # Back points the way the reader came from: right in a right-to-left page.
        back, forward = ("→", "←") if direction(self.language) == "rtl" else ("←", "→")
        items = []
        for path, index in steps:
            path_steps = path.data.steps
            item = (
                f'<li markdown="1">[{m(path.data.title)}]({relative_md(here, self.docs_path("paths", path))})'
                f" ({index + 1}/{len(path_steps)})"
            )
            if index > 0:
                before = lessons[path_steps[index - 1].lesson]
                item += (
                    f' · [{back} {m(t("lesson_previous"))}: {m(before.data.title)}]'
                    f'({relative_md(here, self.docs_path("lessons", before))}){{ rel="prev" }}'
                )
            if index + 1 < len(path_steps):
                after = lessons[path_steps[index + 1].lesson]
                item += (
                    f' · [{m(t("lesson_next"))}: {m(after.data.title)} {forward}]'
                    f'({relative_md(here, self.docs_path("lessons", after))}){{ rel="next" }}'
                )
            items.append(item + "</li>")
        return Markup(
            f'<nav class="portal-pathnav" aria-label="{label}" markdown="1">\n'
            # Not an <h2>: inside a markdown="1" element the table of contents would list it.
            f'<p class="portal-pathnav__title" role="heading" aria-level="2">{label}</p>\n'
            '<ul markdown="1">\n' + "\n".join(items) + "\n</ul>\n</nav>"
        )

    def path_steps(self, here: str, path: Item[Any]) -> Markup:
        """The table of a path's steps for page ``here``.

        Rendered once per folder: the links in it are relative, so they are the same for
        every page of a folder, and a role page shows the tables of all its paths (at
        thousands of lessons, most of the role pages' cost).
        """
        key = (path.id, *folder_of(here))
        table = self._fragments.get(key)
        if table is None:
            table = self._fragments[key] = Markup(self.fragment("_path_steps.md.j2", here, path=path))
        return table

    def path_rows(self, here: str, path: Item[Any]) -> Markup:
        """The rows (Markdown) of a path's table of steps: number, lesson, minutes, due day, required."""
        t, lessons = self.t, self.portal.lessons
        required = {True: md_text(t("path_required_yes")), False: md_text(t("path_optional"))}
        rows = []
        for number, step in enumerate(path.data.steps, start=1):
            lesson = lessons[step.lesson]
            rows.append(
                f"| {number} | [{md_text(lesson.data.title)}]({relative_md(here, self.docs_path('lessons', lesson))}) "
                f"| {md_text(lesson.data.minutes)} | {md_text(t('path_due_day', n=step.due_day))} "
                f"| {required[step.required]} |"
            )
        return Markup("\n".join(rows))

    def checklist_rows(self, here: str, entries: list[Any], first: int = 0) -> Markup:
        """The rows of a printable checklist: one per lesson or refresher of ``entries``.

        Written in Python rather than in a template, like :meth:`roles_matrix`: fifty roles
        with a few hundred steps each made the template loop a tenth of the generator's time.
        ``first`` numbers the rows' date cells after those of an earlier table.
        """
        t, h, lessons, paths = self.t, html_text, self.portal.lessons, self.portal.paths
        optional = f" <em>({h(t('path_optional'))})</em>"
        rows = []
        for number, entry in enumerate(entries, start=first):
            if entry.kind == "refresher":
                when, note = t("checklist_after_months", n=entry.months), ""
            else:
                when, note = t("path_due_day", n=entry.due_day), "" if entry.required else optional
            rows.append(
                '<tr><td class="portal-checklist__box"><span aria-hidden="true"></span></td>'
                f'<th scope="row">{self._lesson_link(here, entry.lesson)}{note}</th>'
                f"<td>{lessons[entry.lesson].data.minutes}</td><td>{h(when)}</td>"
                f'<td class="portal-checklist__date" data-hr-date="{number}"></td>'
                f"<td>{h(paths[entry.path].data.title)}</td></tr>"
            )
        return Markup("\n".join(rows))

    def _lesson_link(self, here: str, lesson_id: str) -> str:
        """A link to a lesson with its title, from any page of ``here``'s folder (see :func:`page_link`)."""
        key = (lesson_id, *folder_of(here))
        link = self._links.get(key)
        if link is None:
            lesson = self.portal.lessons[lesson_id]
            link = self._links[key] = page_link(here, self.docs_path("lessons", lesson), html_text(lesson.data.title))
        return link

    def roles_matrix(self, here: str, roles: list[Item[Any]], summaries: dict[str, Any], report: Any) -> Markup:
        """The roles-by-lessons table: every lesson against every role, with the day it is due.

        Written in Python rather than in a template: at thousands of lessons and dozens of
        roles it has hundreds of thousands of cells, and a template loop was a quarter of
        the generator's time.
        """
        t, h = self.t, html_text
        due = {True: t("path_required_yes"), False: t("path_optional")}
        head = "".join(
            f'<th scope="col">{page_link(here, self.docs_path("roles", role), h(role.data.title))}</th>'
            for role in roles
        )
        by_role = [summaries[role.id].by_lesson for role in roles]
        # Cells repeat (a due day, required or not): each is written once.
        written: dict[tuple[int, bool], str] = {}

        def cell(due_day: int, required: bool) -> str:
            text = written.get((due_day, required))
            if text is None:
                dot = "●" if required else "○"
                optional = "" if required else " portal-dot--optional"
                text = written[(due_day, required)] = (
                    f'<td><span class="portal-dot{optional}" aria-hidden="true">{dot}</span> '
                    f'{h(t("path_due_day", n=due_day))}<span class="portal-sr-only">, {h(due[required])}'
                    "</span></td>"
                )
            return text

        rows = []
        for lesson_id in report.lessons:
            lesson = self.portal.lessons[lesson_id]
            cells = []
            for assigned in by_role:
                step = assigned.get(lesson_id)
                cells.append("<td></td>" if step is None else cell(step.due_day, step.required))
            rows.append(
                f'<tr><th scope="row">{page_link(here, self.docs_path("lessons", lesson), h(lesson.data.title))}'
                f'</th>{"".join(cells)}</tr>'
            )
        totals = "".join(f"<td>{summaries[role.id].minutes}</td>" for role in roles)
        # Kept out of the search index (Material's search and Zensical both skip an element marked
        # data-search-exclude): the whole table would be one entry, hundreds of kilobytes at
        # thousands of lessons, past Zensical's limit per field, and a search for a lesson or a
        # role finds its own page anyway.
        return Markup(
            f'<div class="portal-matrix" role="region" aria-label="{h(t("overview_title"))}" tabindex="0"'
            " data-search-exclude>\n"
            f'<table>\n<thead><tr><th scope="col">{h(t("overview_lesson"))}</th>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n"
            f'<tfoot><tr><th scope="row">{h(t("overview_total"))}</th>{totals}</tr></tfoot>\n'
            "</table>\n</div>"
        )

    def meta(self, title: str, kind: str, item_id: str = "", source: str | None = None) -> dict[str, Any]:
        # The theme prints page titles (head, header, navigation) without escaping them.
        meta: dict[str, Any] = {"title": html.escape(title, quote=False), "portal_kind": kind}
        if item_id:
            meta["portal_id"] = item_id
        meta.update(fallback_meta(self.portal, kind, item_id, self.t))
        if self.portal.config.learning_records is not None:
            content_kind = by_page_kind(kind)
            item = self.portal.items(content_kind.folder).get(item_id) if content_kind is not None else None
            wanted = getattr(item.data, "acknowledge", None) if item is not None else None
            if wanted is not None:
                meta["portal_acknowledge"] = {"text": wanted.text, "version": wanted.version.isoformat()}
        if source:
            meta["portal_source"] = source
            edit = self.edit_url(source)
            if edit:
                meta["edit_url"] = edit
            changed = self.history.dates.get(source)
            if changed:
                meta["portal_changed"] = {"date": changed, "label": self.t("page_changed")}
        return meta

    @cached_property
    def history(self) -> Any:
        """When each source last changed and what recent commits changed (empty outside git)."""
        return history_of(self.portal)

    @cached_property
    def lesson_steps(self) -> dict[str, list[tuple[Item[Any], int]]]:
        """For each lesson, the paths it is in and its index in each."""
        index: dict[str, list[tuple[Item[Any], int]]] = {}
        for path in self.portal.paths.values():
            for number, step in enumerate(path.data.steps):
                index.setdefault(step.lesson, []).append((path, number))
        return index

    def render(self) -> dict[str, str]:
        """Every page of the portal as ``{docs path: text}`` (Markdown pages, and SVG diagrams)."""
        with collector_paused():
            return self._render()

    def _render(self) -> dict[str, str]:
        portal = self.portal
        pages: dict[str, str] = {}
        pages["index.md"] = self.page(
            "home.md.j2", "index.md", {**self.meta(portal.config.program, "home"), "hide": ["toc"]},
        )
        for listing in PAGE_KINDS.values():
            if listing.index_page:
                index = f"{listing.folder}/index.md"
                pages[index] = self.page(listing.index_page, index,
                                         self.meta(self.t(listing.title_key), listing.folder))
        pages.update(hr.pages(self))
        if self.history.entries:
            pages["changes.md"] = self.changes_page()
        for kind in PAGE_KINDS:
            for item in portal.items(kind).values():
                pages.update(self.item_pages(kind, item))
        if posts.has_share_page(portal):
            pages[posts.SHARE_PAGE] = posts.share_page(self)
        pages.update(learning.pages(self))
        return pages

    def item_pages(self, kind: str, item: Item[Any]) -> dict[str, str]:
        """The page of one role, path, lesson or playbook (and a playbook's diagram), as ``{docs path: text}``.

        Apart from :meth:`render` for the checks, which need single pages of every language.
        """
        pages = {}
        path = self.docs_path(kind, item)
        content_kind = PAGE_KINDS[kind]
        meta = self.meta(item.data.title, content_kind.singular, item.id, item.source)
        if isinstance(item, Lesson):
            body = markup.rewrite_links(item.body, self.source_resolver(item))
            meta["portal_fingerprint"] = item.fingerprint
            pages[path] = self.page(
                str(content_kind.page), path, meta, lesson=item, body=Markup(body),
                steps=self.lesson_steps.get(item.id, []),
            )
        elif content_kind.model is None:  # a playbook: its kind picks the template
            playbook_kind = PLAYBOOK_KINDS.get(item.data.kind)
            extra: dict[str, Any] = {}
            if playbook_kind is not None and playbook_kind.page is not None:
                added = playbook_kind.page(self, item, path)
                pages.update(added.files)
                extra.update(added.values)
            template = str(content_kind.page).format(kind=item.data.kind)
            pages[path] = self.page(template, path, meta, playbook=item, data=item.data, **extra)
        else:
            pages[path] = self.page(str(content_kind.page), path, meta, item=item, **{content_kind.singular: item})
        return pages

    def changes_page(self) -> str:
        """The What changed page: recent commits to content/ and what each meant for employees."""
        here = "changes.md"
        def link(ref: Any) -> str | None:
            item = self.portal.items(ref.kind).get(ref.id) if ref.kind in PAGE_KINDS else None
            return relative_md(here, self.docs_path(ref.kind, item)) if item else None

        wording = Wording(self.t, markdown=True, link=link)
        shown = 20  # a commit that rewrote everything would bury the others
        entries = [
            {
                "commit": entry.commit[:7], "date": entry.date, "subject": entry.subject,
                "lines": [Markup(line) for line in wording.lines(entry.changes[:shown])],
                "more": max(len(entry.changes) - shown, 0),
            }
            for entry in self.history.entries
        ]
        meta = {**self.meta(self.t("changes_title"), "changes"), "hide": ["toc"]}
        return self.page("changes.md.j2", here, meta, entries=entries)

    def nav_sections(self) -> dict[str, list[str]]:
        """The pages of each collection in the navigation (roles, paths, playbooks), in order.

        A collection of more than :data:`NAV_LIST_LIMIT` items is reached through its index
        page alone: listed one by one, it would put a link to every item on every page, and a
        portal with thousands of roles would grow with the square of their number.
        """
        portal = self.portal
        collections: dict[str, list[Item[Any]]] = {
            kind.folder: kind.listed(portal) if kind.listed else list(portal.items(kind.folder).values())
            for kind in PAGE_KINDS.values() if kind.nav
        }
        return {
            kind: [self.docs_path(kind, item) for item in items] if len(items) <= NAV_LIST_LIMIT else []
            for kind, items in collections.items()
        }

    def not_in_nav(self) -> str:
        """MkDocs' ``not_in_nav``: the pages reached from other pages rather than from the navigation."""
        patterns = [f"{kind.folder}/*.md" for kind in PAGE_KINDS.values() if not kind.nav]
        patterns += ["playbooks/*.svg", "checklists/*.md", f"{learning.CERTIFICATES}/*.md"]
        patterns += [f"{kind}/*.md" for kind, listed in self.nav_sections().items()
                     if not listed and self.portal.items(kind)]
        # An index page is in the navigation: overrides/main.html shares one rendered navigation
        # among the pages outside it, which would show another page's entry as the current one.
        patterns += [f"!{folder.partition('/')[0]}/index.md" for folder in patterns if folder.endswith("/*.md")]
        return "".join(f"/{pattern}\n" if not pattern.startswith("!") else f"!/{pattern[1:]}\n"
                       for pattern in patterns)

    def nav(self) -> list[Any]:
        """A small global navigation: sections for roles, paths and playbooks; lessons stay off it."""
        portal = self.portal
        label = _nav_label
        sections = self.nav_sections()

        def section(kind: str, title: str) -> dict[str, Any]:
            index = f"{kind}/index.md"
            return {label(title): [index, *sections[kind]] if sections[kind] else index}

        return [
            {label(portal.config.program): "index.md"},
            {label(self.t("progress_title")): learning.PROGRESS_PAGE},
            *(section(kind.folder, self.t(kind.title_key)) for kind in PAGE_KINDS.values() if kind.nav),
            *([{label(self.t("share_nav")): posts.SHARE_PAGE}] if posts.has_share_page(portal) else []),
            *({label(self.t(kind.title_key)): f"{kind.folder}/index.md"}
              for kind in PAGE_KINDS.values() if not kind.nav and kind.index_page),
            {label(self.t("hr_title")): "overview.md"},
            *([{label(self.t("changes_title")): "changes.md"}] if self.history.entries else []),
        ]


def section_ids(texts: Any) -> list[str]:
    """Ids for generated headings named by content (one per text, unique, as the build slugs them).

    Given the source language's texts, the ids are the same in every language: a link
    to ``tone.yml#linkedin`` works in each translation of the page.
    """
    used: set[str] = set()
    ids = []
    for text in texts:
        base = anchors.slug(str(text))
        anchor, count = base, 0
        while not anchor or anchor in used:
            count += 1
            anchor = f"{base}_{count}"
        used.add(anchor)
        ids.append(anchor)
    return ids


def _nav_label(text: str) -> str:
    """Navigation labels reach the theme's HTML unescaped."""
    return html.escape(text, quote=False)


def _tojson(value: Any) -> Markup:
    return Markup(html.escape(json.dumps(value, ensure_ascii=False, sort_keys=True), quote=True))


def render(portal: Portal, language: str | None = None) -> dict[str, str]:
    """Every page of ``portal`` in ``language`` as ``{docs path: Markdown}``."""
    return Renderer(portal, language).render()
