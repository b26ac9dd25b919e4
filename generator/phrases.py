"""The vocabulary of a change: the parts of a sentence that says what changed in the content.

A comparison (:mod:`generator.diff`) and each content kind's diff wording
(:mod:`generator.kinds`) build sentences from these; :class:`generator.diff.Wording`
turns them into words of any language the portal speaks.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol


@dataclasses.dataclass(frozen=True)
class Ref:
    """An item named by its title; linked to its page where it still has one."""

    kind: str
    id: str
    title: str


@dataclasses.dataclass(frozen=True)
class Quote:
    """Text from the content, quoted (and shortened when long)."""

    text: str


@dataclasses.dataclass(frozen=True)
class Edit:
    """A text changed in a few of its words: shown as those words in their context."""

    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class Code:
    """A file name, id or language code."""

    text: str


@dataclasses.dataclass(frozen=True)
class Label:
    """The name of a field as readers know it (``first_response_minutes``: "first response")."""

    model: str
    name: str


@dataclasses.dataclass(frozen=True)
class Chain:
    """Names from the outside in: a situation inside a playbook, a contact inside the settings."""

    parts: tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Msg:
    """A phrase from the interface messages, with its values (which may be phrases too)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Msg:
        return cls(key, tuple(values.items()))


class Refs(Protocol):
    """What names another item in a sentence: its title, by kind (folder) and id."""

    def ref(self, kind: str, item_id: str) -> Ref: ...



def plural(key: str, n: int) -> str:
    """The message key for ``n`` of something: ``<key>_one`` for one, else ``key``."""
    return key if n != 1 else key + "_one"
