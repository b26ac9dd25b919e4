"""Point MkDocs' warnings about a generated page at the content file an editor can fix.

MkDocs speaks of the generated docs (``Doc file 'lessons/answering-fast.md'
contains a link ...``); editors know ``content/lessons/answering-fast.md``.
Each generated page names its source in its front matter (``portal_source``);
:class:`LocatingHandler` rewrites such a warning, as it is logged, into
``path:line:col: message`` with the line of the offending link when it can
be found in the source. In strict mode the warning still fails the build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

_DOC_FILE = re.compile(r"^Doc file '(?P<doc>[^']+)' contains (?P<rest>.*)$", re.S)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"a link '(?P<link>[^']*)', but the doc '[^']*' does not contain an anchor '#(?P<anchor>[^']*)'"),
     "there is no section `#{anchor}` in the page that `{link}` points to"),
    (re.compile(r"a link '(?P<link>[^']*)', but there is no such anchor on this page"),
     "there is no section `{link}` in this page"),
    (re.compile(r"a link '(?P<link>[^']*)', but the target(?: '[^']*')? is not found among documentation files"),
     "link `{link}` points to a page that does not exist"),
    (re.compile(r"an absolute link '(?P<link>[^']*)'"),
     "link `{link}` is an absolute path; link to a page by its source file, e.g. `../lessons/<id>.md`"),
    (re.compile(r"an unrecognized relative link '(?P<link>[^']*)'"),
     "link `{link}` does not point to a page of the portal"),
    (re.compile(r"a link to '(?P<link>[^']*)' which is excluded from the built site"),
     "link `{link}` points to a page that is not published"),
]


class SourceMap:
    """Generated docs paths and the content files they were made from."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.sources: dict[str, str] = {}

    def add(self, docs_path: str, source: str) -> None:
        self.sources[docs_path] = source

    def locate(self, message: str) -> str | None:
        """``message`` as ``path:line:col: message`` about a content file, or None if it is not about one."""
        match = _DOC_FILE.match(message)
        if not match or match.group("doc") not in self.sources:
            return None
        source = self.sources[match.group("doc")]
        text = f"MkDocs: {match.group('rest')}"
        needles: list[str] = []
        for pattern, template in _PATTERNS:
            found = pattern.match(match.group("rest"))
            if found:
                values = found.groupdict()
                text = template.format(**values)
                if values.get("anchor"):
                    needles.append("#" + values["anchor"])
                link = values["link"]
                needles += [link, link.rsplit("/", 1)[-1].split("#")[0].rsplit(".", 1)[0]]
                break
        line, col = self._find(source, [n for n in needles if n])
        return f"{source}:{line}:{col}: {text}"

    def _find(self, source: str, needles: list[str]) -> tuple[int, int]:
        if self.root is None:
            return 1, 1
        try:
            lines = (self.root / source).read_text("utf-8-sig", errors="replace").splitlines()
        except OSError:
            return 1, 1
        for needle in needles:
            for number, line in enumerate(lines, start=1):
                col = line.find(needle)
                if col >= 0:
                    return number, col + 1
        return 1, 1


ENGINE_LOGGERS = ("mkdocs", "properdocs")
"""Where the in-process engines log: MkDocs' modules as ``mkdocs.*``, ProperDocs' as ``properdocs.*``
(even when they were imported under MkDocs' names, see generator.engines)."""


class LocatingHandler(logging.Handler):
    """Rewrites MkDocs warnings about generated pages in place, before other handlers print them."""

    def __init__(self, sources: SourceMap) -> None:
        super().__init__(logging.WARNING)
        self.sources = sources
        self.located: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            located = self.sources.locate(record.getMessage())
        except Exception:  # a log handler must never break the build it reports on
            return
        if located is not None:
            record.msg, record.args = located, ()
            self.located.append(located)

    def install(self) -> None:
        """Run before MkDocs' own handlers, so that they print the located message."""
        for name in ENGINE_LOGGERS:
            logger = logging.getLogger(name)
            if self not in logger.handlers:
                logger.handlers.insert(0, self)

    def remove(self) -> None:
        for name in ENGINE_LOGGERS:
            logger = logging.getLogger(name)
            if self in logger.handlers:
                logger.handlers.remove(self)
