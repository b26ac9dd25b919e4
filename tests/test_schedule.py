"""The scheduling rules: counting days, inclusion of roles, refreshers, the onboarding window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.schedule import DayRules, add_months, plan, role_entries
from generator.validate import validate

D = dt.date
WORKING = DayRules(working_days=True)


def load(root: Path):
    portal, problems = validate(root)
    assert portal is not None, [p.format() for p in problems.items]
    return portal, problems


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def located(problems, rel: str, needle: str) -> tuple[int, int]:
    found = [p for p in problems.items if p.path == rel and needle in p.message]
    assert found, [p.format() for p in problems.items]
    return found[0].line, found[0].col


def line_of(root: Path, rel: str, text: str, start: int = 0) -> tuple[int, int]:
    """1-based line and column of the first ``text`` at or after line ``start``."""
    for number, line in enumerate((root / rel).read_text("utf-8").splitlines(), 1):
        if number > start and text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {rel}")


# --- calendar and working days ---------------------------------------------------------------


def test_calendar_days_count_every_day_including_weekends():
    rules = DayRules(working_days=False, holidays=frozenset({D(2026, 12, 25)}))
    assert rules.due_date(D(2026, 12, 1), 0) == D(2026, 12, 1)
    assert rules.due_date(D(2026, 12, 1), 4) == D(2026, 12, 5)  # a Saturday stays a Saturday
    assert rules.due_date(D(2026, 12, 1), 24) == D(2026, 12, 25)  # holidays do not move calendar days


def test_working_days_skip_the_weekend():
    # 2026-12-04 is a Friday: day 1 after it is the Monday.
    assert WORKING.due_date(D(2026, 12, 4), 1) == D(2026, 12, 7)
    assert WORKING.due_date(D(2026, 12, 1), 5) == D(2026, 12, 8)
    assert WORKING.due_date(D(2026, 12, 1), 10) == D(2026, 12, 15)


def test_working_days_skip_holidays():
    rules = DayRules(working_days=True, holidays=frozenset({D(2026, 12, 25), D(2027, 1, 1)}))
    assert rules.due_date(D(2026, 12, 24), 1) == D(2026, 12, 28)
    assert rules.due_date(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_day_zero_is_the_start_or_the_next_working_day():
    assert WORKING.due_date(D(2026, 12, 1), 0) == D(2026, 12, 1)
    assert WORKING.due_date(D(2026, 12, 5), 0) == D(2026, 12, 7)  # Saturday start: Monday
    assert WORKING.due_date(D(2026, 12, 5), 1) == D(2026, 12, 7)  # day 1 is the first working day after


def test_the_weekend_is_configurable():
    friday_saturday = DayRules(working_days=True, weekend=frozenset({4, 5}))
    # From Thursday 2026-12-03, day 1 is Sunday 2026-12-06.
    assert friday_saturday.due_date(D(2026, 12, 3), 1) == D(2026, 12, 6)


def test_a_week_without_working_days_is_refused():
    with pytest.raises(ValueError, match="every day"):
        DayRules(working_days=True, weekend=frozenset(range(7)))


def test_months_keep_the_day_or_take_the_last_day_of_a_shorter_month():
    assert add_months(D(2026, 12, 1), 12) == D(2027, 12, 1)
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)


def test_a_refresher_on_a_non_working_day_moves_to_the_next_working_day():
    # 2027-02-28 is a Sunday.
    assert WORKING.refresher_date(D(2026, 8, 31), 6) == D(2027, 3, 1)
    assert DayRules().refresher_date(D(2026, 8, 31), 6) == D(2027, 2, 28)


holiday_sets = st.frozensets(st.dates(D(2026, 1, 1), D(2028, 12, 31)), max_size=20)


@given(st.dates(D(2026, 1, 1), D(2027, 12, 31)), st.integers(0, 60), holiday_sets,
       st.frozensets(st.integers(0, 6), max_size=5))
def test_working_due_dates_are_working_days_and_count_exactly(start, day, holidays, weekend):
    rules = DayRules(working_days=True, weekend=weekend, holidays=holidays)
    due = rules.due_date(start, day)
    assert rules.is_working_day(due)
    between = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    working = sum(1 for d in between if rules.is_working_day(d))
    assert working == day or (day == 0 and working <= 1)
    if day >= 2:
        assert rules.due_date(start, day - 1) < due
    elif day == 1:  # equal to day 0 only when the start is not a working day
        assert rules.due_date(start, 0) < due or not rules.is_working_day(start)


# --- inclusion ---------------------------------------------------------------------------------


def test_an_included_role_passes_on_its_paths_before_the_role_own(sample):
    portal, _ = load(sample)
    ceo = portal.roles["ceo"]
    assert [p.id for p in portal.paths_of_role(ceo)] == ["foundations", "people-managers", "spokespeople"]
    origins = portal.path_origins(ceo)
    assert origins["foundations"].id == "team-lead" and origins["spokespeople"].id == "ceo"


def test_inherited_lessons_count_in_the_role_lessons_and_minutes(sample):
    portal, _ = load(sample)
    team_lead, ceo = portal.roles["team-lead"], portal.roles["ceo"]
    assert set(portal.role_lessons(team_lead)) < set(portal.role_lessons(ceo))
    spokespeople = portal.path_minutes(portal.paths["spokespeople"])
    assert portal.role_minutes(ceo) == portal.role_minutes(team_lead) + spokespeople
    assert ceo in portal.roles_with_path("people-managers")


def test_inclusion_is_transitive(sample):
    edit(sample, "content/roles/receptionist.yml", "paths:\n  - foundations\n",
         "includes:\n  - ceo\n")
    portal, problems = load(sample)
    assert not problems.errors
    assert [p.id for p in portal.paths_of_role(portal.roles["receptionist"])] == [
        "foundations", "people-managers", "spokespeople"
    ]


def test_a_cycle_of_inclusions_is_reported_whole_at_the_entry_that_closes_it(sample):
    rel = "content/roles/team-lead.yml"
    edit(sample, rel, "paths:\n  - foundations", "includes:\n  - hr-partner\npaths:\n  - foundations")
    portal, problems = validate(sample)
    cycles = [p for p in problems.errors if "cycle" in p.message]
    assert len(cycles) == 1
    # Roles are walked in id order: ceo -> team-lead -> hr-partner, whose entry closes the loop.
    assert cycles[0].message == "role inclusions form a cycle: team-lead -> hr-partner -> team-lead"
    assert cycles[0].path == "content/roles/hr-partner.yml"
    assert (cycles[0].line, cycles[0].col) == (line_of(sample, "content/roles/hr-partner.yml", "- team-lead")[0], 5)
    # The portal still loads and lists each path once.
    assert [p.id for p in portal.paths_of_role(portal.roles["team-lead"])] == ["foundations", "people-managers"]


def test_a_longer_cycle_names_every_role_in_it(sample):
    edit(sample, "content/roles/team-lead.yml", "paths:\n  - foundations",
         "includes:\n  - receptionist\npaths:\n  - foundations")
    edit(sample, "content/roles/receptionist.yml", "paths:\n", "includes:\n  - ceo\npaths:\n")
    _, problems = validate(sample)
    messages = [p.message for p in problems.errors if "cycle" in p.message]
    assert messages == ["role inclusions form a cycle: ceo -> team-lead -> receptionist -> ceo"]


def test_unknown_and_self_inclusions_are_located(sample):
    rel = "content/roles/ceo.yml"
    edit(sample, rel, "includes:\n  - team-lead\n", "includes:\n  - team-leed\n  - ceo\n")
    _, problems = validate(sample)
    unknown = "unknown role `team-leed`; did you mean `team-lead`?"
    assert located(problems, rel, unknown) == line_of(sample, rel, "team-leed")
    assert located(problems, rel, "a role cannot include itself") == (line_of(sample, rel, "- ceo", 50)[0], 5)


def test_a_path_listed_again_beside_the_role_that_brings_it_is_a_warning(sample):
    rel = "content/roles/ceo.yml"
    edit(sample, rel, "paths:\n  - spokespeople\n", "paths:\n  - foundations\n  - spokespeople\n")
    _, problems = validate(sample)
    assert not problems.errors
    warning = next(p for p in problems.warnings if "already assigned" in p.message)
    assert warning.message == "path `foundations` is already assigned through the included role `team-lead`"
    assert (warning.line, warning.col) == (line_of(sample, rel, "- foundations", 50)[0], 5)


# --- due days across paths and the onboarding window ---------------------------------------------


def test_a_lesson_due_before_a_prerequisite_from_another_path_is_an_error_at_its_step(sample):
    # who-does-what (people managers) now needs when-to-stay-silent (foundations, day 15).
    edit(sample, "content/lessons/who-does-what.md", "minutes:", "prerequisites: [when-to-stay-silent]\nminutes:")
    _, problems = validate(sample)
    rel = "content/paths/people-managers.yml"
    errors = [p for p in problems.errors if "before its prerequisite" in p.message]
    assert len(errors) == 1, [p.format() for p in errors]
    assert errors[0].path == rel
    assert errors[0].message == (
        "`who-does-what` is due on day 10, before its prerequisite `when-to-stay-silent` "
        "(due on day 15 in path `foundations`), for roles `hr-partner`, `team-lead`, `ceo`"
    )
    assert (errors[0].line, errors[0].col) == (line_of(sample, rel, "due_day: 10")[0], 14)


def test_a_required_step_after_the_onboarding_window_is_an_error_at_its_due_day(sample):
    edit(sample, "content/portal.yml", "onboarding_window: 30", "onboarding_window: 20")
    _, problems = validate(sample)
    rel = "content/paths/frontline-responders.yml"
    line, col = located(problems, rel, "after the onboarding window")
    assert (line, col) == (line_of(sample, rel, "due_day: 21")[0], 14)
    # The optional step due on day 25 is not a breach.
    optional_line = line_of(sample, rel, "due_day: 25")[0]
    assert not any(p.path == rel and p.line == optional_line for p in problems.errors)
    message = next(p.message for p in problems.errors if p.path == rel)
    assert message == "due on day 21, after the onboarding window of 20 working days set in content/portal.yml"


def test_a_week_of_weekend_days_is_located_in_portal_yml(sample):
    edit(sample, "content/portal.yml", "weekend: [saturday, sunday]",
         "weekend: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]")
    _, problems = validate(sample)
    assert located(problems, "content/portal.yml", "every day of the week is a weekend day") == \
        line_of(sample, "content/portal.yml", "[monday")


def test_an_unknown_weekday_is_refused_with_its_place(sample):
    edit(sample, "content/portal.yml", "weekend: [saturday, sunday]", "weekend: [saturday, sundy]")
    _, problems = validate(sample)
    line, col = located(problems, "content/portal.yml", "schedule.weekend[2]")
    assert (line, col) == line_of(sample, "content/portal.yml", "sundy")


# --- refreshers --------------------------------------------------------------------------------


def test_a_refresher_must_repeat_lessons_of_its_own_path(sample):
    rel = "content/paths/spokespeople.yml"
    edit(sample, rel, "    - forward-looking-statements\n", "    - forward-looking-statement\n    - answering-fast\n")
    _, problems = validate(sample)
    misspelt = line_of(sample, rel, "forward-looking-statement", 15)
    assert located(problems, rel, "did you mean `forward-looking-statements`?") == misspelt
    not_in_path = "`answering-fast` is not a step of this path"
    assert located(problems, rel, not_in_path) == line_of(sample, rel, "answering-fast")


def test_refreshers_come_every_interval_up_to_the_first_anniversary(sample):
    portal, _ = load(sample)
    agent = portal.roles["customer-service-agent"]
    refreshers = [e for e in role_entries(portal, agent) if e.kind == "refresher"]
    by_lesson: dict[str, list[int]] = {}
    for entry in refreshers:
        by_lesson.setdefault(entry.lesson, []).append(entry.months)
    assert by_lesson["legal-threats-and-regulators"] == [6, 12]  # every 6 months
    assert by_lesson["keeping-confidences"] == [12]  # every 12 months
    assert [e.months for e in refreshers] == sorted(e.months for e in refreshers)


def test_the_shortest_interval_wins_when_two_paths_refresh_a_lesson(sample):
    # why-employees-matter: in foundations (refreshed every 12 months) and in frontline (every 6).
    edit(sample, "content/paths/frontline-responders.yml", "    - legal-threats-and-regulators\n",
         "    - legal-threats-and-regulators\n    - why-employees-matter\n")
    edit(sample, "content/paths/foundations.yml", "  lessons:\n", "  lessons:\n    - why-employees-matter\n")
    edit(sample, "content/paths/frontline-responders.yml", "  - lesson: answering-fast\n",
         "  - lesson: why-employees-matter\n    due_day: 2\n  - lesson: answering-fast\n")
    portal, problems = load(sample)
    assert not problems.errors, [p.format() for p in problems.errors]
    months = [e.months for e in role_entries(portal, portal.roles["customer-service-agent"])
              if e.kind == "refresher" and e.lesson == "why-employees-matter"]
    assert months == [6, 12]


def test_a_plan_dates_every_lesson_and_refresher(sample):
    portal, _ = load(sample)
    items = plan(portal, portal.roles["sales-representative"], D(2026, 12, 1))
    dates = {(i.entry.kind, i.entry.lesson): i.due for i in items}
    assert dates[("lesson", "why-employees-matter")] == D(2026, 12, 3)  # day 2, Thursday
    assert dates[("lesson", "customer-privacy-online")] == D(2026, 12, 30)  # day 20, after the 25 December holiday
    assert dates[("refresher", "keeping-confidences")] == D(2027, 12, 1)
    assert len(items) == 9 + 3
