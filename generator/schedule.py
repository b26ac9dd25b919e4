"""The scheduling rules: who is assigned what, and by which date.

Pure functions over a :class:`~generator.model.Portal` and plain dates, so
that tests call them without a build. The same rules run in the browser
(``generator/assets/hr.js``) to let readers download a schedule for their own
start date; ``tests/test_hr_site.py`` checks that both give the same files.

The rules, in words:

- A role's lessons are those of its own paths and of every role it
  ``includes`` (recursively). A lesson in several paths takes the step that
  sets the earliest deadline, a required step before an optional one.
- With ``count: calendar_days``, day N is the start date plus N days. With
  ``count: working_days``, day N is the Nth working day after the start
  date, and day 0 the start date itself or, when it is not a working day,
  the next one; weekend days and holidays from ``portal.yml`` are not
  working days.
- A path's refresher repeats its lessons every ``every_months`` months,
  counted from the start date (the day of the month is kept, or the month's
  last day when it is shorter); with working days, a refresher that falls
  on a non-working day moves to the next working day. A plan shows the
  refreshers due up to and including the first anniversary of the start.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from generator import schema
from generator.errors import Problems, Severity
from generator.references import cycles, unreadable_source
from generator.shape import closest

if TYPE_CHECKING:
    from generator.model import Item, Portal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HORIZON_MONTHS = 12
"""A plan includes the refreshers due within this many months of the start date."""

# --- counting days ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DayRules:
    """How a due day becomes a date."""

    working_days: bool = False
    weekend: frozenset[int] = frozenset({5, 6})
    """Weekday numbers that are not working days (Monday is 0, as in :meth:`datetime.date.weekday`)."""
    holidays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        if len(self.weekend) >= 7:
            raise ValueError("every day of the week is a weekend day")

    @classmethod
    def from_config(cls, rules: schema.ScheduleRules) -> DayRules:
        return cls(
            working_days=rules.count == "working_days",
            weekend=frozenset(WEEKDAYS.index(day) for day in rules.weekend),
            holidays=frozenset(rules.holidays),
        )

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when people work that day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def due_date(self, start: dt.date, due_day: int) -> dt.date:
        """The date of day ``due_day`` for someone who starts on ``start``."""
        if not self.working_days:
            return start + dt.timedelta(days=due_day)
        if due_day == 0:
            return self.next_working_day(start)
        day = start
        for _ in range(due_day):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day

    def refresher_date(self, start: dt.date, months: int) -> dt.date:
        """The date a refresher ``months`` after ``start`` is due."""
        day = add_months(start, months)
        return self.next_working_day(day) if self.working_days else day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# --- what a role takes ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Entry:
    """One line of a role's schedule, independent of the start date."""

    kind: Literal["lesson", "refresher"]
    lesson: str
    required: bool
    path: str
    due_day: int = 0
    """For a lesson: the day it is due, counted as the rules say."""
    months: int = 0
    """For a refresher: months after the start date."""
    every_months: int = 0
    """For a refresher: the interval it repeats at."""


def role_entries(portal: Portal, role: Item[schema.Role], horizon_months: int = HORIZON_MONTHS) -> list[Entry]:
    """A role's lessons (by due day) and then its refreshers up to ``horizon_months`` (by month).

    Lessons due the same day keep the order of the role's paths and of their steps; refreshers
    due the same month keep the order of the lessons. The order does not depend on the start
    date, since dates never decrease as due days and months grow.
    """
    steps = portal.role_steps(role)
    path_order = {path.id: number for number, path in enumerate(portal.paths_of_role(role))}
    lessons = sorted(
        steps.items(), key=lambda item: (item[1][0].due_day, path_order[item[1][1].id], item[1][2])
    )
    entries = [
        Entry("lesson", lesson_id, step.required, path.id, due_day=step.due_day)
        for lesson_id, (step, path, _) in lessons
    ]
    position = {entry.lesson: number for number, entry in enumerate(entries)}
    refreshers = [
        Entry("refresher", lesson_id, True, path_id, months=months, every_months=every)
        for lesson_id, (every, path_id) in role_refreshers(portal, role).items()
        for months in range(every, horizon_months + 1, every)
    ]
    refreshers.sort(key=lambda entry: (entry.months, position[entry.lesson]))
    return entries + refreshers


def role_refreshers(portal: Portal, role: Item[schema.Role]) -> dict[str, tuple[int, str]]:
    """For each lesson a role must refresh: the shortest interval over its paths, and that path."""
    found: dict[str, tuple[int, str]] = {}
    for path in portal.paths_of_role(role):
        refresher = path.data.refresher
        if refresher is None:
            continue
        in_path = {step.lesson for step in path.data.steps}
        for lesson_id in refresher.lessons:
            if lesson_id not in in_path or lesson_id not in portal.lessons:
                continue
            known = found.get(lesson_id)
            if known is None or refresher.every_months < known[0]:
                found[lesson_id] = (refresher.every_months, path.id)
    return found


@dataclasses.dataclass(frozen=True)
class PlanItem:
    """A schedule entry with its date, for one start date."""

    entry: Entry
    due: dt.date


def plan(portal: Portal, role: Item[schema.Role], start: dt.date) -> list[PlanItem]:
    """The role's whole schedule for someone starting on ``start``."""
    rules = DayRules.from_config(portal.config.schedule)
    return [PlanItem(entry, entry_date(entry, start, rules)) for entry in role_entries(portal, role)]


def entry_date(entry: Entry, start: dt.date, rules: DayRules) -> dt.date:
    if entry.kind == "refresher":
        return rules.refresher_date(start, entry.months)
    return rules.due_date(start, entry.due_day)


# --- checks --------------------------------------------------------------------------------------


def check_schedule(portal: Portal, problems: Problems) -> None:
    """Every assignment and scheduling check (registered in :func:`generator.checks.check_portal`)."""
    check_rules(portal, problems)
    check_inclusions(portal, problems)
    check_refreshers(portal, problems)
    problems.extend(policy_problems(portal).items)
    check_prerequisites_assigned(portal, problems, severity="warning")


def policy_problems(portal: Portal) -> Problems:
    """Breaches of the scheduling policy: the onboarding window and due days before prerequisites."""
    problems = Problems()
    check_window(portal, problems)
    check_prerequisites_across_paths(portal, problems)
    return problems


def _unknown(portal: Portal, problems: Problems, item: Item[Any], loc: tuple[Any, ...], value: str) -> None:
    if value in portal.unreadable.get("roles", ()):

        problems.skip(unreadable_source(portal, "roles", value), "references to this role")
        return
    line, col = item.value_at(*loc)
    guess = closest(value, portal.roles)
    problems.add(item.source, line, col, f"unknown role `{value}`" + (f"; did you mean `{guess}`?" if guess else ""),
                 hint=None if guess else "known roles: " + ", ".join(sorted(portal.roles)[:12]))


def check_rules(portal: Portal, problems: Problems) -> None:
    """``schedule:`` in portal.yml leaves at least one working day and lists each holiday once."""
    rules = portal.config.schedule
    source = "content/portal.yml"
    if len(set(rules.weekend)) >= 7:
        line, col = portal.config_doc.value_at(("schedule", "weekend"))
        problems.add(source, line, col, "every day of the week is a weekend day", hint="leave at least one working day")
    seen: set[dt.date] = set()
    for index, holiday in enumerate(rules.holidays):
        if holiday in seen:
            line, col = portal.config_doc.value_at(("schedule", "holidays", index))
            problems.add(source, line, col, f"holiday {holiday.isoformat()} is listed twice", severity="warning")
        seen.add(holiday)


def check_inclusions(portal: Portal, problems: Problems) -> None:
    """``includes`` names existing roles, not itself, each once; inclusions form no cycle."""
    for role in portal.roles.values():
        seen: set[str] = set()
        for index, included in enumerate(role.data.includes):
            line, col = role.value_at("includes", index)
            if included not in portal.roles:
                _unknown(portal, problems, role, ("includes", index), included)
            elif included == role.id:
                problems.add(role.source, line, col, "a role cannot include itself",
                             hint="list the paths in `paths` instead")
            elif included in seen:
                problems.add(role.source, line, col, f"role `{included}` is included twice")
            seen.add(included)
        _check_redundant_paths(portal, role, problems)
    _check_inclusion_cycles(portal, problems)


def _check_redundant_paths(portal: Portal, role: Item[schema.Role], problems: Problems) -> None:
    """A path the role lists itself and also gets from a role it includes is said once too often."""
    inherited: dict[str, str] = {}
    for included in role.data.includes:
        if included in portal.roles and included != role.id:
            for path_id, origin in portal.path_origins(portal.roles[included]).items():
                inherited.setdefault(path_id, origin.id)
    for index, path_id in enumerate(role.data.paths):
        if path_id in inherited:
            line, col = role.value_at("paths", index)
            problems.add(role.source, line, col,
                         f"path `{path_id}` is already assigned through the included role `{inherited[path_id]}`",
                         severity="warning", hint="remove it here, or stop including that role")


def _check_inclusion_cycles(portal: Portal, problems: Problems) -> None:
    """Report each cycle of inclusions once, with the whole loop, at the entry that closes it."""
    for role_id, index, loop in cycles(portal.roles, lambda node: portal.roles[node].data.includes):
        if len(loop) == 2:
            continue  # a role including itself: reported above
        role = portal.roles[role_id]
        line, col = role.value_at("includes", index)
        problems.add(role.source, line, col, "role inclusions form a cycle: " + " -> ".join(loop),
                     hint="remove one of these `includes` entries")


def check_refreshers(portal: Portal, problems: Problems) -> None:
    """A refresher repeats lessons of its own path, each once."""
    for path in portal.paths.values():
        refresher = path.data.refresher
        if refresher is None:
            continue
        in_path = [step.lesson for step in path.data.steps]
        seen: set[str] = set()
        for index, lesson_id in enumerate(refresher.lessons):
            line, col = path.value_at("refresher", "lessons", index)
            if lesson_id not in in_path:
                guess = closest(lesson_id, in_path)
                problems.add(path.source, line, col, f"`{lesson_id}` is not a step of this path; "
                             "a refresher repeats the path's own lessons"
                             + (f"; did you mean `{guess}`?" if guess else ""),
                             hint=None if guess else "add it to `steps`, or refresh it in the path that teaches it")
            elif lesson_id in seen:
                problems.add(path.source, line, col, f"`{lesson_id}` is listed twice in the refresher")
            seen.add(lesson_id)


def check_window(portal: Portal, problems: Problems) -> None:
    """No required step is due after the onboarding window of ``portal.yml``."""
    window = portal.config.schedule.onboarding_window
    if window is None:
        return
    unit = "working days" if portal.config.schedule.count == "working_days" else "days"
    for path in portal.paths.values():
        for index, step in enumerate(path.data.steps):
            if step.required and step.due_day > window:
                line, col = path.value_at("steps", index, "due_day")
                problems.add(path.source, line, col,
                             f"due on day {step.due_day}, after the onboarding window of {window} {unit} "
                             "set in content/portal.yml",
                             hint=f"make it due by day {window}, or make the step optional (`required: false`)")


def check_prerequisites_across_paths(portal: Portal, problems: Problems) -> None:
    """For every role, no required lesson is due before a prerequisite the role takes in another path.

    Prerequisites within one path are checked with the path itself; this finds the
    conflicts that only appear when a role's paths are put together.
    """
    found: dict[tuple[str, int, str], tuple[Item[schema.LearningPath], int, str, int, list[str]]] = {}
    for role in portal.roles_by_level():
        steps = portal.role_steps(role)
        for lesson_id, (step, path, index) in steps.items():
            lesson = portal.lessons.get(lesson_id)
            if lesson is None or not step.required:
                continue
            for pre in lesson.data.prerequisites:
                if pre not in steps:
                    continue
                pre_step, pre_path, _ = steps[pre]
                if pre_path.id == path.id or pre_step.due_day <= step.due_day:
                    continue
                key = (path.id, index, pre)
                if key not in found:
                    found[key] = (path, index, pre_path.id, pre_step.due_day, [])
                found[key][4].append(role.id)
    for (_, _, pre), (late_path, index, pre_path_id, pre_day, roles) in found.items():
        step = late_path.data.steps[index]
        line, col = late_path.value_at("steps", index, "due_day")
        problems.add(late_path.source, line, col,
                     f"`{step.lesson}` is due on day {step.due_day}, before its prerequisite `{pre}` "
                     f"(due on day {pre_day} in path `{pre_path_id}`), for {_roles(roles)}",
                     hint=f"make it due on day {pre_day} or later, or make `{pre}` due earlier in `{pre_path_id}`")


def check_prerequisites_assigned(portal: Portal, problems: Problems, *, severity: Severity = "error") -> None:
    """Every role that gets a lesson gets its prerequisites too, in one of its paths.

    A warning for ``portal validate`` (the site still builds), a policy breach for
    ``portal report --check``. Reported at the prerequisite, once for all the roles.
    """
    missing: dict[tuple[str, int], list[str]] = {}
    for role in portal.roles_by_level():
        steps = portal.role_steps(role)
        for lesson_id in steps:
            lesson = portal.lessons.get(lesson_id)
            if lesson is None:
                continue
            for index, pre in enumerate(lesson.data.prerequisites):
                if pre in portal.lessons and pre not in steps:
                    missing.setdefault((lesson_id, index), []).append(role.id)
    for (lesson_id, index), roles in missing.items():
        lesson = portal.lessons[lesson_id]
        pre = lesson.data.prerequisites[index]
        line, col = lesson.value_at("prerequisites", index)
        problems.add(lesson.source, line, col,
                     f"prerequisite `{pre}` is in no path of {_roles(roles)}, "
                     f"which {'gets' if len(roles) == 1 else 'get'} this lesson",
                     severity=severity,
                     hint=f"add `{pre}` to a path of {'that role' if len(roles) == 1 else 'those roles'}, "
                     "or remove it from `prerequisites`")


def _roles(roles: Iterable[str]) -> str:
    names = [f"`{r}`" for r in roles]
    return ("role " if len(names) == 1 else "roles ") + ", ".join(names)
