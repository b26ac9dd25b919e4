"""Reading lesson Markdown without rendering it: links, raw HTML and headings, with positions.

The checks use it to point at a bad link or a ``<script>`` on its line and
column; the renderer uses it to turn links between source files
(``other-lesson.md``, ``../playbooks/tone.yml``) into links between pages.

One pass (:func:`scan`) reads a body and is cached, because the checks ask
for the links, the hazards and the anchors of the same body. Raw HTML is read
with the standard library's HTML tokenizer (the one Python-Markdown itself
builds on), so a tag written over several lines or with ``>`` inside a
quoted value is seen as the browser will see it.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser

from generator import anchors

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_INLINE_LINK = re.compile(
    # [text](target "title"): like Python-Markdown, the target may hold spaces and one level of
    # balanced parentheses, or be written in <angle brackets>.
    r"\[((?:[^\[\]\\]|\\.)*)\]\(\s*"
    r"(?:<([^>\n]*)>|([^\s()<](?:[^()\n]|\([^()\n]*\))*?))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_REF_DEF = re.compile(r"^( {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*)<?([^\s>]+)>?", re.M)
_AUTOLINK = re.compile(r"<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^\s<>]*)>")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_HTML_START = re.compile(r"<[a-zA-Z!/?]")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^}\n]*)\}")
_ATTR_PAIR = re.compile(r"([^\s=\"'{}]+)[ \t]*=[ \t]*(\"[^\"]*\"|'[^']*'|[^\s}]*)")
# A heading needs a space after its #s (pymdownx.saneheaders, as in CommonMark): `#ask-social` is text.
_ATX = re.compile(r"^[ \t]*#{1,6}(?= )(.*?)[ \t]*$", re.M)
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M)
_TRAILING_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*([^}\n]*)\}[ \t]*$")
_ID_IN_ATTRS = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")

FORBIDDEN_TAGS = {"script", "iframe", "style", "object", "embed", "applet", "frame", "frameset", "base", "meta",
                  "link", "form", "template", "svg", "math", "noscript"}
"""Raw HTML that a lesson may not contain: it runs code, loads other hosts or escapes the page."""

UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data",
                  "srcset", "ping", "longdesc", "usemap", "codebase", "manifest", "lowsrc", "dynsrc", "archive"}
"""Attributes whose value the browser follows or loads."""


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


@dataclasses.dataclass(frozen=True)
class Scan:
    """What one read of a body found."""

    links: tuple[Link, ...]
    hazards: tuple[Hazard, ...]
    ids: frozenset[str]
    """Ids given outside headings (attribute lists, raw HTML): valid link targets too."""


def prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, text) of every line outside fenced code blocks, code spans blanked."""
    for number, line in _unfenced_lines(body):
        yield number, _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def _unfenced_lines(body: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, text) of every line outside fenced code blocks."""
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
        yield number, line


def normalised_scheme(target: str) -> str:
    """The target as a browser reads its scheme: entities and %-escapes decoded, blanks and controls removed."""
    if target.isascii() and target.isprintable() and not any(ch in target for ch in "%& "):
        return target.lower()  # nothing to decode: the usual case
    decoded = html.unescape(target)
    if "%" in decoded:
        decoded = re.sub(r"%([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), decoded)
    return "".join(ch for ch in decoded if not (ch.isspace() or unicodedata.category(ch) == "Cc")).lower()


_normalised_scheme = normalised_scheme  # the name the checks used first


class _Positions:
    """Offsets in a text to (line, column), both from 1."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class _TagReader(HTMLParser):
    """Collects every start tag with its attributes and where it starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        self.tags.append((line, offset + 1, tag, attrs, self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


def _attr_offset(tag_text: str, name: str, after: int = 0) -> int:
    """Where attribute ``name`` starts inside the tag's text (0 when it cannot be found)."""
    match = re.compile(r"(?<=[\s\"'/])" + re.escape(name) + r"(?=[\s=/>]|$)", re.I).search(tag_text, after)
    return match.start() if match else 0


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def _is_external(target: str) -> bool:
    return normalised_scheme(target).startswith(("http:", "https:", "//"))


def _outside_code(body: str) -> str:
    """``body`` with fenced code blocks blanked (lines kept, so that positions hold)."""
    if "```" in body or "~~~" in body:
        unfenced = dict(_unfenced_lines(body))
        return "\n".join(unfenced.get(n, "") for n in range(1, body.count("\n") + 2))
    return body


@functools.lru_cache(maxsize=4096)
def headings(body: str) -> tuple[tuple[str, str | None], ...]:
    """Each heading's text and its explicit ``{#id}``, in order (outside code).

    Apart from :func:`scan`: only pages that some link points into need them.
    """
    return tuple(_headings(_outside_code(body)))


@functools.lru_cache(maxsize=4096)
def scan(body: str) -> Scan:
    """Links, hazards and ids of a Markdown body, outside code."""
    outside_code = _outside_code(body)
    prose = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), outside_code) if "`" in outside_code else outside_code
    where = _Positions(prose)
    links: list[Link] = []
    hazards: list[Hazard] = []
    ids: set[str] = set()

    def hazard(offset_or_place: int | tuple[int, int], message: str) -> None:
        line, col = where(offset_or_place) if isinstance(offset_or_place, int) else offset_or_place
        hazards.append(Hazard(line, col, message))

    for match in _INLINE_LINK.finditer(prose):
        group = 2 if match.group(2) is not None else 3
        image = match.start() > 0 and prose[match.start() - 1] == "!"
        links.append(Link(match.group(group), *where(match.start(group)), image=image))
    for match in _REF_DEF.finditer(prose):
        links.append(Link(match.group(2), *where(match.start(2))))
    if "<" in prose:
        for match in _AUTOLINK.finditer(prose):
            links.append(Link(match.group(1), *where(match.start(1))))
    if "{" in prose:
        for attr_list in _ATTR_LIST.finditer(prose):
            ids.update(_ID_IN_ATTRS.findall(attr_list.group(1)))
            for pair in _ATTR_PAIR.finditer(attr_list.group(1)):
                name, value = pair.group(1).lower(), _unquote(pair.group(2))
                start = attr_list.start(1) + pair.start()
                if name.startswith("on"):
                    hazard(start, f"event-handler attribute '{pair.group(1)}' is not allowed (attribute list)")
                elif name == "style":
                    hazard(start, "inline style attributes are not allowed (attribute list)")
                elif name in URL_ATTRIBUTES:
                    links.append(Link(value, *where(attr_list.start(1) + pair.start(2))))
                elif name == "id":
                    ids.add(value)
    if _HTML_START.search(prose):
        reader = _TagReader()
        reader.feed(prose)
        reader.close()
        for line, col, name, attrs, text in reader.tags:
            if name in FORBIDDEN_TAGS:
                hazard((line, col), f"<{name}> is not allowed")
            base = where.starts[line - 1] + col - 1
            seen = 0
            for attr, attr_value in attrs:
                offset = _attr_offset(text, attr, seen)
                seen = offset or seen
                if attr.startswith("on"):
                    hazard(base + offset, f"event-handler attribute '{attr}' is not allowed")
                elif attr == "style":
                    hazard(base + offset, "inline style attributes are not allowed")
                elif attr == "id" and attr_value:
                    ids.add(attr_value)
                elif attr in URL_ATTRIBUTES and attr_value is not None:
                    value_at = text.find(attr_value, offset) if offset else -1
                    place = where(base + value_at) if value_at >= 0 else where(base + offset)
                    for part in attr_value.split(",") if attr == "srcset" else [attr_value]:
                        links.append(Link(part.strip().split(" ")[0], *place, image=name == "img"))
        _hazards_only_a_browser_sees(prose, where, reader.tags, hazards)
    for link in links:
        scheme = normalised_scheme(link.target)
        if scheme.startswith(UNSAFE_SCHEMES):
            hazard((link.line, link.col), f"'{scheme.split(':', 1)[0]}:' links are not allowed")
        elif link.image and _is_external(link.target):
            hazard((link.line, link.col),
                   "pictures from another site are not allowed: every reader's browser would contact that site")
    links.sort(key=lambda link: (link.line, link.col))
    hazards.sort(key=lambda h: (h.line, h.col))
    return Scan(tuple(links), tuple(hazards), frozenset(ids))


def _danger(tag: str, attrs: Iterable[tuple[str, str | None]]) -> Iterator[tuple[str, str]]:
    """What makes one element unsafe, as (kind, name) pairs that can be counted and looked for."""
    if tag in FORBIDDEN_TAGS:
        yield "tag", tag
    for attr, value in attrs:
        if attr.startswith("on"):
            yield "attr", attr
        elif attr == "style":
            yield "attr", "style"
        elif attr in URL_ATTRIBUTES and value and normalised_scheme(value).startswith(UNSAFE_SCHEMES):
            yield "scheme", f"{attr} {normalised_scheme(value).split(':', 1)[0]}"


_ELEMENT_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")
_BROWSER_NOTE = " (browsers read it as markup: `<!-->`, `<!--->`, `--!>` and `<![CDATA[` do not hide what follows)"


def _hazards_only_a_browser_sees(
    prose: str, where: _Positions, tags: list[tuple[int, int, str, list[tuple[str, str | None]], str]],
    hazards: list[Hazard],
) -> None:
    """Add what a browser's HTML parser finds unsafe and the standard library's tokenizer did not see.

    ``html.parser`` reads some comment forms differently from browsers: ``<!-->`` and
    ``<!--->`` are whole (empty) comments to a browser, ``--!>`` ends one, and ``<![CDATA[``
    outside SVG is a bogus comment that ends at the first ``>``; an ``<img onerror>`` after
    any of them runs in Chromium although ``html.parser`` read it as comment text. lexbor
    (through selectolax) parses as the HTML standard says; each unsafe thing it finds beyond
    those already reported is looked for in the text, to be reported where it stands.
    """
    from selectolax.lexbor import LexborHTMLParser  # local: only bodies with raw HTML need it

    from generator.sanitize import ATTRIBUTES, TAGS  # what the published page keeps

    seen: Counter[tuple[str, str]] = Counter()
    for _line, _col, tag, attrs, _text in tags:
        seen.update(_danger(tag, attrs))
    browser: Counter[tuple[str, str]] = Counter()
    dropped: Counter[tuple[str, str]] = Counter()
    root = LexborHTMLParser(prose).root
    for node in root.traverse(include_text=False) if root is not None else ():
        tag = (node.tag or "").lower()
        if tag.startswith(("-", "#")) or tag in ("html", "head", "body"):
            continue
        attrs = [(name.lower(), value) for name, value in node.attributes.items()]
        unsafe = list(_danger(tag, attrs))
        browser.update(unsafe)
        if unsafe:
            continue
        # Not unsafe, but the sanitizer leaves it out of the page: the editor should know.
        if tag not in TAGS:
            if _ELEMENT_NAME.match(tag):  # not `<https://…>` or `<name@host>`: Markdown makes those links
                dropped["tag", tag] += 1
            continue
        kept = ATTRIBUTES.get(tag, ATTRIBUTES["*"])
        for name, _value in attrs:
            if name not in kept and not name.startswith(("data-", "aria-")):
                dropped["attr", f"{tag} {name}"] += 1
    _report_dropped(prose, where, dropped, hazards)
    reported = {(h.line, h.col) for h in hazards}
    for (kind, name), count in sorted((browser - seen).items()):
        if kind == "tag":
            pattern, message = rf"<{re.escape(name)}(?=[\s/>]|$)", f"<{name}> is not allowed"
        elif name == "style":
            pattern, message = r"(?<=[\s\"'/])style\s*=", "inline style attributes are not allowed"
        elif kind == "attr":
            pattern, message = rf"(?<=[\s\"'/]){re.escape(name)}(?=[\s=/>]|$)", \
                f"event-handler attribute '{name}' is not allowed"
        else:
            attr, scheme = name.split(" ", 1)
            pattern, message = rf"(?<=[\s\"'/]){re.escape(attr)}\s*=", f"'{scheme}:' links are not allowed"
        places = [where(m.start()) for m in re.finditer(pattern, prose, re.I)]
        places = [place for place in places if place not in reported] or [(1, 1)]
        for place in places[:count]:
            reported.add(place)
            hazards.append(Hazard(*place, message + _BROWSER_NOTE))


def _report_dropped(prose: str, where: _Positions, dropped: Counter[tuple[str, str]], hazards: list[Hazard]) -> None:
    """A hazard for each tag or attribute the published page would silently lose, where it is written."""
    for (kind, name), count in sorted(dropped.items()):
        if kind == "tag":
            pattern = rf"<{re.escape(name)}(?=[\s/>]|$)"
            message = f"<{name}> is not kept in the published page (to show it as text, put it in `backticks`)"
        else:
            tag, attr = name.split(" ", 1)
            pattern = rf"(?<=[\s\"'/]){re.escape(attr)}(?=[\s=/>]|$)"
            message = f"attribute '{attr}' of <{tag}> is not kept in the published page"
        places = [where(m.start()) for m in re.finditer(pattern, prose, re.I)] or [(1, 1)]
        for place in places[:count]:
            hazards.append(Hazard(*place, message))


def _headings(prose: str) -> Iterator[tuple[str, str | None]]:
    """ATX (``## Title``) and setext (underlined) headings, in the order of the text."""
    found = [(m.start(1), m.group(1).rstrip("#").strip()) for m in _ATX.finditer(prose)]
    atx_lines = {prose.rfind("\n", 0, start) + 1 for start, _ in found}
    for match in _UNDERLINE.finditer(prose):
        # A setext heading is the first line of a paragraph, underlined with = or -.
        end = match.start() - 1
        if end < 0:
            continue
        start = prose.rfind("\n", 0, end) + 1
        text = prose[start:end]
        if not text.strip() or start in atx_lines:
            continue
        if start > 0 and prose[prose.rfind("\n", 0, start - 1) + 1 : start - 1].strip():
            continue
        found.append((start, text.strip()))
    for _, text in sorted(found):
        yield _heading_text(text)


def _heading_text(text: str) -> tuple[str, str | None]:
    """A heading's text without its trailing attribute list, and the id that list gives."""
    attrs = _TRAILING_ATTRS.search(text)
    if not attrs:
        return text, None
    found = _ID_IN_ATTRS.findall(attrs.group(1))
    return text[: attrs.start()].rstrip().rstrip("#").rstrip(), (found[-1] if found else None)


def links(body: str) -> list[Link]:
    """Every link and image target in the body, outside code."""
    return list(scan(body).links)


def hazards(body: str) -> list[Hazard]:
    """Raw HTML, attributes and link schemes that could run code or load other hosts."""
    return list(scan(body).hazards)


def heading_anchors(body: str) -> set[str]:
    """The anchors Python-Markdown's toc gives the body's headings, and the ids written in it."""
    return page_anchors(None, body)


def page_anchors(title: str | None, body: str) -> set[str]:
    """Every anchor of a page that shows ``title`` as its first heading, then ``body``.

    Follows Python-Markdown's toc: explicit ids are taken first, then each
    heading gets its slug, made unique with ``_1``, ``_2``…, in the order of the page.
    """
    found = headings(body)
    used = {explicit for _, explicit in found if explicit}
    shown: list[tuple[str, str | None, bool]] = [(title, None, True)] if title is not None else []
    shown += [(text, explicit, False) for text, explicit in found]
    for text, explicit, plain in shown:
        if explicit:
            continue
        _unique(toc_slug(text, plain=plain), used)
    return used | scan(body).ids


def _unique(anchor: str, used: set[str]) -> str:
    if anchor in used or not anchor:
        match = _IDCOUNT.match(anchor)
        base, count = (match.group(1), int(match.group(2))) if match else (anchor, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        anchor = f"{base}_{count}"
    used.add(anchor)
    return anchor


def toc_slug(text: str, *, plain: bool = False) -> str:
    """The heading slug the build gives a heading written as ``text`` (see :mod:`generator.anchors`).

    Unless ``plain``, Markdown markup (links, emphasis, code, tags, escapes)
    is removed first, as the slug is made from the rendered text.
    """
    if not plain:
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"<[^>]+>", "", text)
        text = re.sub(r"(\*{1,3}|`+|\b_{1,3}|_{1,3}\b)", "", text)
        text = re.sub(r"\\(.)", r"\1", text)
        text = html.unescape(text)
    return anchors.slug(text)


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
