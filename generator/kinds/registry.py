"""Every content kind and playbook kind, found by their modules' files.

A module is found by being there: adding a kind edits no list. The order of each
registry is the kinds' own ``order`` (then their names), so that messages, the schema
export and the pages list them the same way in every run.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from generator import kinds as kinds_package
from generator.kinds import playbook, playbooks
from generator.kinds.base import ContentKind, PlaybookKind


def _modules(package: ModuleType) -> list[ModuleType]:
    return [importlib.import_module(f"{package.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name)
            if not info.ispkg]


def _playbook_kinds() -> dict[str, PlaybookKind]:
    found = [module.KIND for module in _modules(playbooks)
             if isinstance(getattr(module, "KIND", None), PlaybookKind)]
    return {kind.name: kind for kind in sorted(found, key=lambda kind: (kind.order, kind.name))}


PLAYBOOK_KINDS: dict[str, PlaybookKind] = _playbook_kinds()
"""The playbook kinds, by the value of ``kind`` that selects them."""


def _content_kinds() -> dict[str, ContentKind]:
    found = [module.KIND for module in _modules(kinds_package)
             if isinstance(getattr(module, "KIND", None), ContentKind)]
    found.append(playbook.content_kind(PLAYBOOK_KINDS))
    return {kind.folder: kind for kind in sorted(found, key=lambda kind: (kind.order, kind.folder))}


CONTENT_KINDS: dict[str, ContentKind] = _content_kinds()
"""The folders of ``content/``, each with what it holds, in reading order."""

PAGE_KINDS: dict[str, ContentKind] = {folder: kind for folder, kind in CONTENT_KINDS.items() if kind.page}
"""The content kinds whose items have pages of their own."""

TRANSLATABLE: dict[str, ContentKind] = {folder: kind for folder, kind in CONTENT_KINDS.items() if kind.translatable}
"""The content kinds whose files may have translations beside them."""


def by_page_kind(page_kind: str) -> ContentKind | None:
    """The content kind of a page kind named in a page's meta (``role`` gives the roles)."""
    return next((kind for kind in CONTENT_KINDS.values() if kind.singular == page_kind), None)
