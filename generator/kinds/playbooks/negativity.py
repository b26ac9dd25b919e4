"""``kind: negativity``: how we handle negative posts, situation by situation, with a response flow."""

from __future__ import annotations

from typing import Any

from generator import diagram, schema
from generator.errors import Problems
from generator.kinds.base import DiffWording, PageContext, PlaybookKind
from generator.languages import direction
from generator.model import Item, Portal
from generator.phrases import Msg
from generator.urls import relative_md


def check_negativity(portal: Portal, playbook: Item[Any], problems: Problems) -> None:
    """Each situation id once; a situation does not escalate to the role that owns it."""
    data: schema.NegativityPlaybook = playbook.data
    seen: dict[str, int] = {}
    for i, s in enumerate(data.situations):
        if s.id in seen:
            line, col = playbook.value_at("situations", i, "id")
            problems.add(playbook.source, line, col, f"situation id `{s.id}` is used twice")
        seen[s.id] = i
        if s.escalate_to is not None and s.escalate_to in portal.roles and s.escalate_to == s.owner:
            line, col = playbook.value_at("situations", i, "escalate_to")
            problems.add(playbook.source, line, col, "escalates to the role that already owns it")


def flow_page(renderer: Any, playbook: Item[Any], here: str) -> PageContext:
    """The response flow drawn as an SVG beside the page, with its text alternative."""
    svg, alt, size = diagram.negativity_flow(playbook.data, renderer.portal, renderer.t,
                                             rtl=direction(renderer.language) == "rtl")
    svg_path = f"playbooks/{playbook.slug}-flow.svg"
    return PageContext(values={"flow_src": relative_md(here, svg_path), "flow_alt": alt, "flow_size": size},
                       files={svg_path: svg})


def _situation_details(entry: Any, ctx: Any) -> Msg:
    return Msg.of("diff_situation_details", severity=Msg.of(f"severity_{entry.severity}"),
                  minutes=Msg.of("minutes", n=entry.first_response_minutes), owner=ctx.ref("roles", entry.owner))


KIND = PlaybookKind(
    name="negativity", model=schema.NegativityPlaybook, order=20, checks=check_negativity, page=flow_page,
    diff=DiffWording(
        keys={schema.Situation: "id", schema.ReplyTemplate: "name"},
        names={schema.Situation: lambda entry, ctx: entry.name, schema.ReplyTemplate: lambda entry, ctx: entry.name},
        details={schema.Situation: _situation_details},
        values={(schema.Situation, "first_response_minutes"): lambda n: Msg.of("minutes", n=n)},
    ),
)
