"""A role's schedule as CSV, iCalendar and a plain-text table.

The CSV and ICS written here are the same, byte for byte, as those the HR
pages let readers download (``generator/assets/hr.js`` follows these rules);
that is why the iCalendar text is written here rather than by a library:
the browser has to produce exactly the same lines.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator import schema
from generator.model import slugify
from generator.schedule import PlanItem

if TYPE_CHECKING:
    from generator.model import Item, Portal

CSV_COLUMNS = (
    "due_date", "kind", "day", "lesson_id", "lesson_title", "minutes", "required", "path_id", "path_title", "url",
)
PRODID = "-//Advocacy Portal//Schedule//EN"


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of a schedule with every value a reader sees."""

    due: dt.date
    kind: str
    day: str
    lesson_id: str
    lesson_slug: str
    title: str
    minutes: int
    required: bool
    path_id: str
    path_title: str
    url: str
    months: int
    every_months: int


def lesson_url(portal: Portal, lesson_id: str) -> str:
    """The lesson's page on the published site, or "" when ``site_url`` is not set."""
    base = portal.config.site_url
    if not base:
        return ""
    return base.rstrip("/") + f"/lessons/{portal.lessons[lesson_id].slug}/"


def calendar_domain(portal: Portal) -> str:
    """The right-hand side of every UID: the site's host, or a name made from the organisation."""
    if portal.config.site_url:
        host = urlsplit(portal.config.site_url).hostname
        if host:
            return host
    return (slugify(portal.config.organisation) or "portal") + ".advocacy-portal"


def rows(portal: Portal, items: list[PlanItem]) -> list[Row]:
    out = []
    for item in items:
        entry = item.entry
        lesson = portal.lessons[entry.lesson]
        out.append(Row(
            due=item.due,
            kind=entry.kind,
            day=str(entry.due_day) if entry.kind == "lesson" else "",
            lesson_id=entry.lesson,
            lesson_slug=lesson.slug,
            title=lesson.data.title,
            minutes=lesson.data.minutes,
            required=entry.required,
            path_id=entry.path,
            path_title=portal.paths[entry.path].data.title,
            url=lesson_url(portal, entry.lesson),
            months=entry.months,
            every_months=entry.every_months,
        ))
    return out


# --- CSV -----------------------------------------------------------------------------------------


def to_csv(schedule: list[Row]) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes only where needed), one row per due lesson."""
    return csv_record(CSV_COLUMNS) + "".join(csv_record(csv_values(row)) for row in schedule)


def csv_values(row: Row) -> list[object]:
    """One schedule row's values, in the order of :data:`CSV_COLUMNS`."""
    return [
        row.due.isoformat(), row.kind, row.day, row.lesson_id, row.title, row.minutes,
        "yes" if row.required else "no", row.path_id, row.path_title, row.url,
    ]


def csv_record(values: Iterable[object]) -> str:
    """One CSV record with its CRLF, as the csv module writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


# --- iCalendar -----------------------------------------------------------------------------------


def ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 says."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def to_ics(
    portal: Portal, role: Item[schema.Role], start: dt.date, schedule: list[Row], t: Callable[..., str]
) -> str:
    """An iCalendar file with one all-day event per due lesson.

    UIDs are made of the start date, the role, the lesson and the occurrence, so downloading
    the same schedule again updates the events instead of adding copies; DTSTAMP is the start
    date at midnight UTC so that the same input always gives the same file.
    """
    stamp = f"{start:%Y%m%d}T000000Z"
    domain = calendar_domain(portal)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_text(t("plan_calendar_name", organisation=portal.config.organisation,
                                     role=role.data.title)),
    ]
    for row in schedule:
        occurrence = "lesson" if row.kind == "lesson" else f"refresher-{row.months}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{start:%Y%m%d}-{role.slug}-{row.lesson_slug}-{occurrence}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{row.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{row.due + dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + ics_text(summary(row, t)),
            "DESCRIPTION:" + ics_text(description(row, t)),
        ]
        if row.url:
            lines.append(f"URL:{row.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def summary(row: Row, t: Callable[..., str]) -> str:
    return row.title if row.kind == "lesson" else t("plan_refresher_summary", title=row.title)


def description(row: Row, t: Callable[..., str]) -> str:
    if row.kind == "refresher":
        status = t("plan_refresher_status", n=row.every_months)
    else:
        status = t("path_required_yes") if row.required else t("path_optional")
    text = t("plan_description", path=row.path_title, minutes=row.minutes, status=status)
    return text + (f"\n{row.url}" if row.url else "")


# --- plain text ----------------------------------------------------------------------------------


def rules_sentence(rules: schema.ScheduleRules) -> str:
    """How days are counted, in one sentence, for the table's heading."""
    if rules.count == "calendar_days":
        text = "Due days are calendar days after the start date"
    else:
        weekend = ", ".join(day.capitalize() for day in rules.weekend) or "none"
        text = f"Due days are working days after the start date (weekend: {weekend}"
        text += f"; {len(rules.holidays)} holiday(s))" if rules.holidays else ")"
    if rules.onboarding_window:
        text += f"; every required lesson is due by day {rules.onboarding_window}"
    return text + "."


def to_table(portal: Portal, role: Item[schema.Role], start: dt.date, schedule: list[Row]) -> str:
    """The schedule as aligned columns, with totals: what to do, by when, and how long it takes."""
    out = [
        f"{role.data.title}: schedule for a start on {start:%A} {start.isoformat()}",
        rules_sentence(portal.config.schedule),
        "",
    ]
    lessons = [r for r in schedule if r.kind == "lesson"]
    refreshers = [r for r in schedule if r.kind == "refresher"]

    def table(heading: list[str], body: list[list[str]], right: set[int]) -> list[str]:
        widths = [max(len(cell) for cell in column) for column in zip(heading, *body, strict=True)]

        def line(cells: list[str]) -> str:
            pairs = enumerate(zip(cells, widths, strict=True))
            return "  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in pairs).rstrip()

        return [line(heading), line(["-" * w for w in widths]), *(line(cells) for cells in body)]

    if lessons:
        out += table(
            ["Due", "Day", "Lesson", "Min", "Required", "Path"],
            [[f"{r.due:%a} {r.due.isoformat()}", r.day, r.title, str(r.minutes), "yes" if r.required else "optional",
              r.path_title] for r in lessons],
            {1, 3},
        )
    else:
        out.append("No lessons are assigned to this role.")
    required = [r for r in lessons if r.required]
    out.append("")
    total = sum(r.minutes for r in required)
    summary_line = f"{len(required)} required lesson(s), {total} min ({_hours(total)})"
    optional = [r for r in lessons if not r.required]
    if optional:
        summary_line += f"; {len(optional)} optional, {sum(r.minutes for r in optional)} min more"
    out.append(summary_line + ".")
    if required:
        last = max(required, key=lambda r: r.due)
        out.append(f"Everything required is due by {last.due:%A} {last.due.isoformat()} (day {last.day}).")
    if refreshers:
        out += ["", "Refreshers in the first year:", ""]
        out += table(
            ["Due", "Lesson", "Min", "Every", "Path"],
            [[f"{r.due:%a} {r.due.isoformat()}", r.title, str(r.minutes), f"{r.every_months} months", r.path_title]
             for r in refreshers],
            {2},
        )
    return "\n".join(out) + "\n"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
