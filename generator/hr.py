"""The HR pages of the site: the HR overview and one printable checklist per role.

Every role's schedule (independent of the start date) and the day-counting rules
are written once per language as data (:data:`DATA_SCRIPT`); ``assets/hr.js``
loads it on these pages and turns it into CSV and ICS files for the start date a
reader enters, with the rules of :mod:`generator.schedule` and the formats of
:mod:`generator.export`.
"""

from __future__ import annotations

from typing import Any

from generator import diagram, export, learning, schedule
from generator.lookup import PageMaker
from generator.model import Item, Portal
from generator.report import build_report
from generator.urls import relative_md

OVERVIEW = "overview.md"
CHART = "overview-minutes.svg"
DATA_SCRIPT = "assets/hr-data.js"
"""Every role's schedule for the browser, loaded by ``hr.js`` on the HR pages only."""


def checklist_path(role: Item[Any]) -> str:
    return f"checklists/{role.slug}.md"


def schedule_data(renderer: PageMaker, roles: list[Item[Any]]) -> dict[str, Any]:
    """What the browser needs to compute and write the schedules of ``roles``."""
    portal: Portal = renderer.portal
    t = renderer.t
    rules = schedule.DayRules.from_config(portal.config.schedule)
    data_roles: dict[str, Any] = {}
    lessons: set[str] = set()
    paths: set[str] = set()
    for role in roles:
        entries = schedule.role_entries(portal, role, horizon_months=0)
        refreshers = schedule.role_refreshers(portal, role)
        data_roles[role.id] = {
            "title": role.data.title,
            "slug": role.slug,
            "lessons": [[e.lesson, e.due_day, e.required, e.path] for e in entries],
            "refreshers": [[lesson, every, path] for lesson, (every, path) in refreshers.items()],
        }
        lessons.update(e.lesson for e in entries)
        paths.update(e.path for e in entries)
        paths.update(path for _, path in refreshers.values())
    return {
        "rules": {
            "working_days": rules.working_days,
            "weekend": sorted(rules.weekend),
            "holidays": sorted(d.isoformat() for d in rules.holidays),
            "horizon_months": schedule.HORIZON_MONTHS,
        },
        "calendar": {
            "prodid": export.PRODID,
            "domain": export.calendar_domain(portal),
            "organisation": portal.config.organisation,
            "columns": list(export.CSV_COLUMNS),
        },
        "strings": {
            "calendar_name": t("plan_calendar_name", organisation="{organisation}", role="{role}"),
            "refresher_summary": t("plan_refresher_summary", title="{title}"),
            "refresher_status": t("plan_refresher_status", n="{n}"),
            "description": t("plan_description", path="{path}", minutes="{minutes}", status="{status}"),
            "required": t("path_required_yes"),
            "optional": t("path_optional"),
            "need_date": t("hr_need_date"),
            "downloaded": t("hr_downloaded", file="{file}"),
            "due_by": t("checklist_due_by", date="{date}"),
            "start_line": t("checklist_start_line", date="{date}"),
        },
        "lessons": {
            lesson_id: {
                "slug": portal.lessons[lesson_id].slug,
                "title": portal.lessons[lesson_id].data.title,
                "minutes": portal.lessons[lesson_id].data.minutes,
                "url": export.lesson_url(portal, lesson_id),
            }
            for lesson_id in sorted(lessons)
        },
        "paths": {path_id: portal.paths[path_id].data.title for path_id in sorted(paths)},
        "roles": data_roles,
    }


def rules_text(renderer: PageMaker) -> list[str]:
    """The day-counting rules in sentences, for the pages."""
    rules = renderer.portal.config.schedule
    t = renderer.t
    if rules.count == "calendar_days":
        lines = [t("hr_rules_calendar")]
    else:
        weekend = ", ".join(t(f"weekday_{day}") for day in rules.weekend)
        lines = [t("hr_rules_working", weekend=weekend)]
        if rules.holidays:
            lines.append(t("hr_rules_holidays", dates=", ".join(d.isoformat() for d in rules.holidays)))
    if rules.onboarding_window:
        lines.append(t("hr_rules_window", n=rules.onboarding_window))
    lines.append(t("hr_rules_refreshers", n=schedule.HORIZON_MONTHS))
    return lines


def pages(renderer: PageMaker) -> dict[str, str]:
    """The HR overview, its chart, and a checklist page per role."""
    portal = renderer.portal
    t = renderer.t
    report = build_report(portal)
    roles = portal.roles_by_level()
    out: dict[str, str] = {}
    summaries = {r.id: r for r in report.roles}
    chart_rows = [
        (r.title, r.required_minutes, r.minutes - r.required_minutes) for r in report.roles
    ]
    svg, alt, size = diagram.minutes_chart(chart_rows, t)
    out[CHART] = svg
    rules = rules_text(renderer)
    out[OVERVIEW] = renderer.page(
        "overview.md.j2", OVERVIEW, {**renderer.meta(t("hr_title"), "overview"), "hide": ["toc"]},
        report=report, roles=roles, summaries=summaries, rules=rules,
        chart_src=relative_md(OVERVIEW, CHART), chart_alt=alt, chart_size=size,
        checklist=checklist_path,
        refreshers=[p for p in portal.paths.values() if p.data.refresher is not None],
    )
    for role in roles:
        docs_path = checklist_path(role)
        entries = schedule.role_entries(portal, role)
        out[docs_path] = renderer.page(
            "checklist.md.j2", docs_path,
            renderer.meta(t("checklist_title", role=role.data.title), "checklist", role.id, role.source),
            role=role, summary=summaries[role.id], rules=rules,
            lessons=[e for e in entries if e.kind == "lesson"],
            refreshers=[e for e in entries if e.kind == "refresher"],
        )
    out[DATA_SCRIPT] = learning.data_script("portalSchedule", schedule_data(renderer, roles))
    return out
