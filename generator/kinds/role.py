"""Roles: ``content/roles/<id>.yml``, a role guide with the paths the role is assigned."""

from __future__ import annotations

from typing import Any

from generator import schema
from generator.errors import Problems
from generator.kinds.base import ContentKind, DiffWording
from generator.model import Item, Portal
from generator.phrases import Msg, Quote, plural


def check_roles(portal: Portal, problems: Problems) -> None:
    """A path listed once; a role neither approves its own posts nor escalates to itself."""
    for role in portal.roles.values():
        _check_role(portal, role, problems)


def _check_role(portal: Portal, role: Item[Any], problems: Problems) -> None:
    data: schema.Role = role.data
    if len(set(data.paths)) != len(data.paths):
        line, col = role.where("paths")
        problems.add(role.source, line, col, "a path is listed twice", hint="list each path once")
    for i, approval in enumerate(data.needs_approval):
        if approval.approver in portal.roles and approval.approver == role.id:
            line, col = role.value_at("needs_approval", i, "approver")
            problems.add(role.source, line, col, "a role cannot approve its own posts",
                         hint="name the role that signs off")
    for i, esc in enumerate(data.escalate_to):
        if esc.role in portal.roles and esc.role == role.id:
            line, col = role.value_at("escalate_to", i, "role")
            problems.add(role.source, line, col, "a role cannot escalate to itself")


def summary(role: Item[Any]) -> Any:
    parts: list[Any] = [Msg.of("diff_level", n=role.data.level)]
    if role.data.paths:
        parts.append(Msg.of(plural("diff_role_paths", len(role.data.paths)), n=len(role.data.paths)))
    return tuple(parts)


KIND = ContentKind(
    folder="roles", suffix=".yml", singular="role", model=schema.Role, order=10, schema_title="Role",
    checks=check_roles, page="role.md.j2", index_page="roles.md.j2", title_key="roles_title", nav=True,
    listed=lambda portal: portal.roles_by_level(),
    diff_subject="diff_subject_role", summary=summary, markdown_fields=("social_media",),
    diff=DiffWording(
        keys={schema.Approval: "what", schema.Escalation: "role"},
        names={schema.Approval: lambda entry, ctx: Quote(entry.what),
               schema.Escalation: lambda entry, ctx: ctx.ref("roles", entry.role)},
        details={schema.Approval: lambda entry, ctx: Msg.of("diff_approver", role=ctx.ref("roles", entry.approver))},
    ),
)
