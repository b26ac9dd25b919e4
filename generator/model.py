"""The portal as plain data: what was read from ``content/``, with where it came from.

Nothing here knows about MkDocs. The loader fills a :class:`Portal`; the
checks, the renderer and the reports read it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator import schema
from generator.yamlio import Document

T = TypeVar("T")

OWN_FOLDERS = frozenset({"roles", "paths", "lessons", "playbooks", "posts"})
"""The content kinds a :class:`Portal` holds in attributes of their own; the kinds themselves
are declared in :mod:`generator.kinds`."""


@dataclasses.dataclass
class Item(Generic[T]):
    """One content file: its id (the file name without extension) and its checked data."""

    id: str
    data: T
    source: str
    """Path relative to the repository root, with forward slashes."""
    doc: Document
    """Where each key and value stands in the source, for located messages."""
    slug: str = ""
    """The URL-safe name of the generated page (set by the loader)."""

    def where(self, *loc: int | str) -> tuple[int, int]:
        return self.doc.where(loc)

    def value_at(self, *loc: int | str) -> tuple[int, int]:
        return self.doc.value_at(loc)


@dataclasses.dataclass
class Lesson(Item[schema.LessonMeta]):
    """A lesson: front matter plus a Markdown body."""

    body: str = ""
    body_line: int = 1
    """Line of the source file on which the body starts."""
    fingerprint: str = ""
    """Short hash of the lesson's text; the browser uses it to notice a lesson changed after completion."""


@dataclasses.dataclass
class Portal:
    """Everything in ``content/``, checked one file at a time."""

    root: Path
    """The repository root (the folder that holds ``content/``)."""
    config: schema.PortalConfig
    config_doc: Document
    roles: dict[str, Item[schema.Role]] = dataclasses.field(default_factory=dict)
    paths: dict[str, Item[schema.LearningPath]] = dataclasses.field(default_factory=dict)
    lessons: dict[str, Lesson] = dataclasses.field(default_factory=dict)
    playbooks: dict[str, Item[schema.PlaybookBase]] = dataclasses.field(default_factory=dict)
    posts: dict[str, Item[schema.Post]] = dataclasses.field(default_factory=dict)
    """Approved posts for the share page (``content/posts/``); they are not pages of their own."""
    others: dict[str, dict[str, Item[Any]]] = dataclasses.field(default_factory=dict)
    """Items of the content kinds beyond the five above, by folder (see :mod:`generator.kinds`)."""
    kinds: dict[str, Any] = dataclasses.field(default_factory=dict)
    """The content kinds read, by folder (:class:`generator.kinds.base.ContentKind`), in reading order."""
    files: int = 0
    """How many content files were read."""
    unreadable: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    """Ids, per folder, of files that exist but could not be read (their problems are reported);
    references to them are not reported again as unknown."""
    language: str = ""
    """The language of the text held here: empty for the source files, else a translated view's language."""
    translations: dict[str, dict[tuple[str, str], Any]] = dataclasses.field(default_factory=dict)
    """Per language, the checked translations read from content/, keyed by (kind, id); see generator.translations."""
    fallbacks: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    """In a translated view: the (kind, id) of items shown in the default language for want of a translation."""
    _origins: dict[str, dict[str, Item[schema.Role]]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """:meth:`path_origins` of each role, once the portal is read (pages and reports ask often)."""
    _steps: dict[str, dict[str, tuple[schema.Step, Item[schema.LearningPath], int]]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """:meth:`role_steps` of each role, likewise."""

    def items(self, folder: str) -> dict[str, Item[Any]]:
        """The items of a content kind, by id: ``items("roles")`` is :attr:`roles`."""
        if folder in OWN_FOLDERS:
            return getattr(self, folder)  # type: ignore[no-any-return]
        return self.others.get(folder, {})

    def suffix(self, folder: str) -> str:
        """The suffix of a content kind's files (``.yml`` when the kind is not known)."""
        kind = self.kinds.get(folder)
        return kind.suffix if kind is not None else ".yml"

    def roles_by_level(self) -> list[Item[schema.Role]]:
        """Roles from the first rung of the ladder to the top, then by title."""
        return sorted(self.roles.values(), key=lambda r: (r.data.level, r.data.title.casefold()))

    def path_origins(self, role: Item[schema.Role]) -> dict[str, Item[schema.Role]]:
        """Every path a role is assigned, with the role that lists it: itself or a role it includes.

        Included roles come first (depth first, in the order of ``includes``), then the role's own
        paths, so that shared foundations lead the list. Each role and path is visited once, which
        keeps a cycle of inclusions (an error the checks report) from looping.
        """
        known = self._origins.get(role.id)
        if known is not None and self.roles.get(role.id) is role:
            return dict(known)
        origins: dict[str, Item[schema.Role]] = {}
        visited: set[str] = set()

        def walk(current: Item[schema.Role]) -> None:
            if current.id in visited:
                return
            visited.add(current.id)
            for included in current.data.includes:
                if included in self.roles:
                    walk(self.roles[included])
            for path_id in current.data.paths:
                if path_id in self.paths:
                    origins.setdefault(path_id, current)

        walk(role)
        # The role's own listing wins over an inherited one.
        for path_id in role.data.paths:
            if path_id in origins:
                origins[path_id] = role
        self._origins[role.id] = origins
        return dict(origins)

    def paths_of_role(self, role: Item[schema.Role]) -> list[Item[schema.LearningPath]]:
        """The role's effective paths: its own and those of every role it includes."""
        return [self.paths[p] for p in self.path_origins(role)]

    def paths_with_lesson(self, lesson_id: str) -> list[Item[schema.LearningPath]]:
        return [p for p in self.paths.values() if any(s.lesson == lesson_id for s in p.data.steps)]

    def roles_with_path(self, path_id: str) -> list[Item[schema.Role]]:
        """Roles assigned the path, directly or through a role they include."""
        return [r for r in self.roles_by_level() if path_id in self.path_origins(r)]

    def role_steps(self, role: Item[schema.Role]) -> dict[str, tuple[schema.Step, Item[schema.LearningPath], int]]:
        """Each lesson a role takes, with the step that sets its due day, that step's path and index.

        Over the role's effective paths a required step wins over an optional one, then the
        earliest due day; on a tie the first path in :meth:`paths_of_role` order.
        """
        kept = self._steps.get(role.id)
        if kept is not None and self.roles.get(role.id) is role:
            return dict(kept)
        chosen: dict[str, tuple[schema.Step, Item[schema.LearningPath], int]] = {}
        for path in self.paths_of_role(role):
            for index, step in enumerate(path.data.steps):
                known = chosen.get(step.lesson)
                if known is None or (step.required, -step.due_day) > (known[0].required, -known[0].due_day):
                    chosen[step.lesson] = (step, path, index)
        self._steps[role.id] = chosen
        return dict(chosen)

    def role_lessons(self, role: Item[schema.Role]) -> dict[str, schema.Step]:
        """The lessons a role must take, each with its earliest step over the role's effective paths."""
        return {lesson: found[0] for lesson, found in self.role_steps(role).items()}

    def path_minutes(self, path: Item[schema.LearningPath], *, required_only: bool = False) -> int:
        return sum(
            self.lessons[s.lesson].data.minutes
            for s in path.data.steps
            if s.lesson in self.lessons and (s.required or not required_only)
        )

    def role_minutes(self, role: Item[schema.Role]) -> int:
        """Minutes of every lesson the role is assigned, each counted once."""
        return sum(self.lessons[i].data.minutes for i in self.role_lessons(role) if i in self.lessons)


def slugify(text: str) -> str:
    """A lowercase ASCII name for URLs; empty when nothing Latin is left (see :func:`page_slug`)."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def page_slug(item_id: str) -> str:
    """The stable URL name of an item: its slug, or a hash of its id when the id is not Latin."""
    slug = slugify(item_id)
    if slug:
        return slug
    digest = hashlib.sha256(unicodedata.normalize("NFC", item_id).encode("utf-8")).hexdigest()
    return f"id-{digest[:10]}"


def fingerprint(*parts: str) -> str:
    """A short, stable hash of text."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:12]
