"""The HR report: who must learn what by when, what nobody is led to, and what breaks the policy.

``build_report(portal)`` gathers plain data; ``as_table``, ``as_csv`` and
``as_json`` print it. ``portal report --check`` fails on any breach.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from typing import TYPE_CHECKING, Any

from generator import schema
from generator.errors import Problem, Problems
from generator.schedule import (
    check_prerequisites_across_paths,
    check_prerequisites_assigned,
    check_window,
    role_entries,
    role_refreshers,
)

if TYPE_CHECKING:
    from generator.model import Item, Portal


@dataclasses.dataclass(frozen=True)
class Assigned:
    lesson: str
    due_day: int
    required: bool
    path: str


@dataclasses.dataclass(frozen=True)
class RoleSummary:
    id: str
    title: str
    level: int
    includes: list[str]
    paths: list[str]
    lessons: list[Assigned]
    refreshers: dict[str, int]
    """Lesson id to interval in months."""
    minutes: int
    required_minutes: int

    @property
    def required(self) -> list[Assigned]:
        return [a for a in self.lessons if a.required]

    @functools.cached_property
    def by_lesson(self) -> dict[str, Assigned]:
        """The role's assignment of each lesson, for lookups in the matrix."""
        return {a.lesson: a for a in self.lessons}

    @property
    def last_due_day(self) -> int | None:
        """The day by which every required lesson is due (None: nothing is required)."""
        return max((a.due_day for a in self.required), default=None)


@dataclasses.dataclass(frozen=True)
class Breach:
    kind: str
    """window, prerequisite, lesson-in-no-path or playbook-not-taught."""
    problem: Problem


@dataclasses.dataclass(frozen=True)
class Report:
    organisation: str
    rules: schema.ScheduleRules
    roles: list[RoleSummary]
    lessons: list[str]
    """Every lesson, those in paths first in path order, then the rest."""
    titles: dict[str, str]
    minutes: dict[str, int]
    lesson_paths: dict[str, list[str]]
    lessons_in_no_path: list[str]
    playbooks_not_taught: list[str]
    breaches: list[Breach]

    def cell(self, role: RoleSummary, lesson_id: str) -> Assigned | None:
        return role.by_lesson.get(lesson_id)


def role_summary(portal: Portal, role: Item[schema.Role]) -> RoleSummary:
    lessons = [
        Assigned(entry.lesson, entry.due_day, entry.required, entry.path)
        for entry in role_entries(portal, role, horizon_months=0)
    ]
    steps = portal.role_steps(role)
    minutes = {lesson_id: portal.lessons[lesson_id].data.minutes for lesson_id in steps if lesson_id in portal.lessons}
    return RoleSummary(
        id=role.id,
        title=role.data.title,
        level=role.data.level,
        includes=list(role.data.includes),
        paths=[p.id for p in portal.paths_of_role(role)],
        lessons=lessons,
        refreshers={lesson: every for lesson, (every, _) in role_refreshers(portal, role).items()},
        minutes=sum(minutes.values()),
        required_minutes=sum(minutes.get(a.lesson, 0) for a in lessons if a.required),
    )


def build_report(portal: Portal) -> Report:
    ordered: list[str] = []
    lesson_paths: dict[str, list[str]] = {lesson_id: [] for lesson_id in portal.lessons}
    # Paths most roles take first, so that the shared foundations lead the matrix.
    paths = sorted(portal.paths.values(), key=lambda p: -len(portal.roles_with_path(p.id)))
    for path in paths:
        for step in path.data.steps:
            if step.lesson in portal.lessons:
                if step.lesson not in ordered:
                    ordered.append(step.lesson)
                lesson_paths[step.lesson].append(path.id)
    orphans = [lesson_id for lesson_id in portal.lessons if not lesson_paths[lesson_id]]
    taught = {pb for lesson in portal.lessons.values() for pb in lesson.data.playbooks}
    untaught = [pb for pb in portal.playbooks if pb not in taught]
    return Report(
        organisation=portal.config.organisation,
        rules=portal.config.schedule,
        roles=[role_summary(portal, role) for role in portal.roles_by_level()],
        lessons=ordered + orphans,
        titles={lesson_id: lesson.data.title for lesson_id, lesson in portal.lessons.items()},
        minutes={lesson_id: lesson.data.minutes for lesson_id, lesson in portal.lessons.items()},
        lesson_paths=lesson_paths,
        lessons_in_no_path=orphans,
        playbooks_not_taught=untaught,
        breaches=breaches(portal, orphans, untaught),
    )


def breaches(portal: Portal, orphans: list[str], untaught: list[str]) -> list[Breach]:
    found: list[Breach] = []
    for kind, check in (("window", check_window), ("prerequisite", check_prerequisites_across_paths),
                        ("prerequisite-not-assigned", check_prerequisites_assigned)):
        problems = Problems()
        check(portal, problems)
        found += [Breach(kind, p) for p in sorted(problems.items)]
    for lesson_id in orphans:
        lesson = portal.lessons[lesson_id]
        line, col = lesson.where("title")
        found.append(Breach("lesson-in-no-path", Problem(
            lesson.source, line, col, f"lesson `{lesson_id}` is in no learning path", hint="add it to a path's steps"
        )))
    for playbook_id in untaught:
        playbook = portal.playbooks[playbook_id]
        line, col = playbook.where("title")
        found.append(Breach("playbook-not-taught", Problem(
            playbook.source, line, col, f"no lesson teaches playbook `{playbook_id}`",
            hint=f"add `{playbook_id}` to the `playbooks` of the lessons that teach it",
        )))
    return found


# --- formats -------------------------------------------------------------------------------------


def as_json(report: Report) -> str:
    rules = report.rules
    data: dict[str, Any] = {
        "organisation": report.organisation,
        "schedule": {
            "count": rules.count,
            "weekend": list(rules.weekend),
            "holidays": [d.isoformat() for d in rules.holidays],
            "onboarding_window": rules.onboarding_window,
        },
        "roles": [
            {
                "id": r.id,
                "title": r.title,
                "level": r.level,
                "includes": r.includes,
                "paths": r.paths,
                "lessons": [dataclasses.asdict(a) for a in r.lessons],
                "lesson_count": len(r.lessons),
                "required_count": len(r.required),
                "minutes": r.minutes,
                "required_minutes": r.required_minutes,
                "last_due_day": r.last_due_day,
                "refreshers": [{"lesson": lesson, "every_months": every} for lesson, every in r.refreshers.items()],
            }
            for r in report.roles
        ],
        "matrix": {
            "roles": [r.id for r in report.roles],
            "lessons": [
                {
                    "id": lesson_id,
                    "title": report.titles[lesson_id],
                    "minutes": report.minutes[lesson_id],
                    "paths": report.lesson_paths[lesson_id],
                    "due": {
                        r.id: {"due_day": cell.due_day, "required": cell.required}
                        for r in report.roles if (cell := report.cell(r, lesson_id)) is not None
                    },
                }
                for lesson_id in report.lessons
            ],
        },
        "lessons_in_no_path": report.lessons_in_no_path,
        "playbooks_not_taught": report.playbooks_not_taught,
        "breaches": [
            {"kind": b.kind, "path": b.problem.path, "line": b.problem.line, "col": b.problem.col,
             "message": b.problem.message}
            for b in report.breaches
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(cell: Assigned | None) -> str:
    if cell is None:
        return ""
    return str(cell.due_day) if cell.required else f"({cell.due_day})"


def as_csv(report: Report) -> str:
    """The roles-by-lessons matrix for a spreadsheet: due days, "(n)" when optional, totals below."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["lesson_id", "lesson_title", "minutes", "paths", *(r.id for r in report.roles)])
    for lesson_id in report.lessons:
        writer.writerow([
            lesson_id, report.titles[lesson_id], report.minutes[lesson_id], " ".join(report.lesson_paths[lesson_id]),
            *(_cell(report.cell(r, lesson_id)) for r in report.roles),
        ])
    writer.writerow(["", "Lessons", "", "", *(len(r.lessons) for r in report.roles)])
    writer.writerow(["", "Minutes in total", "", "", *(r.minutes for r in report.roles)])
    writer.writerow(["", "Required minutes", "", "", *(r.required_minutes for r in report.roles)])
    writer.writerow(["", "Last required lesson due (day)", "", "",
                     *("" if r.last_due_day is None else r.last_due_day for r in report.roles)])
    return buffer.getvalue()


def _columns(heading: list[str], body: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(heading, *body, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(heading), line(["-" * w for w in widths]), *(line(cells) for cells in body)]


def as_table(report: Report) -> str:
    out = [f"{report.organisation}: learning assignments", ""]
    out += ["Roles", ""]
    out += _columns(
        ["#", "Role", "Level", "Lessons", "Required", "Minutes", "Required min", "Last due day", "Includes"],
        [
            [str(n), r.title, str(r.level), str(len(r.lessons)), str(len(r.required)), str(r.minutes),
             str(r.required_minutes), "-" if r.last_due_day is None else str(r.last_due_day),
             ", ".join(r.includes) or "-"]
            for n, r in enumerate(report.roles, 1)
        ],
        {0, 2, 3, 4, 5, 6, 7},
    )
    out += ["", "Roles by lessons (due day; in brackets when optional; columns are the roles numbered above)", ""]
    out += _columns(
        ["Lesson", "Min", *(str(n) for n in range(1, len(report.roles) + 1))],
        [
            [report.titles[lesson_id], str(report.minutes[lesson_id]),
             *(_cell(report.cell(r, lesson_id)) or "." for r in report.roles)]
            for lesson_id in report.lessons
        ],
        set(range(1, len(report.roles) + 2)),
    )
    out += ["", "Lessons in no path: " + (", ".join(report.lessons_in_no_path) or "none")]
    out += ["Playbooks no lesson teaches: " + (", ".join(report.playbooks_not_taught) or "none")]
    if report.breaches:
        out += ["", f"Policy breaches: {len(report.breaches)}"]
        out += [f"  {b.problem.format()}" for b in report.breaches]
    else:
        out += ["Policy breaches: none"]
    return "\n".join(out) + "\n"
