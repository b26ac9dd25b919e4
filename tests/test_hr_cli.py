"""`portal plan` and `portal report` as HR uses them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import click
import icalendar
import pytest
from conftest import run_portal

from generator.cli import main


def plan(runner, root, role: str, start: str, fmt: str = "table"):
    result = run_portal(runner, root, "plan", "--role", role, "--start", start, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")  # result.output would turn CRLF into LF


# --- plan --------------------------------------------------------------------------------------


def test_plan_table_answers_what_by_when_and_how_long(runner, repo_root):
    text = plan(runner, repo_root, "sales-representative", "2026-12-01")
    assert text.startswith("Sales representative: schedule for a start on Tuesday 2026-12-01\n")
    assert "Due days are working days after the start date (weekend: Saturday, Sunday; 4 holiday(s))" in text
    assert "Thu 2026-12-03    2  Why your voice matters" in text
    assert "9 required lesson(s), 67 min (1 h 07 min)." in text
    assert "Everything required is due by Wednesday 2026-12-30 (day 20)." in text
    assert "Wed 2027-12-01  What stays inside" in text  # the yearly refresher


def test_plan_csv_has_a_row_per_due_lesson_with_real_dates(runner, repo_root):
    rows = list(csv.DictReader(io.StringIO(plan(runner, repo_root, "ceo", "2026-12-01", "csv"), newline="")))
    assert rows[0] == {
        "due_date": "2026-12-03", "kind": "lesson", "day": "2", "lesson_id": "why-employees-matter",
        "lesson_title": "Why your voice matters", "minutes": "6", "required": "yes", "path_id": "foundations",
        "path_title": "Foundations for everyone",
        "url": "https://learn.jua-energy.example/lessons/why-employees-matter/",
    }
    lessons = [r for r in rows if r["kind"] == "lesson"]
    refreshers = [r for r in rows if r["kind"] == "refresher"]
    assert len(lessons) == 17  # foundations and people managers through team-lead, plus spokespeople
    assert {r["lesson_id"] for r in refreshers} == {
        "keeping-confidences", "when-to-stay-silent", "customer-privacy-online",
        "forward-looking-statements", "the-first-hour-of-a-crisis",
    }
    assert all(r["due_date"] == "2027-12-01" for r in refreshers)
    dates = [r["due_date"] for r in lessons]
    assert dates == sorted(dates)
    assert {dt.date.fromisoformat(d).weekday() for d in dates} <= {0, 1, 2, 3, 4}
    assert "2026-12-25" not in dates


def test_plan_csv_uses_crlf_and_quotes_only_where_needed(runner, repo_root):
    text = plan(runner, repo_root, "sales-representative", "2026-12-01", "csv")
    assert text.count("\r\n") == text.count("\n") == 13
    assert ',"Your accounts, your voice",' in text


def test_plan_ics_is_valid_icalendar_with_one_event_per_due_lesson(runner, repo_root):
    text = plan(runner, repo_root, "customer-service-agent", "2026-12-01", "ics")
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    assert len(events) == 17 + 3 + 2 * 2  # lessons, yearly refreshers, two six-monthly ones
    first = events[0]
    assert str(first["SUMMARY"]) == "Why your voice matters"
    assert first.decoded("DTSTART") == dt.date(2026, 12, 3)
    assert first.decoded("DTEND") == dt.date(2026, 12, 4)
    assert str(first["URL"]) == "https://learn.jua-energy.example/lessons/why-employees-matter/"
    assert first.decoded("DTSTAMP") == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert "20261201-customer-service-agent-legal-threats-and-regulators-refresher-6@learn.jua-energy.example" in uids
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Refresher: Legal threats and regulators" in summaries
    assert str(calendar["X-WR-CALNAME"]) == "Jua Energy: Customer service agent schedule"


def test_plan_ics_lines_are_folded_at_75_octets_with_crlf(runner, repo_root):
    text = plan(runner, repo_root, "social-media-manager", "2026-12-01", "ics")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # long UIDs and descriptions are folded
    # Folding never splits a UTF-8 character: every line decodes on its own.
    for line in lines:
        line.encode("utf-8").decode("utf-8")


def test_plan_is_the_same_every_time(runner, repo_root):
    first = plan(runner, repo_root, "ceo", "2026-12-01", "ics")
    assert plan(runner, repo_root, "ceo", "2026-12-01", "ics") == first


def test_plan_in_calendar_days_keeps_weekends(runner, sample):
    (sample / "content/portal.yml").write_text(
        (sample / "content/portal.yml").read_text().replace("count: working_days", "count: calendar_days")
    )
    rows = list(csv.DictReader(io.StringIO(plan(runner, sample, "receptionist", "2026-12-01", "csv"), newline="")))
    assert [(r["day"], r["due_date"]) for r in rows[:3]] == [
        ("2", "2026-12-03"), ("3", "2026-12-04"), ("5", "2026-12-06")  # 6 December is a Sunday
    ]


def test_plan_without_site_url_has_no_links(runner, sample):
    config = sample / "content/portal.yml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("site_url")))
    text = plan(runner, sample, "engineer", "2026-12-01", "ics")
    assert "URL:" not in text and "https://" not in text
    assert "@jua-energy.advocacy-portal" in text
    icalendar.Calendar.from_ical(text)


def test_plan_for_an_unknown_role_suggests_the_right_one(runner, repo_root):
    result = run_portal(runner, repo_root, "plan", "--role", "sales-representativ", "--start", "2026-12-01")
    assert result.exit_code == 2
    assert "unknown role `sales-representativ`; did you mean `sales-representative`?" in result.output


def test_plan_refuses_a_date_that_is_not_a_date(runner, repo_root):
    result = run_portal(runner, repo_root, "plan", "--role", "ceo", "--start", "2026-02-30")
    assert result.exit_code == 2
    assert "--start" in result.output


def test_plan_stops_on_content_errors(runner, sample):
    path = sample / "content/roles/ceo.yml"
    path.write_text(path.read_text().replace("  - team-lead\n", "  - team-leed\n"))
    result = run_portal(runner, sample, "plan", "--role", "ceo", "--start", "2026-12-01")
    assert result.exit_code == 1
    assert "content/roles/ceo.yml:" in result.output and "unknown role `team-leed`" in result.output


# --- report ------------------------------------------------------------------------------------


def test_report_table_has_roles_matrix_and_gaps(runner, repo_root):
    result = run_portal(runner, repo_root, "report")
    assert result.exit_code == 0, result.output
    text = result.output
    assert " 5  Sales representative        3        9         9       67            67            20  -" in text
    assert "11  Chief executive            10       17        15      134           119            20  team-lead" \
        in text
    assert "Why your voice matters" in text and "(25)" in text
    assert "Lessons in no path: none" in text
    assert "Playbooks no lesson teaches: none" in text
    assert "Policy breaches: none" in text


def test_report_json_holds_everything(runner, repo_root):
    result = run_portal(runner, repo_root, "report", "--format", "json")
    data = json.loads(result.output)
    roles = {r["id"]: r for r in data["roles"]}
    assert roles["sales-representative"]["minutes"] == 67
    assert roles["sales-representative"]["last_due_day"] == 20
    assert roles["ceo"]["includes"] == ["team-lead"]
    assert roles["ceo"]["paths"] == ["foundations", "people-managers", "spokespeople"]
    agent = roles["customer-service-agent"]
    assert {"lesson": "legal-threats-and-regulators", "every_months": 6} in agent["refreshers"]
    matrix = {row["id"]: row for row in data["matrix"]["lessons"]}
    assert matrix["who-does-what"]["due"] == {
        role: {"due_day": 10, "required": True} for role in ("hr-partner", "team-lead", "ceo")
    }
    assert data["lessons_in_no_path"] == [] and data["playbooks_not_taught"] == [] and data["breaches"] == []


def test_report_csv_is_the_matrix_with_totals(runner, repo_root):
    result = run_portal(runner, repo_root, "report", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.output, newline="")))
    header = rows[0]
    assert header[:4] == ["lesson_id", "lesson_title", "minutes", "paths"]
    assert header[4] == "receptionist" and header[-1] == "ceo"
    by_id = {row[0]: row for row in rows[1:] if row[0]}
    assert by_id["why-employees-matter"][4:] == ["2"] * 11
    assert by_id["coaching-hesitant-colleagues"][header.index("team-lead")] == "(25)"
    totals = {row[1]: row[4:] for row in rows if not row[0]}
    assert totals["Minutes in total"][header.index("ceo") - 4] == "134"


def test_report_check_passes_on_the_sample(runner, repo_root):
    assert run_portal(runner, repo_root, "report", "--check").exit_code == 0


def _breach_everything(root):
    (root / "content/lessons/extra-lesson.md").write_text(
        (root / "content/lessons/answering-fast.md").read_text().replace('playbooks: ["negativity"]', "playbooks: []")
    )
    for name in ("rewards",):
        for lesson in (root / "content/lessons").glob("*.md"):
            text = lesson.read_text()
            text = text.replace(f'playbooks: ["{name}"]', "playbooks: []")
            text = text.replace(f', "{name}"', "").replace(f'"{name}", ', "")
            lesson.write_text(text)
    config = root / "content/portal.yml"
    config.write_text(config.read_text().replace("onboarding_window: 30", "onboarding_window: 24"))


def test_report_check_fails_on_every_kind_of_breach_and_lists_them(runner, sample):
    _breach_everything(sample)
    result = run_portal(runner, sample, "report", "--check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output.split("\nreport:")[0])
    kinds = {b["kind"] for b in data["breaches"]}
    assert kinds == {"window", "lesson-in-no-path", "playbook-not-taught"}
    assert data["lessons_in_no_path"] == ["extra-lesson"]
    assert data["playbooks_not_taught"] == ["rewards"]
    window = next(b for b in data["breaches"] if b["kind"] == "window")
    assert window["path"] == "content/paths/content-creators.yml" and window["line"] > 0
    assert "policy breach" in result.output


def test_report_without_check_shows_breaches_and_succeeds(runner, sample):
    _breach_everything(sample)
    result = run_portal(runner, sample, "report")
    assert result.exit_code == 0
    assert "Policy breaches: 3" in result.output
    assert "content/paths/content-creators.yml:" in result.output


def test_report_csv_prints_breaches_on_stderr(sample):
    from click.testing import CliRunner

    _breach_everything(sample)
    result = CliRunner().invoke(main, ["--root", str(sample), "report", "--format", "csv", "--check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("lesson_id,")
    assert "no lesson teaches playbook `rewards`" in result.stderr


def test_report_is_a_group_that_takes_subcommands(runner, repo_root):
    group = main.commands["report"]
    assert isinstance(group, click.Group) and group.invoke_without_command

    @group.command("example")
    def example() -> None:
        click.echo("subcommand ran")

    try:
        result = run_portal(runner, repo_root, "report", "example")
        assert result.exit_code == 0
        assert result.output == "subcommand ran\n"  # the default report did not run as well
    finally:
        del group.commands["example"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_report_stops_on_content_errors_that_are_not_policy(runner, sample, fmt):
    path = sample / "content/roles/ceo.yml"
    path.write_text(path.read_text().replace("  - spokespeople\n", "  - spokespeple\n"))
    result = run_portal(runner, sample, "report", "--format", fmt)
    assert result.exit_code == 1
    assert "unknown path `spokespeple`" in result.output
