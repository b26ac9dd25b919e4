"""``kind: tone``: how we sound, the words we prefer and avoid, before-and-after examples."""

from __future__ import annotations

from typing import Any

from generator import schema
from generator.errors import Problems
from generator.kinds.base import DiffWording, PlaybookKind
from generator.model import Item, Portal
from generator.phrases import Quote


def check_tone(portal: Portal, playbook: Item[Any], problems: Problems) -> None:
    """No word is both preferred and avoided."""
    data: schema.TonePlaybook = playbook.data
    avoided = {w.word.casefold() for w in data.avoided_words}
    for i, w in enumerate(data.preferred_words):
        if w.word.casefold() in avoided:
            line, col = playbook.value_at("preferred_words", i, "word")
            problems.add(playbook.source, line, col, f"`{w.word}` is both preferred and avoided")


KIND = PlaybookKind(
    name="tone", model=schema.TonePlaybook, order=10, checks=check_tone,
    diff=DiffWording(
        keys={schema.Trait: "trait", schema.WordChoice: "word", schema.Example: "channel"},
        names={schema.Trait: lambda entry, ctx: Quote(entry.trait),
               schema.WordChoice: lambda entry, ctx: Quote(entry.word),
               schema.Example: lambda entry, ctx: entry.channel},
    ),
)
