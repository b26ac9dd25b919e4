"""Playbooks: ``content/playbooks/<id>.yml``; the ``kind`` field picks the model, checks and page.

The kinds are modules of :mod:`generator.kinds.playbooks`; a playbook of another kind is
read as :class:`generator.schema.CustomPlaybook` when ``overrides/portal/playbooks/<kind>.md.j2``
exists (the organisation's own kind, without checks of its own).
"""

from __future__ import annotations

from typing import Any

from generator.errors import Problems
from generator.kinds.base import ContentKind, PlaybookKind
from generator.model import Item, Portal
from generator.phrases import Code, Msg


def summary(playbook: Item[Any]) -> Any:
    return Msg.of("diff_kind", kind=Code(playbook.data.kind))


def content_kind(kinds: dict[str, PlaybookKind]) -> ContentKind:
    """The playbooks folder, checking each playbook by the checks of its kind."""

    def check_playbooks(portal: Portal, problems: Problems) -> None:
        for playbook in portal.playbooks.values():
            kind = kinds.get(getattr(playbook.data, "kind", ""))
            if kind is not None and kind.checks is not None:
                kind.checks(portal, playbook, problems)

    return ContentKind(
        folder="playbooks", suffix=".yml", singular="playbook", model=None, order=30, schema_title="Playbook",
        checks=check_playbooks, index_page="playbooks.md.j2", title_key="playbooks_title", nav=True,
        diff_subject="diff_subject_playbook", summary=summary, markdown_fields=("introduction",),
        page="playbooks/{kind}.md.j2",
    )
