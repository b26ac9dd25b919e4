"""``kind: rewards``: how we recognise advocates: actions and their points, tiers, fairness, disclosure."""

from __future__ import annotations

from typing import Any

from generator import schema
from generator.errors import Problems
from generator.kinds.base import DiffWording, PlaybookKind
from generator.model import Item, Portal
from generator.phrases import Msg


def check_rewards(portal: Portal, playbook: Item[Any], problems: Problems) -> None:
    """Each action id once; tiers from fewest to most points."""
    data: schema.RewardsPlaybook = playbook.data
    ids: set[str] = set()
    for i, action in enumerate(data.actions):
        if action.id in ids:
            line, col = playbook.value_at("actions", i, "id")
            problems.add(playbook.source, line, col, f"action id `{action.id}` is used twice")
        ids.add(action.id)
    points = [tier.min_points for tier in data.tiers]
    if points != sorted(points) or len(set(points)) != len(points):
        line, col = playbook.where("tiers")
        problems.add(playbook.source, line, col, "tiers must go from fewest to most points")


KIND = PlaybookKind(
    name="rewards", model=schema.RewardsPlaybook, order=30, checks=check_rewards,
    diff=DiffWording(
        keys={schema.RewardAction: "id", schema.Tier: "name"},
        names={schema.RewardAction: lambda entry, ctx: entry.action, schema.Tier: lambda entry, ctx: entry.name},
        details={schema.RewardAction: lambda entry, ctx: Msg.of("diff_points", n=entry.points),
                 schema.Tier: lambda entry, ctx: Msg.of("diff_from_points", n=entry.min_points)},
    ),
)
