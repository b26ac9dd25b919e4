"""Checks across files: references, cycles, order of due days, links, unsafe HTML, URL clashes.

Each check appends located problems; :func:`check_portal` runs them all so
that one run reports everything.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from generator import answerkey, markup
from generator.errors import Problems
from generator.languages import codes, name_of
from generator.load import SUFFIX_SLIPS as _SUFFIX_SLIPS
from generator.load import ContentCache, closest, load_content, report_hazards, same_looking
from generator.memory import collector_paused
from generator.model import Item, Lesson, Portal
from generator.posts import check_posts
from generator.render import resolve_source_link
from generator.revisions import GitError, git
from generator.schedule import check_schedule
from generator.templatecheck import check_templates
from generator.translations import check_translations
from generator.xapi import check_learning_records
from generator.yamlio import YamlProblem, decode, locate_in_scalar

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}
RESERVED_SLUGS = {"index"}
"""Page names the portal generates in every folder (the folder's list page)."""


def validate(root: Path, cache: ContentCache | None = None) -> tuple[Portal | None, Problems]:
    """Load ``root/content`` and run every check; the portal is None when it could not be read.

    ``cache`` (for a process that validates again after each edit) spares parsing unchanged files.
    """
    with collector_paused():
        portal, problems = load_content(root, cache)
        if portal is not None:
            check_portal(portal, problems)
            check_templates(portal, problems)
    return (portal if portal is not None and portal.config is not None else None), problems


def check_portal(portal: Portal, problems: Problems, *, links: bool = True) -> None:
    """Every cross-file check, in a stable order; without ``links``, not the links to sections of the
    rendered pages (for reports, which render none)."""
    _check_ids(portal, problems)
    _check_roles(portal, problems)
    _check_paths(portal, problems)
    _check_lessons(portal, problems)
    _check_playbooks(portal, problems)
    _check_markdown_fields(portal, problems)
    if portal.config is not None:  # both read settings from portal.yml, which may be the broken file
        check_posts(portal, problems)
        check_schedule(portal, problems)
        check_translations(portal, problems)
        _check_changes_since(portal, problems)
        check_learning_records(portal, problems)
        if links:
            check_link_targets(portal, problems)
    problems.report_skipped()


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


def _reference(
    problems: Problems, item: Item[Any], loc: tuple[Any, ...], value: str, known: Collection[str], what: str,
    portal: Portal | None = None,
) -> bool:
    """Report ``value`` at ``loc`` if it is not one of ``known``; True when it is fine.

    With ``portal``, a reference to a file that exists but could not be read is
    not reported again (that file's own problems are).
    """
    if value in known:  # a dict or set: no copy on the common path
        return True
    folder, suffix = _FOLDERS.get(what, (f"{what}s", ".yml"))
    if portal is not None and value in portal.unreadable.get(folder, ()):
        problems.skip(unreadable_source(portal, folder, value), f"references to this {what}")
        return False
    known = list(known)
    line, col = item.value_at(*loc)
    invisible = _invisible(value)
    if invisible:
        problems.add(item.source, line, col,
                     f"the {what} id `{visible(value)}` contains invisible characters ({invisible})",
                     hint="retype the id; it was probably pasted from a document")
        return False
    twin = same_looking(value, known)
    if twin is not None:
        problems.add(item.source, line, col, f"unknown {what} `{value}`: the file name {twin[1]}",
                     hint=f"retype this reference, or rename content/{folder}/{twin[0]}{suffix}, "
                     "so that both store the accent the same way")
        return False
    guess = closest(value, known)
    message = f"unknown {what} `{value}`" + (f"; did you mean `{guess}`?" if guess else "")
    hint = None
    if not guess:
        hint = f"there is no content/{folder}/{value}{suffix}; " + (
            f"known {what}s: " + ", ".join(sorted(known)[:12]) if known else f"no {what}s exist yet"
        )
    problems.add(item.source, line, col, message, hint=hint)
    return False


def unreadable_source(portal: Portal, folder: str, item_id: str) -> str:
    """The path of the file behind an id of ``portal.unreadable`` (as it exists, when its suffix slipped)."""
    suffix = _FOLDERS.get(folder.rstrip("s"), ("", ".yml"))[1]
    base = portal.root / "content" / folder
    for candidate in (f"{item_id}{suffix}", *(f"{item_id}{slip}" for slip in _SUFFIX_SLIPS)):
        if (base / candidate).exists():
            return f"content/{folder}/{candidate}"
    return f"content/{folder}/{item_id}{suffix}"


_FOLDERS = {"lesson": ("lessons", ".md"), "role": ("roles", ".yml"), "path": ("paths", ".yml"),
            "playbook": ("playbooks", ".yml")}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
def visible(text: str) -> str:
    """``text`` with its control, zero-width and direction-changing characters written as ``<U+200B>``."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI else ch
                   for ch in text)


def _invisible(text: str) -> str:
    """The control, zero-width and direction-changing characters in ``text``, named, or ''."""
    bad = [ch for ch in text if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI]
    return ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))


def _all_items(portal: Portal) -> list[tuple[str, Item[Any]]]:
    return [
        *(("roles", i) for i in portal.roles.values()),
        *(("paths", i) for i in portal.paths.values()),
        *(("lessons", i) for i in portal.lessons.values()),
        *(("playbooks", i) for i in portal.playbooks.values()),
    ]


def _check_ids(portal: Portal, problems: Problems) -> None:
    """File names are ids and URLs: they must be visible, unambiguous and unique once slugified."""
    seen: dict[tuple[str, str], Item[Any]] = {}
    for kind, item in _all_items(portal):
        names = _invisible(item.id)
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


def _check_roles(portal: Portal, problems: Problems) -> None:
    for role in portal.roles.values():
        for i, path_id in enumerate(role.data.paths):
            _reference(problems, role, ("paths", i), path_id, portal.paths, "path", portal)
        if len(set(role.data.paths)) != len(role.data.paths):
            line, col = role.where("paths")
            problems.add(role.source, line, col, "a path is listed twice", hint="list each path once")
        for i, approval in enumerate(role.data.needs_approval):
            if _reference(problems, role, ("needs_approval", i, "approver"), approval.approver,
                          portal.roles, "role", portal) and approval.approver == role.id:
                line, col = role.value_at("needs_approval", i, "approver")
                problems.add(role.source, line, col, "a role cannot approve its own posts",
                             hint="name the role that signs off")
        for i, esc in enumerate(role.data.escalate_to):
            if (_reference(problems, role, ("escalate_to", i, "role"), esc.role, portal.roles, "role", portal)
                    and esc.role == role.id):
                line, col = role.value_at("escalate_to", i, "role")
                problems.add(role.source, line, col, "a role cannot escalate to itself")


def _check_paths(portal: Portal, problems: Problems) -> None:
    for path in portal.paths.values():
        position: dict[str, int] = {}
        for i, step in enumerate(path.data.steps):
            if not _reference(problems, path, ("steps", i, "lesson"), step.lesson, portal.lessons, "lesson", portal):
                continue
            if step.lesson in position:
                line, col = path.value_at("steps", i, "lesson")
                problems.add(path.source, line, col,
                             f"lesson `{step.lesson}` is already step {position[step.lesson] + 1} of this path")
                continue
            position[step.lesson] = i
        for i, step in enumerate(path.data.steps):
            lesson = portal.lessons.get(step.lesson)
            if lesson is None or not step.required:
                continue
            for pre in lesson.data.prerequisites:
                if pre not in position:
                    continue
                before = path.data.steps[position[pre]]
                if position[pre] > i:
                    line, col = path.value_at("steps", i, "lesson")
                    problems.add(path.source, line, col,
                                 f"`{step.lesson}` needs `{pre}` first, "
                                 f"but `{pre}` comes later (step {position[pre] + 1})",
                                 hint=f"move `{pre}` above `{step.lesson}`")
                elif before.due_day > step.due_day:
                    line, col = path.value_at("steps", i, "due_day")
                    problems.add(path.source, line, col,
                                 f"due on day {step.due_day}, "
                                 f"before its prerequisite `{pre}` (due day {before.due_day})",
                                 hint=f"make it due on day {before.due_day} or later")
        if not portal.roles_with_path(path.id) and portal.unreadable.get("roles"):
            for role_id in sorted(portal.unreadable["roles"]):
                problems.skip(unreadable_source(portal, "roles", role_id), "whether each path is some role's")
        elif not portal.roles_with_path(path.id):
            line, col = path.where("title")
            problems.add(path.source, line, col, "no role is assigned this path", severity="warning",
                         hint="add it to a role's `paths`")


def _check_lessons(portal: Portal, problems: Problems) -> None:
    """Per-lesson checks (the sections that links point to are checked per language, later)."""
    in_paths = {step.lesson for p in portal.paths.values() for step in p.data.steps}
    for lesson in portal.lessons.values():
        meta = lesson.data
        for i, pre in enumerate(meta.prerequisites):
            _reference(problems, lesson, ("prerequisites", i), pre, portal.lessons, "lesson", portal)
        for i, pb in enumerate(meta.playbooks):
            _reference(problems, lesson, ("playbooks", i), pb, portal.playbooks, "playbook", portal)
        if meta.check is not None:
            for i, q in enumerate(meta.check.questions):
                if q.answer not in q.options:
                    line, col = lesson.value_at("check", "questions", i, "answer")
                    guess = closest(q.answer, q.options)
                    problems.add(lesson.source, line, col, "the answer is not one of the options"
                                 + (f"; did you mean `{guess}`?" if guess else ""),
                                 hint="copy the correct option exactly")
                if len(set(q.options)) != len(q.options):
                    line, col = lesson.value_at("check", "questions", i, "options")
                    problems.add(lesson.source, line, col, "two options are the same")
            if meta.check.pass_mark is not None and meta.check.pass_mark > len(meta.check.questions):
                line, col = lesson.value_at("check", "pass_mark")
                problems.add(lesson.source, line, col,
                             f"pass mark {meta.check.pass_mark} is more than "
                             f"the {len(meta.check.questions)} question(s)")
            for message in answerkey.giveaways(meta.check):
                line, col = lesson.where("check")
                problems.add(lesson.source, line, col, message, severity="warning",
                             hint="reorder the options, or give the right answers fewer words and the others more")
        if lesson.id not in in_paths and portal.unreadable.get("paths"):
            for path_id in sorted(portal.unreadable["paths"]):
                problems.skip(unreadable_source(portal, "paths", path_id), "whether each lesson is in a path")
        elif lesson.id not in in_paths:
            line, col = lesson.where("title")
            problems.add(lesson.source, line, col, "the lesson is in no learning path", severity="warning",
                         hint="add it to a path's steps, or nobody will be led to it")
        _check_lesson_body(portal, lesson, problems)
    _check_prerequisite_cycles(portal, problems)


_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINK_HINT = "link to another lesson as `other-lesson.md`, to a playbook as `../playbooks/<id>.yml`"


def _check_lesson_body(portal: Portal, lesson: Lesson, problems: Problems) -> None:
    """Unsafe HTML and links to pages that do not exist, at their place in ``lesson.source``.

    Every link on every line is judged on its own; the sections links point to are
    checked by :func:`check_link_targets`, in every language.
    """
    offset = lesson.body_line - 1
    report_hazards(problems, lesson.source, lesson.body, lesson.body_line)
    for link in markup.scan(lesson.body).links:
        target = link.target
        line, col = link.line + offset, link.col
        problem = link_problem(target)
        if problem == "":
            continue  # an unsafe scheme, reported as a hazard, or an address on another site
        if problem is not None:
            problems.add(lesson.source, line, col, problem, hint=_LINK_HINT)
            continue
        found = resolve_source_link(portal, target)
        if found is None:
            if link.image:
                problems.add(lesson.source, line, col, f"picture `{target}` is not part of the portal",
                             hint="pictures cannot come from content/; describe it in words or ask a developer")
            elif not _is_unreadable(portal, target):
                problems.add(lesson.source, line, col, _bad_link_message(portal, target), hint=_LINK_HINT)


def link_problem(target: str) -> str | None:
    """Why a link written in content is not allowed, '' when it is not a link into content, else None.

    Refuses every way out of ``content/``: ``..`` past its top, absolute and
    drive paths, backslashes, and the same written with %-escapes or HTML
    entities, control characters and NUL included.
    """
    scheme = markup.normalised_scheme(target)
    if scheme.startswith(markup.UNSAFE_SCHEMES):
        return ""
    if target.startswith("//"):
        return f"link `{target}` has no scheme; write the whole address, starting with https://"
    if scheme.startswith(_ALLOWED_SCHEMES):
        return ""
    decoded = target
    for _ in range(4 if any(ch in target for ch in "%&") else 0):
        unquoted = urllib.parse.unquote(html.unescape(decoded))
        if unquoted == decoded:
            break
        decoded = unquoted
    decoded = decoded.partition("#")[0].partition("?")[0]
    if _CONTROL.search(decoded):
        return f"link `{_printable(target)}` hides a control character (such as NUL); delete it"
    leaves = (
        "\\" in decoded
        or decoded.startswith(("/", "~"))
        or (re.match(r"[A-Za-z]:", decoded) is not None and decoded[2:3] in ("/", "\\", ""))
        or posixpath.normpath(posixpath.join("content/lessons", decoded)).split("/")[0] != "content"
    )
    if leaves:
        return f"link `{_printable(target)}` leaves the content folder"
    match = re.match(r"([a-z][a-z0-9+.-]*):", scheme)
    if match:
        return f"`{match.group(1)}:` links are not allowed; use https://, mailto: or tel:"
    return None


def _printable(text: str) -> str:
    return "".join(ch if unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}" for ch in text)


def _is_unreadable(portal: Portal, target: str) -> bool:
    """True when the link names a content file that exists but has problems of its own."""
    path = urllib.parse.unquote(target.partition("#")[0])
    kind, _, name = posixpath.normpath(posixpath.join("lessons", path)).partition("/")
    return name.rpartition(".")[0] in portal.unreadable.get(kind, ())


def _bad_link_message(portal: Portal, target: str) -> str:
    path = urllib.parse.unquote(target.partition("#")[0])
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    message = f"link `{target}` points to a page that does not exist"
    anchor = target.partition("#")[1] + target.partition("#")[2]
    # A link from a lesson (content/lessons/) to a page that exists, written with the wrong folder:
    # name the link that works rather than offering the same name back.
    for folder, items, written in (("lessons", portal.lessons, "{}.md"), ("roles", portal.roles, "../roles/{}.yml"),
                                   ("paths", portal.paths, "../paths/{}.yml"),
                                   ("playbooks", portal.playbooks, "../playbooks/{}.yml")):
        if name in items:
            return message + f"; `{folder}/{name}` exists: write the link as `{written.format(name)}{anchor}`"
    everything = [*portal.lessons, *portal.roles, *portal.paths, *portal.playbooks]
    twin = same_looking(name, everything)
    if twin is not None:
        return message + f"; {twin[1]}"
    guess = closest(name, everything)
    return message + (f"; did you mean `{guess}`?" if guess else "")


def _check_prerequisite_cycles(portal: Portal, problems: Problems) -> None:
    """Report each cycle of prerequisites once, with the whole loop."""
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for i, nxt in enumerate(portal.lessons[node].data.prerequisites):
            if nxt not in portal.lessons:
                continue
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt):], nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    lesson = portal.lessons[node]
                    line, col = lesson.value_at("prerequisites", i)
                    loop = " -> ".join(cycle)
                    message = ("a lesson cannot be its own prerequisite" if len(cycle) == 2
                               else f"prerequisites form a cycle: {loop}")
                    problems.add(lesson.source, line, col, message, hint="remove one prerequisite in the loop")
            elif state.get(nxt) is None:
                visit(nxt, trail)
        trail.pop()
        state[node] = 2

    for lesson_id in sorted(portal.lessons):
        if lesson_id not in state:
            visit(lesson_id, [])


def _check_playbooks(portal: Portal, problems: Problems) -> None:
    for playbook in portal.playbooks.values():
        data: Any = playbook.data
        if data.kind == "negativity":
            seen: dict[str, int] = {}
            for i, s in enumerate(data.situations):
                if s.id in seen:
                    line, col = playbook.value_at("situations", i, "id")
                    problems.add(playbook.source, line, col, f"situation id `{s.id}` is used twice")
                seen[s.id] = i
                _reference(problems, playbook, ("situations", i, "owner"), s.owner, portal.roles, "role", portal)
                if s.escalate_to is not None and _reference(
                        problems, playbook, ("situations", i, "escalate_to"), s.escalate_to,
                        portal.roles, "role", portal) and s.escalate_to == s.owner:
                    line, col = playbook.value_at("situations", i, "escalate_to")
                    problems.add(playbook.source, line, col, "escalates to the role that already owns it")
        elif data.kind == "rewards":
            ids: set[str] = set()
            for i, action in enumerate(data.actions):
                if action.id in ids:
                    line, col = playbook.value_at("actions", i, "id")
                    problems.add(playbook.source, line, col, f"action id `{action.id}` is used twice")
                ids.add(action.id)
            points = [tier.min_points for tier in data.tiers]
            if points != sorted(points) or len(set(points)) != len(points):
                line, col = playbook.where("tiers")
                problems.add(playbook.source, line, col, "tiers must go from fewest to most points")
        elif data.kind == "tone":
            avoided = {w.word.casefold() for w in data.avoided_words}
            for i, w in enumerate(data.preferred_words):
                if w.word.casefold() in avoided:
                    line, col = playbook.value_at("preferred_words", i, "word")
                    problems.add(playbook.source, line, col, f"`{w.word}` is both preferred and avoided")


def _check_markdown_fields(portal: Portal, problems: Problems) -> None:
    """Markdown written in YAML fields follows the same safety rules as lessons."""
    fields: list[tuple[Item[Any] | None, str, tuple[Any, ...], str | None]] = []
    if portal.config is not None:
        fields.append((None, "content/portal.yml", ("introduction",), portal.config.introduction))
    for role in portal.roles.values():
        fields.append((role, role.source, ("social_media",), role.data.social_media))
    for pb in portal.playbooks.values():
        fields.append((pb, pb.source, ("introduction",), getattr(pb.data, "introduction", None)))
    for item, source, loc, text in fields:
        if not text:
            continue
        doc = item.doc if item is not None else portal.config_doc
        found = markup.scan(text)
        leaving = [(link, link_problem(link.target)) for link in found.links]
        leaving = [(link, problem) for link, problem in leaving if problem]
        if not found.hazards and not leaving:
            continue
        place = _place_in_field(portal.root / source, doc.value_at(loc), text)
        for hazard in found.hazards:
            problems.add(source, *place(hazard.line, hazard.col), f"{hazard.message} (in `{loc[-1]}`)",
                         hint="this field is Markdown; ask a developer for an approved component")
        for link, problem in leaving:
            problems.add(source, *place(link.line, link.col), f"{problem} (in `{loc[-1]}`)")


def _place_in_field(path: Path, start: tuple[int, int], value: str) -> Callable[[int, int], tuple[int, int]]:
    """Map a line and column inside a YAML text value to the file, whatever the value's style.

    Literal (``|``) and folded (``>``) blocks, plain text and quoted text over several lines
    all point at the problem's own line and column.
    """
    try:
        source = decode(path.read_bytes())
    except (OSError, YamlProblem):
        return lambda _line, _col: start
    return lambda inner_line, inner_col: locate_in_scalar(source, start, value, inner_line, inner_col)


# --- links to sections, in every language ----------------------------------------------------


class _Site:
    """One language's pages as the build will make them, rendered only as far as the checks ask.

    A page that cannot be rendered (its content has errors of its own) cannot be
    judged: links into it are checked on the next run, once those errors are fixed.
    """

    def __init__(self, portal: Portal, language: str | None, page_ids: Callable[[str], frozenset[str]]) -> None:
        from generator.history import NONE
        from generator.render import Renderer
        from generator.translations import localize

        self.language = language
        self._page_ids = page_ids
        self._ids: dict[str, frozenset[str] | None] = {}
        self._everything: dict[str, str] | None = None
        self._renderer: Any = None
        if portal.config is not None:
            try:
                self._renderer = Renderer(portal, language)
            except Exception:  # content with errors of its own; reported elsewhere
                self._renderer = None
        if self._renderer is not None:
            self._renderer.__dict__["history"] = NONE  # page dates do not change ids; spare git
            self.portal = self._renderer.portal
        else:
            self.portal = localize(portal, language) if language and portal.config is not None else portal

    def renderer(self) -> Any:
        return self._renderer

    def ids(self, kind: str, item: Item[Any]) -> frozenset[str] | None:
        """The ids of the page of ``item`` (a role, path, lesson or playbook of this language)."""
        from generator.render import Renderer

        docs = Renderer.docs_path(kind, item)
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
            from generator.project import docs_files

            try:
                files = docs_files(renderer.render())
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


def _page_ids_function(portal: Portal) -> Callable[[str], frozenset[str]]:
    """How the build gives a page its ids: Python-Markdown with the generated project's settings.

    Without them (no readable mkdocs.yml, an extension that is not installed) the
    headings are read directly, close to what Python-Markdown does.
    """
    from generator import anchors
    from generator.project import read_theme_config

    try:
        configured = read_theme_config(portal.root).get("markdown_extensions")
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


def check_link_targets(portal: Portal, problems: Problems) -> None:
    """Every link to a section, in every language's pages, leads to a section the build will find.

    The pages of each language are what its readers get: translated lessons, and the
    source's lessons where no translation exists, linking to the pages of that
    language (translated or not). Each problem is reported once, at the link in the
    file that holds it (the translation or the source), naming the languages whose
    page lacks the section when not all of them do.
    """
    page_ids = _page_ids_function(portal)
    languages = codes(portal) if portal.config is not None else [None]
    found: dict[tuple[str, int, int, str], _Misses] = {}
    for language in languages:
        site = _Site(portal, language, page_ids)
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
    from generator.render import Renderer

    fields: list[tuple[str, Any, Any, tuple[Any, ...], str | None, str]] = []
    if portal.config is not None:
        source = "content/portal.yml"
        if portal.language and ("portal", "") not in portal.fallbacks:
            source = f"content/portal.{portal.language}.yml"
        fields.append((source, portal.config_doc, ("content/portal.yml", source_portal.config_doc), ("introduction",),
                       portal.config.introduction, "index.md"))
    for kind, field in (("roles", "social_media"), ("playbooks", "introduction")):
        for item in getattr(portal, kind).values():
            original = getattr(source_portal, kind)[item.id]
            fields.append((item.source, item.doc, (original.source, original.doc), (field,),
                           getattr(item.data, field, None), Renderer.docs_path(kind, item)))
    result = []
    for source, doc, (original_source, original_doc), loc, text, here in fields:
        if not text:
            continue
        if tuple(loc) not in doc.values:
            source, doc = original_source, original_doc  # left out of the translation: the source's text
        result.append((source, _place_in_field(portal.root / source, doc.value_at(loc), text), text, here))
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
