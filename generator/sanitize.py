"""The second layer of defence: rendered page HTML keeps only what Material and the portal use.

The checks already refuse ``<script>``, event handlers and ``javascript:``
links in content with their location; this removes anything that slipped
past them, while keeping the classes, ids, ``data-`` and ``aria-``
attributes that Material's styles, admonitions, code highlighting and the
portal's own widgets depend on.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

import nh3

TAGS = {
    "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "input", "ins", "kbd", "label", "legend", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var", "fieldset", "button", "output", "textarea", "select",
    "option", "time", "aside", "article", "header", "footer", "main",
}
COMMON = {"class", "id", "title", "lang", "dir", "role", "tabindex", "hidden"}
ATTRIBUTES = {
    "*": COMMON,
    "a": COMMON | {"href", "rel", "download", "hreflang", "type"},
    "img": COMMON | {"src", "alt", "width", "height", "loading"},
    "input": COMMON | {"type", "name", "value", "checked", "disabled", "placeholder", "autocomplete", "required",
                       "min", "max", "step", "accept"},
    "button": COMMON | {"type", "disabled", "name", "value"},
    "label": COMMON | {"for"},
    "textarea": COMMON | {"name", "rows", "cols", "placeholder", "maxlength", "readonly"},
    "select": COMMON | {"name", "multiple"},
    "option": COMMON | {"value", "selected"},
    "output": COMMON | {"for", "name"},
    "ol": COMMON | {"start", "reversed", "type"},
    "td": COMMON | {"colspan", "rowspan", "headers", "align"},
    "th": COMMON | {"colspan", "rowspan", "headers", "scope", "align"},
    "details": COMMON | {"open"},
    "time": COMMON | {"datetime"},
    "col": COMMON | {"span"},
    "q": COMMON | {"cite"},
    "blockquote": COMMON | {"cite"},
}


# Built once: ``nh3.clean`` converts its settings on every call, which was half its cost.
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    generic_attribute_prefixes={"data-", "aria-"},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """``html`` with only allowed tags, attributes and URL schemes left."""
    return _CLEANER.clean(html)


def sanitize_all(pages: list[str]) -> list[str]:
    return [_CLEANER.clean(html) for html in pages]


# --- a second process, for large builds -----------------------------------------------------
# Pages travel through a pipe as length-prefixed marshal data (lists of strings): the
# worker is this module run as a script, so nothing of the caller's main module is
# imported again (as multiprocessing would).

_LENGTH = struct.Struct("<Q")


def _send_message(stream: IO[bytes], data: list[str]) -> None:
    payload = marshal.dumps(data)
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive_message(stream: IO[bytes]) -> list[str] | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("the sanitizing process stopped mid-message")
    data = marshal.loads(payload)  # our own worker's output
    if not isinstance(data, list):
        raise ValueError("unexpected message from the sanitizing process")
    return data


def _worker() -> None:
    """Sanitize batches of pages read from standard input until it closes."""
    while (pages := _receive_message(sys.stdin.buffer)) is not None:
        _send_message(sys.stdout.buffer, sanitize_all(pages))


class _Worker:
    """One sanitizing process; :meth:`clean` blocks a thread (not the interpreter) while it works."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.sanitize"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )

    def clean(self, pages: list[str]) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        _send_message(self.process.stdin, pages)
        cleaned = _receive_message(self.process.stdout)
        if cleaned is None or len(cleaned) != len(pages):
            raise EOFError("the sanitizing process stopped")
        return cleaned

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class Sanitizer:
    """Sanitizes the pages of one build, in a second process when the machine has a core to spare.

    MkDocs turns every page's Markdown into HTML before it renders any page, so the
    sanitizing can run beside it: :meth:`add` hands a page over and keeps its HTML as it
    is for now, and :meth:`finish` (before the first page is rendered) puts every
    sanitized page in place. The second process starts only for a large site and takes
    pages in batches (starting it, or sending pages one by one, costs more than it saves
    on a small site). With one core, or if the second process fails, the pages are
    sanitized here.
    """

    START = 256
    """Pages waiting before the second process is worth starting."""
    BATCH = 64

    def __init__(self, parallel: bool | None = None) -> None:
        if parallel is None:
            parallel = hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1
        self._parallel = parallel
        self._worker: _Worker | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._waiting: list[tuple[Any, str]] = []
        self._sent: list[tuple[list[tuple[Any, str]], Future[list[str]]]] = []

    def add(self, page: Any, html: str) -> str:
        """``html`` sanitized now (one core), or as it is until :meth:`finish` replaces it."""
        if not self._parallel:
            return sanitize(html)
        self._waiting.append((page, html))
        if self._worker is None and len(self._waiting) >= self.START:
            try:
                self._worker = _Worker()
            except OSError:
                self._parallel = False  # no second process: everything waiting is done in finish()
                return html
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-sanitize")
        if self._worker is not None and len(self._waiting) >= self.BATCH:
            self._send()
        return html

    def _send(self) -> None:
        assert self._worker is not None and self._thread is not None
        batch, self._waiting = self._waiting, []
        self._sent.append((batch, self._thread.submit(self._worker.clean, [html for _, html in batch])))

    def finish(self) -> None:
        """Give every page handed over its sanitized HTML (``page.content``)."""
        if self._worker is not None and self._waiting:
            self._send()
        sent, self._sent = self._sent, []
        for batch, future in sent:
            try:
                cleaned = future.result()
            except Exception:  # the second process failed: do its share here
                cleaned = sanitize_all([html for _, html in batch])
            for (page, _), html in zip(batch, cleaned, strict=True):
                page.content = html
        for page, html in self._waiting:
            page.content = sanitize(html)
        self._waiting = []

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self._worker is not None:
            self._worker.close()
            self._worker = None


if __name__ == "__main__":
    _worker()
