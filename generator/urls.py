"""Where each page lives and how pages link to each other: docs paths, URLs, relative links.

A leaf of the generator: rendering, the checks and the learning pages all need these,
and none of them needs the others to compute a link.
"""

from __future__ import annotations

import functools
import posixpath
import re
import urllib.parse
from typing import Any

from generator.model import Item, Portal

PAGE_LINK = "data-portal-href"
"""Where the generator writes a link's URL, relative to the built page, in HTML too large to
write in Markdown (see ``generator.render.page_link``): no engine rewrites a ``data-``
attribute, and :func:`generator.postbuild.resolve_page_links` makes it the ``href`` after the build."""


def docs_path(kind: str, item: Item[Any]) -> str:
    """The page of an item of content ``kind`` (its folder), below the docs folder."""
    return f"{kind}/{item.slug}.md"


@functools.lru_cache(maxsize=65536)
def page_url(docs_path: str) -> str:
    """The URL (relative to the site root) MkDocs gives a page, with directory URLs."""
    if docs_path == "index.md":
        return ""
    if docs_path.endswith("/index.md"):
        return docs_path[: -len("index.md")]
    return docs_path[: -len(".md")] + "/"


def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for two paths below the docs folder, without its trips to the
    file system's current folder (tens of thousands of links at thousands of lessons)."""
    to = [part for part in target.split("/") if part and part != "."]
    at = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, at, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def folder_of(docs_path: str) -> tuple[str, bool]:
    """What relative links from a page depend on: its folder, and whether it is that folder's index."""
    return posixpath.dirname(docs_path), posixpath.basename(docs_path) == "index.md"


@functools.lru_cache(maxsize=65536)
def relative_href(from_docs: str, to_docs: str, anchor: str = "") -> str:
    """A relative URL from one built page to another, for what no engine rewrites (``data-``
    attributes a script reads). Links a reader follows are Markdown links to the sources
    (:func:`relative_md`), even inside HTML: MkDocs leaves ``href`` in raw HTML as written,
    while Zensical reads it as relative to the source file, so no raw ``href`` suits both."""
    href = _relpath(page_url(to_docs), page_url(from_docs))
    href = "./" if href == "." else href + "/"
    return href + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def relative_file(from_docs: str, file: str) -> str:
    """A relative URL from a page to a file that is not a page (an image, a download)."""
    return _relpath(file, page_url(from_docs))


@functools.lru_cache(maxsize=65536)
def relative_md(from_docs: str, to_docs: str, anchor: str = "") -> str:
    """A relative link between two Markdown sources, which MkDocs checks and rewrites."""
    href = _relpath(to_docs, posixpath.dirname(from_docs))
    return href + (f"#{anchor}" if anchor else "")


def resolve_source_link(portal: Portal, target: str) -> tuple[str, Any, str] | None:
    """What a link in a lesson source points to: (kind, item, anchor), or None if not content.

    Targets are relative to ``content/lessons/``: ``other.md``, ``../playbooks/tone.yml#x``.
    ``("self", None, anchor)`` is an in-page anchor. External URLs give None.
    """
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return None
    path, _, anchor = target.partition("#")
    if not path:
        return ("self", None, anchor)
    path = urllib.parse.unquote(path)  # `my%20lesson.md`, as MkDocs reads links
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join("lessons", path))
    kind, _, name = joined.partition("/")
    if "/" in name:
        return None
    stem, dot, suffix = name.rpartition(".")
    known = portal.kinds.get(kind)
    if known is None or not known.page:
        return None  # not a folder of content, or one without pages (posts)
    items = portal.items(kind)
    expected = known.suffix
    if not dot or "." + suffix != expected or stem not in items:
        return None
    return (kind, items[stem], anchor)
