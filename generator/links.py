"""Links written in content: where they may lead, and the located problem when they may not.

Shared by the checks of lessons and of their translations; the sections that links point to
are checked later, on the rendered pages of every language.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from generator import markup
from generator.errors import Problems
from generator.model import Lesson, Portal
from generator.shape import closest, report_hazards, same_looking
from generator.urls import resolve_source_link
from generator.yamlio import YamlProblem, decode, locate_in_scalar

_ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINK_HINT = "link to another lesson as `other-lesson.md`, to a playbook as `../playbooks/<id>.yml`"


def check_lesson_body(portal: Portal, lesson: Lesson, problems: Problems) -> None:
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
    linked = sorted((kind for kind in portal.kinds.values() if kind.page), key=lambda kind: kind.folder != "lessons")
    for kind in linked:  # the lessons' own folder first: a link from a lesson names them without a folder
        if name in portal.items(kind.folder):
            written = f"{name}{kind.suffix}" if kind.folder == "lessons" else f"../{kind.folder}/{name}{kind.suffix}"
            return message + f"; `{kind.folder}/{name}` exists: write the link as `{written}{anchor}`"
    everything = [item_id for kind in linked for item_id in portal.items(kind.folder)]
    twin = same_looking(name, everything)
    if twin is not None:
        return message + f"; {twin[1]}"
    guess = closest(name, everything)
    return message + (f"; did you mean `{guess}`?" if guess else "")


def place_in_field(path: Path, start: tuple[int, int], value: str) -> Callable[[int, int], tuple[int, int]]:
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
