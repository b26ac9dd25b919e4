"""Checks across files: references, cycles, order of due days, links, unsafe HTML, URL clashes.

Each check appends located problems; :func:`check_portal` runs them all so
that one run reports everything.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import Any

from generator import markup
from generator.errors import Problems
from generator.load import closest, load_portal
from generator.model import Item, Lesson, Portal
from generator.posts import check_posts
from generator.render import resolve_source_link
from generator.schedule import check_schedule

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def validate(root: Path) -> tuple[Portal | None, Problems]:
    """Load ``root/content`` and run every check; the portal is None when it could not be read."""
    portal, problems = load_portal(root)
    if portal is not None:
        check_portal(portal, problems)
    return portal, problems


def check_portal(portal: Portal, problems: Problems) -> None:
    """Every cross-file check, in a stable order."""
    _check_ids(portal, problems)
    _check_roles(portal, problems)
    _check_paths(portal, problems)
    _check_lessons(portal, problems)
    _check_playbooks(portal, problems)
    _check_markdown_fields(portal, problems)
    check_posts(portal, problems)
    check_schedule(portal, problems)


def _reference(
    problems: Problems, item: Item[Any], loc: tuple[Any, ...], value: str, known: Collection[str], what: str
) -> bool:
    """Report ``value`` at ``loc`` if it is not one of ``known``; True when it is fine."""
    if value in known:  # a dict or set: no copy on the common path
        return True
    known = list(known)
    line, col = item.value_at(*loc)
    guess = closest(value, known)
    message = f"unknown {what} `{value}`" + (f"; did you mean `{guess}`?" if guess else "")
    hint = None if guess else (f"known {what}s: " + ", ".join(sorted(known)[:12]) if known else f"no {what}s exist yet")
    problems.add(item.source, line, col, message, hint=hint)
    return False


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
        bad = [ch for ch in item.id if unicodedata.category(ch) in _INVISIBLE or ch in "\u200b\u200c\u200d\u2060\ufeff"]
        if bad:
            names = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))
            problems.add(item.source, 0, 0, f"the file name contains invisible or control characters ({names})",
                         hint="rename the file using visible letters, digits and hyphens")
        if unicodedata.normalize("NFC", item.id) != item.id:
            problems.add(item.source, 0, 0, "the file name is not in Unicode NFC form",
                         hint="rename it; some systems wrote its accents as separate characters")
        key = (kind, item.slug)
        other = seen.get(key)
        if other is not None:
            problems.add(item.source, 0, 0,
                         f"`{item.id}` and `{other.id}` would both be published at {kind}/{item.slug}/",
                         hint="rename one of the files")
        else:
            seen[key] = item


def _check_roles(portal: Portal, problems: Problems) -> None:
    for role in portal.roles.values():
        for i, path_id in enumerate(role.data.paths):
            _reference(problems, role, ("paths", i), path_id, portal.paths, "path")
        if len(set(role.data.paths)) != len(role.data.paths):
            line, col = role.where("paths")
            problems.add(role.source, line, col, "a path is listed twice", hint="list each path once")
        for i, approval in enumerate(role.data.needs_approval):
            if _reference(problems, role, ("needs_approval", i, "approver"), approval.approver, portal.roles, "role"):
                if approval.approver == role.id:
                    line, col = role.value_at("needs_approval", i, "approver")
                    problems.add(role.source, line, col, "a role cannot approve its own posts",
                                 hint="name the role that signs off")
        for i, esc in enumerate(role.data.escalate_to):
            if _reference(problems, role, ("escalate_to", i, "role"), esc.role, portal.roles, "role"):
                if esc.role == role.id:
                    line, col = role.value_at("escalate_to", i, "role")
                    problems.add(role.source, line, col, "a role cannot escalate to itself")


def _check_paths(portal: Portal, problems: Problems) -> None:
    for path in portal.paths.values():
        position: dict[str, int] = {}
        for i, step in enumerate(path.data.steps):
            if not _reference(problems, path, ("steps", i, "lesson"), step.lesson, portal.lessons, "lesson"):
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
                                 f"`{step.lesson}` needs `{pre}` first, but `{pre}` comes later (step {position[pre] + 1})",
                                 hint=f"move `{pre}` above `{step.lesson}`")
                elif before.due_day > step.due_day:
                    line, col = path.value_at("steps", i, "due_day")
                    problems.add(path.source, line, col,
                                 f"due on day {step.due_day}, before its prerequisite `{pre}` (due day {before.due_day})",
                                 hint=f"make it due on day {before.due_day} or later")
        if not portal.roles_with_path(path.id):
            line, col = path.where("title")
            problems.add(path.source, line, col, "no role is assigned this path", severity="warning",
                         hint="add it to a role's `paths`")


def _check_lessons(portal: Portal, problems: Problems) -> None:
    in_paths = {step.lesson for p in portal.paths.values() for step in p.data.steps}
    for lesson in portal.lessons.values():
        meta = lesson.data
        for i, pre in enumerate(meta.prerequisites):
            _reference(problems, lesson, ("prerequisites", i), pre, portal.lessons, "lesson")
        for i, pb in enumerate(meta.playbooks):
            _reference(problems, lesson, ("playbooks", i), pb, portal.playbooks, "playbook")
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
                             f"pass mark {meta.check.pass_mark} is more than the {len(meta.check.questions)} question(s)")
        if lesson.id not in in_paths:
            line, col = lesson.where("title")
            problems.add(lesson.source, line, col, "the lesson is in no learning path", severity="warning",
                         hint="add it to a path's steps, or nobody will be led to it")
        _check_lesson_body(portal, lesson, problems)
    _check_prerequisite_cycles(portal, problems)


def _check_lesson_body(portal: Portal, lesson: Lesson, problems: Problems) -> None:
    offset = lesson.body_line - 1
    for hazard in markup.hazards(lesson.body):
        problems.add(lesson.source, hazard.line + offset, hazard.col, hazard.message,
                     hint="lessons are Markdown; ask a developer for an approved component")
    own_anchors = markup.heading_anchors(lesson.body)
    for link in markup.links(lesson.body):
        target = link.target
        line, col = link.line + offset, link.col
        if markup._normalised_scheme(target).startswith(markup.UNSAFE_SCHEMES):
            continue  # reported as a hazard
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        found = resolve_source_link(portal, target)
        if found is None:
            problems.add(lesson.source, line, col, _bad_link_message(portal, target),
                         hint="link to another lesson as `other-lesson.md`, to a playbook as `../playbooks/<id>.yml`")
            continue
        kind, item, anchor = found
        if not anchor:
            continue
        anchors = own_anchors if kind == "self" else _anchors_of(kind, item)
        if anchors is not None and anchor not in anchors:
            guess = closest(anchor, anchors)
            problems.add(lesson.source, line, col, f"there is no section `#{anchor}` in that page"
                         + (f"; did you mean `#{guess}`?" if guess else ""))


def _bad_link_message(portal: Portal, target: str) -> str:
    path = target.partition("#")[0]
    if path.startswith("/") or "\\" in path or "%2e" in path.lower() or "\x00" in path:
        return f"link `{target}` leaves the content folder"
    name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    everything = [*portal.lessons, *portal.roles, *portal.paths, *portal.playbooks]
    guess = closest(name, everything)
    message = f"link `{target}` points to a page that does not exist"
    return message + (f"; did you mean `{guess}`?" if guess else "")


def _anchors_of(kind: str, item: Item[Any]) -> set[str] | None:
    """Anchors a generated page is known to have, or None when they are not known in advance."""
    if kind == "lessons":
        return markup.heading_anchors(item.body)  # type: ignore[attr-defined]
    if kind == "playbooks" and getattr(item.data, "kind", None) == "negativity":
        ids = set()
        for s in item.data.situations:  # type: ignore[attr-defined]
            ids |= {s.id, f"{s.id}-steps", f"{s.id}-templates", f"{s.id}-escalate"}
        return ids
    return None


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
                cycle = trail[trail.index(nxt):] + [nxt]
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
                _reference(problems, playbook, ("situations", i, "owner"), s.owner, portal.roles, "role")
                if s.escalate_to is not None:
                    if _reference(problems, playbook, ("situations", i, "escalate_to"), s.escalate_to, portal.roles, "role") \
                            and s.escalate_to == s.owner:
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
    fields.append((None, "content/portal.yml", ("introduction",), portal.config.introduction))
    for role in portal.roles.values():
        fields.append((role, role.source, ("social_media",), role.data.social_media))
    for pb in portal.playbooks.values():
        fields.append((pb, pb.source, ("introduction",), getattr(pb.data, "introduction", None)))
    for item, source, loc, text in fields:
        if not text:
            continue
        doc = item.doc if item is not None else portal.config_doc
        line, col = doc.value_at(loc)
        for hazard in markup.hazards(text):
            problems.add(source, line, col, f"{hazard.message} (in `{loc[-1]}`)")
