"""`portal progress`: HR's answer to who learned what, from the learning records and the roster."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import REPO, run_portal
from xapi_support import ROSTER, all_statements, post_statements, ralph, ralph_available, statement

from generator.validate import validate

SAMPLE, _ = validate(REPO)
assert SAMPLE is not None, "the sample portal must load"
FINGERPRINTS = {lesson_id: lesson.fingerprint for lesson_id, lesson in SAMPLE.lessons.items()}


def amina_and_baraka() -> list[dict]:
    """Amina did the first lessons (one of them in an older version); Baraka only opened one."""
    done = ["why-employees-matter", "your-accounts-your-voice", "disclosing-your-employer"]
    made = [statement("amina@jua-energy.example", "completed", "lessons", lesson, when=f"2026-11-0{n + 3}T09:00:00Z",
                      fingerprint=FINGERPRINTS[lesson]) for n, lesson in enumerate(done)]
    made.append(statement("amina@jua-energy.example", "completed", "lessons", "tone-of-voice-basics",
                          when="2026-11-10T09:00:00Z", fingerprint="0ldversion00"))
    made.append(statement("amina@jua-energy.example", "failed", "lessons", "disclosing-your-employer", part="check",
                          when="2026-11-05T08:59:00Z", result={"score": {"raw": 1, "min": 0, "max": 2, "scaled": 0.5}}))
    made.append(statement("amina@jua-energy.example", "passed", "lessons", "disclosing-your-employer", part="check",
                          when="2026-11-05T09:00:00Z", result={"score": {"raw": 2, "min": 0, "max": 2, "scaled": 1.0}}))
    made.append(statement("baraka@jua-energy.example", "experienced", "lessons", "why-employees-matter",
                          when="2026-11-03T10:00:00Z"))
    made.append(statement("someone@else.example", "completed", "lessons", "why-employees-matter",
                          when="2026-11-03T10:00:00Z", fingerprint=FINGERPRINTS["why-employees-matter"]))
    other_site = statement("amina@jua-energy.example", "completed", "lessons", "x", when="2026-11-03T10:00:00Z")
    other_site["object"]["id"] = "https://elsewhere.example/course/1"
    made.append(other_site)
    return made


@pytest.fixture
def files(tmp_path):
    roster = tmp_path / "people.csv"
    roster.write_text(ROSTER, "utf-8")
    lines = tmp_path / "statements.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in amina_and_baraka()), "utf-8")
    return roster, lines


def progress(runner, *args):
    return run_portal(runner, REPO, "progress", "--today", "2026-11-17", *args)


def test_each_person_gets_their_lessons_with_real_due_dates_and_a_status(runner, files):
    roster, lines = files
    result = progress(runner, "--roster", str(roster), "--statements", str(lines), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    people = {p["email"]: p for p in data["people"]}
    amina = {row["lesson"]: row for row in people["amina@jua-energy.example"]["lessons"] if not row["refresher"]}
    assert amina["why-employees-matter"] == {
        "lesson": "why-employees-matter", "title": "Why your voice matters", "path": "foundations",
        "due": "2026-11-04", "required": True, "refresher": False, "status": "done", "completed": "2026-11-03",
        "score": None}
    assert amina["disclosing-your-employer"]["score"] == 1.0, "the best score counts"
    assert amina["tone-of-voice-basics"]["status"] == "redo", "completed in a version that has changed since"
    assert amina["keeping-confidences"]["status"] == "overdue"
    assert amina["spotting-trouble-early"]["status"] == "due" and amina["when-to-stay-silent"]["status"] == "due"
    assert amina["tone-of-voice-basics"]["due"] == "2026-11-16"
    baraka = people["baraka@jua-energy.example"]
    assert baraka["started"] is True and baraka["counts"]["done"] == 0 and baraka["counts"]["overdue"] == 5
    chen = people["chen@jua-energy.example"]
    assert chen["started"] is False and chen["counts"]["overdue"] == 0, "starts on 30 November: nothing due yet"
    assert data["statements"] == {"read": 9, "ignored": 1, "skipped": 0}
    roles = {group["name"]: group for group in data["roles"]}
    assert roles["Receptionist"] == {"name": "Receptionist", "people": 2, "finished": 0, "overdue": 2,
                                     "not_started": 0, "unacknowledged": 2}


def test_overdue_lists_only_what_is_late_and_check_fails_the_job(runner, files):
    roster, lines = files
    result = progress(runner, "--roster", str(roster), "--statements", str(lines), "--overdue", "--check",
                      "--format", "csv")
    assert result.exit_code == 1, "someone is overdue"
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {row["status"] for row in rows} == {"overdue"}
    assert {row["email"] for row in rows} == {"amina@jua-energy.example", "baraka@jua-energy.example"}
    assert [row["item"] for row in rows if row["email"].startswith("baraka")][:2] == [
        "why-employees-matter", "your-accounts-your-voice"]


def test_the_table_names_each_person_and_sums_up_by_role_and_manager(runner, files):
    roster, lines = files
    result = progress(runner, "--roster", str(roster), "--statements", str(lines))
    assert result.exit_code == 0
    assert "Progress on 2026-11-17: 3 people, 2 with overdue lessons, 1 never started" in result.output
    assert "Chen Wei <chen@jua-energy.example> · Engineer · manager omar@jua-energy.example · started 2026-11-30 · " \
           "never started" in result.output
    assert "By manager" in result.output and "grace@jua-energy.example" in result.output


def test_the_html_report_is_one_self_contained_file(runner, files, tmp_path):
    roster, lines = files
    out = tmp_path / "report.html"
    result = progress(runner, "--roster", str(roster), "--statements", str(lines), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert "Amina Odhiambo" in page and 'role="img"' in page and "<desc" in page
    assert "http://" not in page.replace('http://www.w3.org', '') and "https://" not in page.replace(
        "https://learn.jua-energy.example", ""), "nothing is loaded from anywhere"
    assert not list(tmp_path.glob(".report.html.partial"))


def test_a_roster_with_bad_rows_reports_every_problem_in_one_run(runner, tmp_path, files):
    _, lines = files
    roster = tmp_path / "bad.csv"
    roster.write_text(ROSTER + "amina@jua-energy.example,Amina Again,receptionist,2026-11-02,sw,\n"
                      "dan@jua-energy.example,Dan,recepcionist,2026-02-30,fr,\n", "utf-8")
    result = progress(runner, "--roster", str(roster), "--statements", str(lines))
    assert result.exit_code == 1
    out = result.output
    assert f"{roster}:5:1: `amina@jua-energy.example` is listed twice; first on line 2" in out
    assert f"{roster}:6:28: unknown role `recepcionist`; did you mean `receptionist`?" in out
    assert f"{roster}:6:41: `2026-02-30` is not a date written YYYY-MM-DD" in out
    assert f"{roster}:6:52: unknown language `fr`" in out


def test_malformed_statements_are_located_and_only_skipped_when_asked(runner, files, tmp_path):
    roster, lines = files
    broken = tmp_path / "broken.jsonl"
    broken.write_text(lines.read_text("utf-8") + '{"actor": {}, "verb": \n[1]\n', "utf-8")
    result = progress(runner, "--roster", str(roster), "--statements", str(broken))
    assert result.exit_code == 1
    assert f"{broken}:10:" in result.output and f"{broken}:11:1: expected a statement" in result.output
    result = progress(runner, "--roster", str(roster), "--statements", str(broken), "--skip-bad", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["statements"] == {"read": 9, "ignored": 1, "skipped": 2}


def test_a_json_array_export_reads_the_same_as_lines(runner, files, tmp_path):
    roster, lines = files
    array = tmp_path / "export.json"
    array.write_text(json.dumps(amina_and_baraka(), indent=1), "utf-8")
    one = progress(runner, "--roster", str(roster), "--statements", str(lines), "--format", "json").output
    other = progress(runner, "--roster", str(roster), "--statements", str(array), "--format", "json").output
    assert one == other


def test_points_come_as_a_ledger_by_the_rewards_rules(runner, files, tmp_path):
    roster, _ = files
    made = [statement("amina@jua-energy.example", "shared", "posts", f"post-{n}", when=f"2026-11-1{n}T09:00:00Z")
            for n in range(5)]  # 10-14 November: Tuesday to Saturday of one ISO week
    made.append(statement("amina@jua-energy.example", "completed", "paths", "foundations", when="2026-11-16T09:00:00Z"))
    shares = tmp_path / "shares.jsonl"
    shares.write_text("".join(json.dumps(s) + "\n" for s in made), "utf-8")
    result = progress(runner, "--roster", str(roster), "--statements", str(shares), "--points", "--format", "json")
    amina = next(p for p in json.loads(result.output)["people"] if p["email"].startswith("amina"))
    ledger = amina["points"]["ledger"]
    assert [line["points"] for line in ledger] == [5, 5, 5, 0, 0, 50]
    assert ledger[3]["note"] == "over the limit: 3 per week"
    assert amina["points"]["total"] == 65


needs_ralph = pytest.mark.skipif(not ralph_available(), reason="Ralph's virtual environment (.ci/lrs) is not set up")


@needs_ralph
def test_progress_reads_a_real_lrs_with_its_paging(runner, files, tmp_path, monkeypatch):
    roster, _ = files
    many = amina_and_baraka() + [
        statement("baraka@jua-energy.example", "experienced", "lessons", "why-employees-matter",
                  when=f"2026-11-04T10:{n // 60:02d}:{n % 60:02d}Z") for n in range(620)]
    with ralph(tmp_path / "lrs") as base:
        assert post_statements(base, many[:400]) == 200 and post_statements(base, many[400:]) == 200
        assert len(all_statements(base)) == len(many), "more than one page (500) was followed"
        monkeypatch.setenv("PORTAL_LRS_CREDENTIAL", "portal:portal-test-secret")
        result = progress(runner, "--roster", str(roster), "--lrs", base, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["statements"]["read"] == len(many)
        monkeypatch.setenv("PORTAL_LRS_CREDENTIAL", "portal:wrong")
        refused = progress(runner, "--roster", str(roster), "--lrs", base)
        assert refused.exit_code == 1 and "the credential was refused (401)" in refused.output
        missing = progress(runner, "--roster", str(roster), "--lrs", base.replace("/xAPI/", "/nothing/"))
        assert missing.exit_code == 1 and "(404)" in missing.output


def test_an_lrs_that_cannot_be_reached_is_named_and_nothing_is_written(runner, files, tmp_path):
    roster, _ = files
    out = tmp_path / "report.csv"
    result = progress(runner, "--roster", str(roster), "--lrs", "http://127.0.0.1:9/xAPI/", "-o", str(out))
    assert result.exit_code == 1 and "the LRS could not be reached" in result.output
    assert not out.exists() and not list(tmp_path.glob(".report*"))


def test_an_lrs_error_answer_stops_the_run_with_its_status(runner, files, tmp_path):
    import http.server
    import threading

    class Broken(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        roster, _ = files
        result = progress(runner, "--roster", str(roster), "--lrs", f"http://127.0.0.1:{server.server_port}/xAPI/")
        assert result.exit_code == 1 and "the LRS answered 500" in result.output
    finally:
        server.shutdown()
        server.server_close()


def test_a_refresher_is_listed_near_its_due_date_and_needs_a_new_completion(runner, tmp_path):
    roster = tmp_path / "people.csv"
    roster.write_text("email,name,role,start_date\nzawadi@jua-energy.example,Zawadi,receptionist,2025-11-10\n",
                      "utf-8")
    first = statement("zawadi@jua-energy.example", "completed", "lessons", "keeping-confidences",
                      when="2025-11-15T09:00:00Z", fingerprint=FINGERPRINTS["keeping-confidences"])
    again = statement("zawadi@jua-energy.example", "completed", "lessons", "when-to-stay-silent",
                      when="2026-11-01T09:00:00Z", fingerprint=FINGERPRINTS["when-to-stay-silent"])
    lines = tmp_path / "s.jsonl"
    lines.write_text(json.dumps(first) + "\n" + json.dumps(again) + "\n", "utf-8")
    result = progress(runner, "--roster", str(roster), "--statements", str(lines), "--format", "json")
    rows = json.loads(result.output)["people"][0]["lessons"]
    refreshers = {row["lesson"]: row for row in rows if row["refresher"]}
    assert refreshers["keeping-confidences"]["due"] == "2026-11-10"
    assert refreshers["keeping-confidences"]["status"] == "overdue", "last year's completion does not count"
    assert refreshers["when-to-stay-silent"]["status"] == "done" and \
        refreshers["when-to-stay-silent"]["completed"] == "2026-11-01"
