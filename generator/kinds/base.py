"""What a kind of content declares about itself; :mod:`generator.kinds` collects them.

A *content kind* is a folder of ``content/`` (roles, paths, lessons, playbooks, posts):
its files' suffix, their model, their checks, their page and its place in the
navigation, and how a comparison of revisions names its items. A *playbook kind*
(``kind: tone`` in a playbook) is a model of its own inside the playbooks folder,
with its checks, its page template (``templates/playbooks/<kind>.md.j2``) and the
words a comparison uses for its lists.

Which fields name items of other kinds is said on the field itself, with
:class:`generator.schema.RefersTo`, as :class:`generator.schema.Translatable` says
which text a translation may change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from generator.errors import Problems
from generator.model import Item, Portal

Check = Callable[[Portal, Item[Any], Problems], None]
"""A check of one item, run after every file was read: it reports located problems."""


@dataclasses.dataclass(frozen=True)
class DiffWording:
    """How a comparison of revisions speaks of a kind's fields and list entries."""

    keys: dict[type[BaseModel], str] = dataclasses.field(default_factory=dict)
    """List entries that keep their identity when edited, by the field that names them
    (a situation by its ``id``): an edited entry reads as changed, not removed and added."""
    names: dict[type[BaseModel], Callable[[Any, Any], Any]] = dataclasses.field(default_factory=dict)
    """How an entry is named in a sentence, given the entry and the comparison (which has
    ``ref(kind, id)`` for an item's title); by default its text, quoted."""
    details: dict[type[BaseModel], Callable[[Any, Any], Any]] = dataclasses.field(default_factory=dict)
    """The few facts worth saying when an entry is added (a phrase), given the entry and the comparison."""
    values: dict[tuple[type[BaseModel], str], Callable[[Any], Any]] = dataclasses.field(default_factory=dict)
    """How single values of some fields read (minutes, due days), by (model, field)."""


@dataclasses.dataclass(frozen=True)
class PageContext:
    """What a kind adds to its page beyond the item: more template values, and more files."""

    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    files: dict[str, str] = dataclasses.field(default_factory=dict)
    """Files written beside the page, by docs path (a diagram)."""


@dataclasses.dataclass(frozen=True)
class PlaybookKind:
    """One kind of playbook: ``kind: <name>`` in ``content/playbooks/<id>.yml``."""

    name: str
    model: type[BaseModel]
    """Its pydantic model, derived from :class:`generator.schema.PlaybookBase`."""
    order: int = 100
    """Where it is listed among the kinds (in hints and the schema); the built-in ones come first."""
    checks: Check | None = None
    diff: DiffWording = DiffWording()
    page: Callable[[Any, Item[Any], str], PageContext] | None = None
    """Extra values and files for its page, given the renderer, the playbook and its docs path."""

    @property
    def template(self) -> str:
        """Its page template, below ``templates/`` (or ``overrides/portal/``)."""
        return f"playbooks/{self.name}.md.j2"


@dataclasses.dataclass(frozen=True)
class ContentKind:
    """One folder of ``content/``: one item per file, the file name its id."""

    folder: str
    """Below ``content/``; also the folder of its pages."""
    suffix: str
    """``.yml`` or ``.md`` (Markdown with YAML front matter)."""
    singular: str
    """How messages name one item ("unknown role"); also the page kind in a page's meta."""
    model: type[BaseModel] | None
    """The model of its files (of a lesson's front matter); None for playbooks, whose ``kind`` picks it."""
    order: int
    """Its place among the kinds: the order folders are read, listed and checked in."""
    schema_title: str = ""
    """The title of its JSON Schema (``<singular>.schema.json``)."""
    translatable: bool = True
    """Whether files may have translations beside them (``<id>.<language><suffix>``)."""
    checks: Callable[[Portal, Problems], None] | None = None
    """The kind's own checks of all its items (the ids they name are checked already, by their
    ``RefersTo`` marks); they see the whole portal, so one pass serves thousands of items."""
    needs_settings: bool = False
    """Its checks read settings of ``portal.yml``: they run only when that file could be read."""
    page: str | None = None
    """The template of each item's page; None: its items have no pages of their own."""
    index_page: str | None = None
    """The template of the folder's index page."""
    title_key: str = ""
    """The interface string that names the collection (index page title, navigation section)."""
    nav: bool = False
    """Whether the navigation has a section listing the items (lessons are reached from paths)."""
    listed: Callable[[Portal], list[Item[Any]]] | None = None
    """The items in the order the navigation lists them; by default the order of their files."""
    diff_subject: str = ""
    """The interface string that names one item in a change ("Role {title}")."""
    diff: DiffWording = DiffWording()
    summary: Callable[[Item[Any]], Any] | None = None
    """The facts a comparison says of an added item (a phrase or a tuple of phrases)."""
    markdown_fields: tuple[str, ...] = ()
    """Fields written in Markdown: checked like lessons, their links judged on the item's page."""
