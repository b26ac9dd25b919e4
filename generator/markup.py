"""Reading lesson Markdown without rendering it: links, raw HTML and headings, with positions.

The checks use it to point at a bad link or a ``<script>`` on its line and
column; the renderer uses it to turn links between source files
(``other-lesson.md``, ``../playbooks/tone.yml``) into links between pages.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
import unicodedata
from collections.abc import Callable, Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)<?(\S+?)>?(\s+.*)?$")
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^\s>]*)>")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", re.S)
_EVENT_ATTR = re.compile(r"(?:^|[\s\"'/{])(on[a-z]+)\s*=", re.I)
_ATTR_LIST = re.compile(r"\{:?\s*([^}\n]*)\}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")
_URL_IN_ATTR = re.compile(r"(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*([^\"'\s>]+)", re.I)

FORBIDDEN_TAGS = {"script", "iframe", "style", "object", "embed", "frame", "frameset", "base", "meta", "link",
                  "form", "template", "svg", "math"}
"""Raw HTML that a lesson may not contain: it runs code, loads other hosts or escapes the page."""

UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


@dataclasses.dataclass(frozen=True)
class Link:
    """A link target in Markdown, where it stands (line and column from 1, in the body)."""

    target: str
    line: int
    col: int
    image: bool = False


@dataclasses.dataclass(frozen=True)
class Hazard:
    """Something unsafe in a lesson body."""

    line: int
    col: int
    message: str


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, text) of every line outside fenced code blocks, code spans blanked."""
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        yield number, (_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line)


def _normalised_scheme(target: str) -> str:
    """The target as a browser would read its scheme: entities decoded, blanks and controls removed."""
    decoded = html.unescape(target)
    decoded = re.sub(r"%([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), decoded)
    return "".join(ch for ch in decoded if not (ch.isspace() or unicodedata.category(ch) == "Cc")).lower()


@functools.lru_cache(maxsize=8192)
def links(body: str) -> tuple[Link, ...]:
    """Every link and image target in the body, outside code."""
    found = []
    for number, line in prose_lines(body):
        if "](" in line:
            for match in _INLINE_LINK.finditer(line):
                found.append(Link(match.group(3), number, match.start(3) + 1, bool(match.group(1))))
        if "]:" in line:
            ref = _REF_DEF.match(line)
            if ref:
                found.append(Link(ref.group(2), number, ref.start(2) + 1))
        if "<" not in line:
            continue
        for match in _AUTOLINK.finditer(line):
            found.append(Link(match.group(1), number, match.start(1) + 1))
        for tag in _TAG.finditer(line):
            for url in _URL_IN_ATTR.finditer(tag.group(3)):
                found.append(Link(url.group(1), number, tag.start(3) + url.start(1) + 1))
    return tuple(found)


def hazards(body: str) -> list[Hazard]:
    """Raw HTML, attributes and link schemes that could run code or load other hosts."""
    found = []
    for number, line in prose_lines(body):
        if "<" not in line and "{" not in line:
            continue
        for tag in _TAG.finditer(line):
            name = tag.group(2).lower()
            if name in FORBIDDEN_TAGS and not tag.group(1):
                found.append(Hazard(number, tag.start() + 1, f"<{name}> is not allowed in a lesson"))
            for event in _EVENT_ATTR.finditer(tag.group(3)):
                found.append(
                    Hazard(number, tag.start(3) + event.start(1) + 1,
                           f"event-handler attribute '{event.group(1)}' is not allowed")
                )
            if re.search(r"\bstyle\s*=", tag.group(3), re.I):
                found.append(Hazard(number, tag.start() + 1, "inline style attributes are not allowed"))
        for attrs in _ATTR_LIST.finditer(line):
            for event in _EVENT_ATTR.finditer(" " + attrs.group(1)):
                found.append(
                    Hazard(number, attrs.start(1) + event.start(1),
                           f"event-handler attribute '{event.group(1)}' is not allowed (attribute list)")
                )
    for link in links(body):
        scheme = _normalised_scheme(link.target)
        if scheme.startswith(UNSAFE_SCHEMES):
            found.append(
                Hazard(link.line, link.col, f"'{scheme.split(':', 1)[0]}:' links are not allowed")
            )
    return sorted(found, key=lambda h: (h.line, h.col))


def heading_anchors(body: str) -> set[str]:
    """The anchors Python-Markdown's toc gives the body's headings (``{#id}`` honoured)."""
    anchors: set[str] = set()
    for _, line in prose_lines(body):
        match = _HEADING.match(line)
        if not match:
            continue
        if match.group(3):
            anchors.add(match.group(3))
            continue
        base = toc_slug(match.group(2))
        anchor, n = base, 0
        while anchor in anchors:
            n += 1
            anchor = f"{base}_{n}"
        anchors.add(anchor)
    return anchors


def toc_slug(text: str) -> str:
    """Python-Markdown's default heading slug."""
    text = re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", text)
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def rewrite_links(body: str, resolve: Callable[[str], str | None]) -> str:
    """The body with every link target replaced by ``resolve(target)`` when that is not None."""
    lines = body.split("\n")
    changes: dict[int, list[tuple[int, str, str]]] = {}
    for link in links(body):
        new = resolve(link.target)
        if new is not None and new != link.target:
            changes.setdefault(link.line, []).append((link.col - 1, link.target, new))
    for number, edits in changes.items():
        line = lines[number - 1]
        for start, old, new in sorted(edits, reverse=True):
            if line[start : start + len(old)] == old:
                line = line[:start] + new + line[start + len(old) :]
        lines[number - 1] = line
    return "\n".join(lines)
