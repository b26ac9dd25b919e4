"""`portal progress`: HR's answer to who learned what, from the learning records and the roster."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import REPO, run_portal
from xapi_support import ROSTER, SITE, all_statements, post_statements, ralph, ralph_available, statement

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


# --- the same report as before, however the statements are folded --------------------------------

GOLDEN = REPO / "tests" / "cases" / "progress"
"""The report of :func:`varied_export` in every format, as `portal progress` wrote it before its fold was
made faster (``pytest tests/test_progress.py --update-goldens`` rewrites it after a content change)."""

VARIED_ROSTER = "email,name,role,start_date,language,manager,account\n" + "".join(
    line + ",\n" for line in ROSTER.splitlines()[1:]) + (
    'dede@jua-energy.example,"Dede ""Dee"" Mensah, Jr.",engineer,2025-06-02,en,omar@jua-energy.example,\n'
    "eli@jua-energy.example,Eli Sato,receptionist,2025-10-13,en,grace@jua-energy.example,ELI.SSO\n"
    "fatma@jua-energy.example,Fatma Kaya,sales-representative,2025-12-01,en,,\n"
    "goli@jua-energy.example,Goli Rahimi,customer-service-agent,2026-03-16,ur,grace@jua-energy.example,\n"
)


def varied_export(lessons: dict[str, str], seed: int = 5, count: int = 900) -> list[dict]:
    """Every verb the report reads and the odd things an export holds, in no particular order.

    ``lessons``: each lesson's current fingerprint. Some completions carry an older one; some
    statements are about other sites, have verbs the portal does not use, name their learner by an
    SSO account or in capitals, carry only the LRS's `stored` time, or no score a report can read.
    """
    import random

    from generator.xapi import network_extension

    rng = random.Random(seed)
    emails = [line.split(",")[0] for line in VARIED_ROSTER.splitlines()[1:]] + ["someone@else.example"]
    ids = sorted(lessons)
    made = []
    for n in range(count):
        email = rng.choice(emails)
        lesson = rng.choice([*ids, "no-longer-a-lesson"])
        when = f"2025-{rng.randrange(6, 13):02d}-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00Z" \
            if n % 2 else f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00Z"
        verb = rng.choice(["experienced", "answered", "completed", "completed", "passed", "failed", "agreed",
                           "shared", "path", "other"])
        if verb == "completed":
            fingerprint = lessons.get(lesson) if rng.random() < 0.8 else "0ldversion00"
            made.append(statement(email, "completed", "lessons", lesson, when=when, fingerprint=fingerprint))
        elif verb in ("passed", "failed"):
            scaled = rng.choice([0.5, 1, 0.75, True, "most", None])
            result = {"score": {"scaled": scaled}} if scaled is not None else {"completion": True}
            made.append(statement(email, verb, "lessons", lesson, part="check", when=when, result=result))
        elif verb == "agreed":
            kind, item = rng.choice([("lessons", lesson), ("lessons", "your-accounts-your-voice"),
                                     ("playbooks", "rewards")])
            made.append(statement(email, "agreed", kind, item, when=when,
                                  version=rng.choice(["2026-12-01", "2026-06-01"])))
        elif verb == "shared":
            made.append(statement(email, "shared", "posts", f"post-{rng.randrange(8)}", when=when))
            if rng.random() < 0.7:
                made[-1]["context"] = {"extensions": {network_extension(SITE): rng.choice(["linkedin", "x"])}}
        elif verb == "path":
            made.append(statement(email, "completed", "paths", rng.choice(["foundations", "spokespeople"]),
                                  when=when))
        elif verb == "other":
            made.append(statement(email, "experienced", "lessons", lesson, when=when))
            made[-1]["verb"] = {"id": "http://example.com/verbs/liked"}
        else:
            made.append(statement(email, verb, "lessons", lesson, part="q1" if verb == "answered" else None,
                                  when=when))
        odd = rng.random()
        actor = made[-1]["actor"]
        if odd < 0.05:
            made[-1]["object"]["id"] = made[-1]["object"]["id"].replace(SITE, "https://elsewhere.example/")
        elif odd < 0.10:
            made[-1]["stored"] = made[-1].pop("timestamp")
        elif odd < 0.15:
            actor["mbox"] = actor["mbox"].upper()
        elif odd < 0.20 and email.startswith("eli"):
            del actor["mbox"]
            actor["account"] = {"homePage": "https://sso.jua-energy.example", "name": "eli.sso"}
        elif odd < 0.22:
            del actor["mbox"]
    return made


@pytest.fixture
def varied(tmp_path):
    roster = tmp_path / "people.csv"
    roster.write_text(VARIED_ROSTER, "utf-8")
    lines = tmp_path / "statements.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in varied_export(FINGERPRINTS)), "utf-8")
    return roster, lines


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "html"])
def test_every_format_reports_as_before_the_fold_was_made_faster(runner, varied, fmt, request):
    roster, lines = varied
    result = run_portal(runner, REPO, "progress", "--today", "2026-12-01", "--roster", str(roster), "--statements",
                        str(lines), "--format", fmt, "--points")
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"report.{'txt' if fmt == 'table' else fmt}"
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(result.output.encode("utf-8"))
    assert result.output == golden.read_bytes().decode("utf-8"), f"differs from {golden.relative_to(REPO)}"


def test_a_streamed_export_folds_as_one_statement_at_a_time_does():
    """The short path of `Records.add_all` keeps `Records.add`'s rules, whatever an entry looks like."""
    import dataclasses

    from generator.progress import Records
    from generator.statements import BadStatement
    from generator.xapi import VERBS

    portal = validate(REPO)[0]
    made = varied_export(FINGERPRINTS, seed=9, count=3000)
    amina = {"objectType": "Agent", "mbox": "mailto:amina@jua-energy.example"}
    lesson = f"{SITE}xapi/activities/lessons/why-employees-matter"
    made += [
        {"actor": amina, "verb": {"id": VERBS["completed"]}, "object": {"id": 5},
         "timestamp": "2026-11-20T09:00:00Z"},
        {"actor": amina, "verb": {}, "object": {"id": lesson}, "timestamp": "2026-11-21T09:00:00Z"},
        {"actor": amina, "verb": {"id": VERBS["experienced"]}, "object": {"id": lesson}, "timestamp": None,
         "stored": "2026-11-22T09:00:00Z"},
        {"actor": {"mbox": "eli@jua-energy.example", "account": {"name": "Eli.SSO"}},
         "verb": {"id": VERBS["experienced"]}, "object": {"id": lesson}, "timestamp": "2026-11-23T09:00:00Z"},
        {"actor": {"mbox": 7}, "verb": {"id": VERBS["experienced"]}, "object": {"id": lesson},
         "timestamp": "2026-11-24T09:00:00Z"},
    ]
    broken = BadStatement(12, 1, "not JSON: unexpected end of data")
    one_by_one, streamed = Records(portal), Records(portal)
    for item in made:
        one_by_one.add(item)
    assert streamed.add_all([*made[:1500], broken, *made[1500:]]) == [broken]
    assert (streamed.counted, streamed.ignored) == (one_by_one.counted, one_by_one.ignored) == (len(made), 606)
    assert {key: dataclasses.asdict(learner) for key, learner in streamed.learners.items()} == \
        {key: dataclasses.asdict(learner) for key, learner in one_by_one.learners.items()}
    assert streamed.learners["eli.sso"].seen == "2026-11-23T09:00:00Z"


def test_the_csv_is_what_the_csv_module_writes(varied):
    """The CSV is joined by hand for speed: its quoting must stay that of `csv.writer`."""
    import dataclasses
    import datetime as dt

    from generator import progress as progress_model
    from generator.progress_output import CSV_COLUMNS, to_csv
    from generator.roster import load_roster
    from generator.statements import read_file

    roster, lines = varied
    portal = validate(REPO)[0]
    people, _ = load_roster(roster, portal, str(roster))
    people = [dataclasses.replace(person, name=name, manager=manager) for person, name, manager in zip(
        people, ['Line\nbreak', 'Carriage\rreturn', '"Quoted"', "Comma, inside", " spaced ", "Ünïcode 名字", ""],
        ["a,b@x.example", 'say "hi"', "", "plain", "tab\there", "x\r\ny", "z"], strict=False)]
    records = progress_model.Records(portal)
    records.add_all(read_file(lines))
    reports = progress_model.build_report(portal, records, people, dt.date(2026, 12, 1))
    ledgers = {p.email: progress_model.ledger(portal, records, p) for p in people}

    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        p = report.person
        head = [p.email, p.name, p.role, p.manager, p.start.isoformat()]
        for row in report.lessons:
            kind = "refresher" if row.refresher else "lesson" if row.required else "optional lesson"
            writer.writerow([*head, kind, row.lesson, row.title, row.path, row.due.isoformat(), row.status,
                             row.completed, "" if row.score is None else f"{row.score:.2f}"])
        for ack in report.acknowledgements:
            writer.writerow([*head, "acknowledgement", ack.item, ack.title, "", ack.version, ack.status, ack.date, ""])
        for line in ledgers.get(p.email, []):
            writer.writerow([*head, "points", line.rule, line.what, "", "", line.note, line.date, line.points])
    assert to_csv(reports, ledgers) == expected.getvalue()
    assert list(csv.reader(io.StringIO(to_csv(reports, ledgers))))[1][1] == "Line\nbreak"


def test_a_content_error_stops_the_report_at_its_place(runner, sample, files):
    roster, lines = files
    role = sample / "content" / "roles" / "receptionist.yml"
    role.write_text(role.read_text("utf-8").replace("  - foundations", "  - foundation"), "utf-8")
    result = run_portal(runner, sample, "progress", "--roster", str(roster), "--statements", str(lines))
    assert result.exit_code == 1
    assert "content/roles/receptionist.yml:56:5: unknown path `foundation`; did you mean `foundations`?" \
        in result.output
    assert "fix the 1 content error(s) above first" in result.output


def test_a_broken_translation_stops_the_build_but_not_the_report(runner, sample, files):
    """A report shows the content in its default language: a translation's mistake is the site's to fix."""
    roster, lines = files
    translation = sample / "content" / "lessons" / "why-employees-matter.sw.md"
    translation.write_text(translation.read_text("utf-8").replace('title: "', 'title: ["', 1), "utf-8")
    assert run_portal(runner, sample, "validate").exit_code == 1
    broken = run_portal(runner, sample, "progress", "--today", "2026-11-17", "--roster", str(roster),
                        "--statements", str(lines), "--format", "json")
    assert broken.exit_code == 0, broken.output
    intact = progress(runner, "--roster", str(roster), "--statements", str(lines), "--format", "json")
    assert json.loads(broken.output) == json.loads(intact.output)


def test_two_processes_fold_a_shuffled_export_as_one_does(tmp_path, monkeypatch):
    """`Records.add_file` cut in two (a worker folds the second half) gives the records, counts, bad lines and
    reports that one process gives: ties of time across the halves, a byte-order mark, blank and broken lines."""
    import dataclasses
    import datetime as dt
    import random

    from generator import progress as progress_model
    from generator.progress_output import to_csv, to_json
    from generator.roster import load_roster
    from generator.statements import lines_split, read_file

    portal = validate(REPO)[0]
    made = varied_export(FINGERPRINTS, seed=11, count=4000)
    random.Random(3).shuffle(made)
    lesson = sorted(FINGERPRINTS)[0]
    tie = "2026-11-30T09:00:00Z"  # after every time of the varied export
    early, late = [], []  # the same time in both halves: the later statement in the file must win, or the earlier
    for email, first, second in (("amina@jua-energy.example", FINGERPRINTS[lesson], "0ldversion00"),
                                 ("baraka@jua-energy.example", "0ldversion00", FINGERPRINTS[lesson])):
        early.append(statement(email, "completed", "lessons", lesson, when=tie, fingerprint=first))
        late.append(statement(email, "completed", "lessons", lesson, when=tie, fingerprint=second))
        early.append(statement(email, "agreed", "playbooks", "rewards", when=tie, version="2026-06-01"))
        late.append(statement(email, "agreed", "playbooks", "rewards", when=tie, version="2026-12-01"))
        early.append(statement(email, "completed", "paths", "foundations", when="2024-10-02T09:00:00Z"))
        late.append(statement(email, "completed", "paths", "foundations", when="2024-10-01T08:00:00Z"))
    text = [json.dumps(s) for s in [*early, *made, *late]]
    broken = ['{"actor": {"mbox": "mailto:x@y.example"}, "verb": ', "[1, 2]", '{"actor": {}, "verb": {}, oops}']
    text.insert(40, broken[0])  # in the first half; the others in the second
    text.insert(len(text) - 30, "")
    text.insert(len(text) - 20, broken[1])
    text.insert(len(text) - 10, broken[2])
    lines = tmp_path / "statements.jsonl"
    lines.write_bytes(b"\xef\xbb\xbf" + "\n".join(text).encode("utf-8"))  # no line end after the last line
    assert lines_split(lines) is not None

    merged = []
    monkeypatch.setattr(progress_model.Records, "_merge",
                        lambda self, later, real=progress_model.Records._merge: merged.append(1) or real(self, later))
    one, two = progress_model.Records(portal), progress_model.Records(portal)
    bad_one = one.add_file(lines, processes=1)
    bad_two = two.add_file(lines, processes=2, min_bytes=0)
    assert merged == [1]  # the second half was folded apart and merged
    where = [(b.line, b.col, b.message) for b in bad_one]
    assert where == [(b.line, b.col, b.message) for b in bad_two] == \
        [(b.line, b.col, b.message) for b in read_file(lines) if isinstance(b, Exception)]
    assert [line for line, _, _ in where] == [text.index(entry) + 1 for entry in broken]
    assert where[1][0] > lines.read_bytes()[:lines_split(lines)[1]].count(b"\n")  # one of them in the second half
    assert (one.counted, one.ignored) == (two.counted, two.ignored)
    assert list(one.learners) == list(two.learners)
    assert {key: dataclasses.asdict(learner) for key, learner in one.learners.items()} == \
        {key: dataclasses.asdict(learner) for key, learner in two.learners.items()}
    assert one.learners["baraka@jua-energy.example"].completed[lesson] == (tie, FINGERPRINTS[lesson])
    assert one.learners["amina@jua-energy.example"].paths["foundations"] == "2024-10-01T08:00:00Z"

    roster = tmp_path / "people.csv"
    roster.write_text(VARIED_ROSTER, "utf-8")
    people, _ = load_roster(roster, portal, str(roster))
    day = dt.date(2026, 12, 1)
    outputs = []
    for records in (one, two):
        reports = progress_model.build_report(portal, records, people, day)
        ledgers = {p.email: progress_model.ledger(portal, records, p) for p in people}
        counts = {"read": records.counted, "ignored": records.ignored, "skipped": 3}
        outputs.append((to_csv(reports, ledgers), to_json(reports, day, counts, ledgers)))
    assert outputs[0] == outputs[1]


def test_a_worker_that_dies_stops_the_report_with_a_message(tmp_path, monkeypatch):
    import os

    from generator import progress as progress_model

    lines = tmp_path / "statements.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in varied_export(FINGERPRINTS, count=200)), "utf-8")
    monkeypatch.setattr(progress_model, "_fold_range", lambda *args: os._exit(3))  # the forked worker inherits it
    records = progress_model.Records(validate(REPO)[0])
    with pytest.raises(OSError, match="second half") as stopped:
        records.add_file(lines, processes=2, min_bytes=0)
    assert stopped.value.strerror == "the process reading the second half of the file stopped"
