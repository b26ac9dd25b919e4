"""The ids a page's sections get when the site is built, and the Markdown settings that decide them.

``portal validate`` must accept a link to ``page#section`` exactly when the build
will: both take the page's ids from Python-Markdown run with the same extensions
and the same heading slugs (:func:`markdown_settings`), and collect them as MkDocs
does (every ``id`` in the document, ``<a name>``, and ids written in raw HTML).

Two settings are the portal's own, whatever the repository's ``mkdocs.yml`` says:

- headings get Unicode slugs (pymdown-extensions' ``slugify``, lower case), so a
  heading in Chinese, Greek or Urdu gets a readable id of its own words instead of
  ``_1``, ``_2`` (which a reordering of the headings would change);
- ``#`` starts a heading only when a space follows (``pymdownx.saneheaders``, as in
  CommonMark), so a line that starts with a hashtag or a channel name stays text.

This module is a leaf: it knows Python-Markdown, not the portal.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import threading
from collections.abc import Callable
from typing import Any

import markdown
from markdown.htmlparser import htmlparser  # type: ignore[attr-defined]
from markdown.treeprocessors import Treeprocessor

SLUGIFY = "pymdownx.slugs.slugify"
SLUGIFY_OPTIONS: dict[str, Any] = {"case": "lower"}
SANE_HEADINGS = "pymdownx.saneheaders"
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
"""Extensions MkDocs always loads, whatever the config lists."""


@dataclasses.dataclass(frozen=True)
class PythonCall:
    """A function the generated ``mkdocs.yml`` names with ``!!python/object/apply:`` (MkDocs' loader
    calls it), as the theme's documentation writes the slug setting."""

    function: str
    kwds: dict[str, Any]

    def resolve(self) -> Any:
        module, _, name = self.function.rpartition(".")
        return getattr(importlib.import_module(module), name)(**self.kwds)


HEADING_SLUG = PythonCall(SLUGIFY, SLUGIFY_OPTIONS)


@functools.lru_cache(maxsize=1)
def heading_slugify() -> Callable[[str, str], str]:
    """The function that turns a heading's text into its id (``text, separator -> id``)."""
    return HEADING_SLUG.resolve()  # type: ignore[no-any-return]


def slug(text: str) -> str:
    """The id the build gives a heading whose rendered text is ``text`` (before making it unique)."""
    return heading_slugify()(text, "-")


def markdown_settings(configured: Any) -> list[Any]:
    """The ``markdown_extensions`` of a generated project: the repository's list with the
    portal's heading slugs on ``toc`` and sane headings added (see the module's docstring)."""
    extensions: list[Any] = []
    seen: set[str] = set()
    for entry in configured if isinstance(configured, list) else []:
        name = entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
        if not isinstance(name, str):
            extensions.append(entry)
            continue
        seen.add(name)
        if name == "toc":
            options = dict(entry[name] or {}) if isinstance(entry, dict) else {}
            options["slugify"] = HEADING_SLUG
            entry = {"toc": options}
        extensions.append(entry)
    if "toc" not in seen:
        extensions.append({"toc": {"slugify": HEADING_SLUG}})
    if SANE_HEADINGS not in seen:
        extensions.append(SANE_HEADINGS)
    return extensions


def _for_python_markdown(extensions: list[Any]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names: list[str] = list(MKDOCS_BUILTINS)
    configs: dict[str, dict[str, Any]] = {}
    for entry in extensions:
        if isinstance(entry, str):
            name, options = entry, {}
        else:
            name, options = next(iter(entry)), dict(next(iter(entry.values())) or {})
        if name not in names:
            names.append(name)
        configs[name] = {key: value.resolve() if isinstance(value, PythonCall) else value
                         for key, value in options.items()}
    return names, configs


class _CollectIds(Treeprocessor):
    """Every id in the document and every ``<a name>``, once the headings have theirs (as MkDocs)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.ids: set[str] = set()

    def run(self, root: Any) -> None:
        for element in root.iter():
            if element.get("id"):
                self.ids.add(element.get("id"))
            if element.tag == "a" and element.get("name"):
                self.ids.add(element.get("name"))


class _RawHtmlIds(htmlparser.HTMLParser):  # type: ignore[misc, name-defined]
    """Ids written in raw HTML, which MkDocs reads from the whole source before Markdown does."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


class PageIds:
    """The ids pages get under one set of Markdown settings (one converter, reused)."""

    def __init__(self, extensions: list[Any]) -> None:
        names, configs = _for_python_markdown(extensions)
        self._md = markdown.Markdown(extensions=names, extension_configs=configs)
        self._collect = _CollectIds(self._md)
        self._md.treeprocessors.register(self._collect, "portal_collect_ids", 5)  # as MkDocs: with toc
        self._lock = threading.Lock()  # one converter, shared by the checks of a live preview's threads

    def __call__(self, text: str) -> frozenset[str]:
        """Every id a page whose Markdown (front matter removed) is ``text`` will have."""
        with self._lock:
            self._md.reset()
            self._collect.ids = set()
            self._md.convert(text)
            found = set(self._collect.ids)
        raw = _RawHtmlIds()
        raw.feed(text)
        raw.close()
        return frozenset(found | raw.ids)


@functools.lru_cache(maxsize=8)
def page_ids_for(settings_json: str) -> PageIds:
    """A :class:`PageIds` for settings given as JSON (so that they can key a cache)."""
    return PageIds(json.loads(settings_json, object_hook=_python_call))


def settings_key(extensions: list[Any]) -> str:
    """``extensions`` as JSON, :class:`PythonCall` included."""
    return json.dumps(extensions, sort_keys=True, default=lambda call: {"__call__": call.function, "kwds": call.kwds})


def _python_call(data: dict[str, Any]) -> Any:
    return PythonCall(data["__call__"], data["kwds"]) if "__call__" in data else data
