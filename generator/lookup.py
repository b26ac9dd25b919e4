"""Where the portal's templates and interface strings are found, and the strings of one language.

The organisation's own files in ``overrides/portal/`` are searched before the built-in ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from generator.model import Item, Portal
from generator.yamlio import load_settings

TEMPLATES = Path(__file__).parent / "templates"
MESSAGES = Path(__file__).parent / "messages"
USER_TEMPLATES = Path("overrides") / "portal"
"""Below the repository root: templates here are searched before the built-in ones."""


def custom_playbook_template(root: Path, kind: str) -> Path | None:
    """The user's template for a playbook kind that is not built in, if there is one."""
    candidate = root / USER_TEMPLATES / "playbooks" / f"{kind}.md.j2"
    return candidate if candidate.is_file() else None


class Messages:
    """The portal's own interface strings for one language (English fills any gap)."""

    def __init__(self, language: str, extra_dirs: list[Path] | None = None) -> None:
        self.language = language
        self.strings: dict[str, str] = {}
        for folder in [MESSAGES, *(extra_dirs or [])]:
            for lang in ("en", language):
                path = folder / f"{lang}.yml"
                if path.is_file():
                    self.strings.update(load_settings(path.read_text("utf-8")) or {})

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"no interface string {key!r}") from None
        return text.format(**values) if values else text


class PageMaker(Protocol):
    """What the pages built beside the renderer (HR, learning, share) ask of it.

    :class:`generator.render.Renderer` is one; the modules that build those pages
    name this protocol instead of importing the renderer, which imports them.
    """

    portal: Portal
    language: str
    t: Messages

    def page(self, template: str, docs_path: str, meta: dict[str, Any], **context: Any) -> str: ...

    def meta(self, title: str, kind: str, item_id: str = "", source: str | None = None) -> dict[str, Any]: ...

    def docs_path(self, kind: str, item: Item[Any]) -> str: ...
