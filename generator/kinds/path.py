"""Learning paths: ``content/paths/<id>.yml``, lessons in order with the day each is due."""

from __future__ import annotations

from typing import Any

from generator import schema
from generator.errors import Problems
from generator.kinds.base import ContentKind, DiffWording
from generator.model import Item, Portal
from generator.phrases import Msg
from generator.references import unreadable_source


def check_paths(portal: Portal, problems: Problems) -> None:
    """Each lesson once per path, after its prerequisites and not due before them; every path some role's."""
    for path in portal.paths.values():
        position: dict[str, int] = {}
        for i, step in enumerate(path.data.steps):
            if step.lesson not in portal.lessons:
                continue  # reported where it is written
            if step.lesson in position:
                line, col = path.value_at("steps", i, "lesson")
                problems.add(path.source, line, col,
                             f"lesson `{step.lesson}` is already step {position[step.lesson] + 1} of this path")
                continue
            position[step.lesson] = i
        for i, step in enumerate(path.data.steps):
            lesson = portal.lessons.get(step.lesson)
            if lesson is None or not step.required:
                continue
            for pre in lesson.data.prerequisites:
                if pre not in position:
                    continue
                before = path.data.steps[position[pre]]
                if position[pre] > i:
                    line, col = path.value_at("steps", i, "lesson")
                    problems.add(path.source, line, col,
                                 f"`{step.lesson}` needs `{pre}` first, but `{pre}` comes later "
                                 f"(step {position[pre] + 1})",
                                 hint=f"move `{pre}` above `{step.lesson}`")
                elif before.due_day > step.due_day:
                    line, col = path.value_at("steps", i, "due_day")
                    problems.add(path.source, line, col,
                                 f"due on day {step.due_day}, before its prerequisite `{pre}` "
                                 f"(due day {before.due_day})",
                                 hint=f"make it due on day {before.due_day} or later")
        if not portal.roles_with_path(path.id) and portal.unreadable.get("roles"):
            for role_id in sorted(portal.unreadable["roles"]):
                problems.skip(unreadable_source(portal, "roles", role_id), "whether each path is some role's")
        elif not portal.roles_with_path(path.id):
            line, col = path.where("title")
            problems.add(path.source, line, col, "no role is assigned this path", severity="warning",
                         hint="add it to a role's `paths`")


def summary(path: Item[Any]) -> Any:
    return Msg.of("lessons_count", n=len(path.data.steps))


KIND = ContentKind(
    folder="paths", suffix=".yml", singular="path", model=schema.LearningPath, order=20,
    schema_title="Learning path", checks=check_paths, page="path.md.j2", index_page="paths.md.j2",
    title_key="paths_title", nav=True, diff_subject="diff_subject_path", summary=summary,
    diff=DiffWording(values={(schema.Step, "due_day"): lambda n: Msg.of("path_due_day", n=n)}),
)
