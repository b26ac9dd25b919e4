"""The rules the browser repeats, checked in Python against the shared vectors in tests/vectors/.

The same files are read by the Node tests of the browser's scripts (tests/js/*.test.mjs, run by
`node --test tests/js/`), so a rule that drifts in either language fails here or there. How the
expected values were made (from references, not from this code): tests/make_vectors.py.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from typing import Any

import pytest
from conftest import REPO

from generator import export, posts, schema
from generator.schedule import DayRules, add_months

VECTORS = REPO / "tests" / "vectors"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text("utf-8"))
    return data


def day_rules(rules: dict[str, Any]) -> DayRules:
    """The rules as hr-data.js carries them, read back into the Python rules."""
    return DayRules(
        working_days=rules["working_days"],
        weekend=frozenset(rules["weekend"]),
        holidays=frozenset(dt.date.fromisoformat(h) for h in rules["holidays"]),
    )


def wrong(cases: list[dict[str, Any]], got: Any, expected: str) -> list[str]:
    """Every case whose result differs, with what was expected and what came out."""
    out = []
    for case in cases:
        value = got(case)
        if value != case[expected]:
            out.append(f"{case}: got {value!r}")
    return out


# --- dates ---------------------------------------------------------------------------------------

SCHEDULE = load("schedule.json")


def test_due_dates_follow_every_vector():
    rules = {name: day_rules(r) for name, r in SCHEDULE["rules"].items()}
    got = lambda c: rules[c["rules"]].due_date(dt.date.fromisoformat(c["start"]), c["day"]).isoformat()  # noqa: E731
    assert wrong(SCHEDULE["due"], got, "due") == []


def test_refresher_dates_follow_every_vector():
    rules = {name: day_rules(r) for name, r in SCHEDULE["rules"].items()}
    got = lambda c: rules[c["rules"]].refresher_date(dt.date.fromisoformat(c["start"]), c["months"]).isoformat()  # noqa: E731
    assert wrong(SCHEDULE["refresher"], got, "due") == []


def test_month_arithmetic_follows_every_vector():
    got = lambda c: add_months(dt.date.fromisoformat(c["date"]), c["months"]).isoformat()  # noqa: E731
    assert wrong(SCHEDULE["add_months"], got, "result") == []


def test_the_schedule_vectors_cover_leap_years_year_ends_and_holidays_on_weekends():
    due = SCHEDULE["due"] + SCHEDULE["refresher"]
    assert len(SCHEDULE["due"]) >= 300 and len(SCHEDULE["refresher"]) >= 150 and len(SCHEDULE["add_months"]) >= 100
    assert any(c["due"].endswith("-02-29") for c in due)
    assert any(c["start"][:4] != c["due"][:4] for c in due), "a due date in the next year"
    weekend_holidays = [
        h for r in SCHEDULE["rules"].values() if r["working_days"] for h in r["holidays"]
        if dt.date.fromisoformat(h).weekday() in r["weekend"]
    ]
    assert weekend_holidays, "a holiday on a weekend day"
    assert {tuple(r["weekend"]) for r in SCHEDULE["rules"].values()} >= {(5, 6), (4, 5), (6,), ()}


def test_the_vectors_rules_are_what_the_hr_pages_carry_for_a_portal_yml():
    """hr.py writes the rules of portal.yml's `schedule:` as {working_days, weekend, holidays}: the
    vectors' rules have that shape and mean what portal.yml would say."""
    config = schema.ScheduleRules.model_validate(
        {"count": "working_days", "weekend": ["friday", "saturday"], "holidays": ["2023-12-29", "2023-12-30",
                                                                                 "2023-12-31", "2024-02-29",
                                                                                 "2024-03-01"]})
    assert DayRules.from_config(config) == day_rules(SCHEDULE["rules"]["friday-saturday"])
    for rules in SCHEDULE["rules"].values():
        assert set(rules) == {"working_days", "weekend", "holidays"}


# --- counting and hashtags -----------------------------------------------------------------------

COUNT = load("count.json")


def network(spec: dict[str, Any]) -> posts.Network:
    return posts.Network("test", "Test", 100000, link_length=spec["linkLength"], weighted=spec["weighted"])


def test_counts_follow_every_vector():
    networks = {name: network(spec) for name, spec in COUNT["networks"].items()}
    got = lambda c: posts.count(c["text"], networks[c["network"]])  # noqa: E731
    assert wrong(COUNT["cases"], got, "count") == []


def test_links_follow_every_vector():
    def links(case: dict[str, Any]) -> list[str]:
        return [case["text"][start:end] for start, end in posts.links_in(case["text"])]

    assert wrong(COUNT["cases"], links, "links") == []


def test_the_count_vectors_carry_the_rules_the_share_page_carries():
    """The Node tests compile the expressions copied into count.json; they must be the ones
    posts.py uses and hands to the share page (else: .venv/bin/python tests/make_vectors.py)."""
    assert COUNT["rules"] == posts.browser_rules()


def test_the_count_vectors_cover_links_with_trailing_punctuation_cjk_and_emoji():
    texts = [c["text"] for c in COUNT["cases"]]
    assert len(texts) >= 300
    for trailing in ".,:;!?')\"":
        assert any(f"{c['links'][0]}{trailing}" in c["text"] for c in COUNT["cases"] if c["links"]), trailing
    assert any("太" in t for t in texts) and any("\u200d" in t for t in texts) and any("🇰🇪" in t for t in texts)


HASHTAGS = load("hashtags.json")


def test_hashtags_are_found_as_every_vector_says():
    got = lambda c: posts.has_hashtag(c["text"], c["tag"])  # noqa: E731
    assert len(HASHTAGS["has_hashtag"]) >= 300
    assert wrong(HASHTAGS["has_hashtag"], got, "found") == []


def test_the_shared_message_follows_every_vector():
    got = lambda c: posts.shared_message(c["text"], c["disclosure"], c["appended"])  # noqa: E731
    assert wrong(HASHTAGS["shared_message"], got, "message") == []


# --- CSV and iCalendar ---------------------------------------------------------------------------

EXPORT = load("export.json")


def schedule_row(values: dict[str, Any]) -> export.Row:
    return export.Row(
        due=dt.date.fromisoformat(values["due"]), kind=values["kind"], day=values["day"],
        lesson_id=values["lesson_id"], lesson_slug=values["lesson_id"], title=values["title"],
        minutes=values["minutes"], required=values["required"], path_id=values["path_id"],
        path_title=values["path_title"], url=values["url"], months=0, every_months=0,
    )


def test_csv_records_follow_every_vector():
    assert export.csv_record(export.CSV_COLUMNS) == EXPORT["csv_header"]["line"]
    assert list(export.CSV_COLUMNS) == EXPORT["csv_header"]["values"]
    got = lambda c: export.csv_record(export.csv_values(schedule_row(c["row"])))  # noqa: E731
    assert wrong(EXPORT["csv_rows"], got, "line") == []


def test_a_whole_csv_is_its_header_and_its_records():
    rows = [schedule_row(c["row"]) for c in EXPORT["csv_rows"]]
    assert export.to_csv(rows) == EXPORT["csv_header"]["line"] + "".join(c["line"] for c in EXPORT["csv_rows"])


def test_ics_text_is_escaped_as_every_vector_says():
    got = lambda c: export.ics_text(c["value"])  # noqa: E731
    assert wrong(EXPORT["ics_text"], got, "escaped") == []


def test_ics_lines_are_folded_as_every_vector_says():
    got = lambda c: export.fold(c["line"])  # noqa: E731
    assert wrong(EXPORT["fold"], got, "folded") == []


# --- the browser gets the same rules ------------------------------------------------------------


def test_every_page_loads_the_shared_rules_before_the_portals_scripts(sample):
    """The generator puts assets/lib/ first, also for a repository whose mkdocs.yml lists some of
    them already or none (as every mkdocs.yml written before they existed)."""
    from generator.project import LIBRARY_SCRIPTS, mkdocs_config, read_theme_config
    from generator.render import Renderer
    from generator.validate import validate

    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    base = read_theme_config(sample)
    for listed in (base.get("extra_javascript") or [], ["assets/lib/posts.js", "assets/share.js"]):
        config = mkdocs_config(portal, {**base, "extra_javascript": listed}, Renderer(portal),
                               docs_dir=sample / "docs", site_dir=sample / "site")
        scripts = config["extra_javascript"]
        assert scripts[:len(LIBRARY_SCRIPTS)] == list(LIBRARY_SCRIPTS)
        assert len(scripts) == len(set(scripts)) and "assets/share.js" in scripts
    for script in LIBRARY_SCRIPTS:
        assert (REPO / "generator" / script).is_file()


def test_the_share_page_hands_its_script_the_rules_posts_py_counts_with(sample):
    import html
    import re

    from generator.render import Renderer
    from generator.validate import validate

    portal, problems = validate(sample)
    assert portal is not None and not problems.errors
    page = Renderer(portal).render()[posts.SHARE_PAGE]
    carried = re.search(r'data-rules="([^"]*)"', page)
    assert carried is not None
    assert json.loads(html.unescape(carried.group(1))) == posts.browser_rules() == COUNT["rules"]


# --- where the expected values come from ---------------------------------------------------------


def test_every_vectors_file_is_what_its_references_give():
    """The files hold the references' answers (tests/make_vectors.py), not edited or copied output."""
    import make_vectors

    for name, data in make_vectors.build().items():
        assert json.loads(json.dumps(data)) == load(name), f"{name}: run .venv/bin/python tests/make_vectors.py"


# --- the same files in Node ----------------------------------------------------------------------


def test_the_browser_scripts_pass_the_same_vectors_in_node():
    """The browser's rules (generator/assets/lib/*.js), run by Node's own test runner on these files."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("this test needs Node.js (`apt-get install nodejs`), as the browser tests' axe-core does")
    result = subprocess.run([node, "--test", "tests/js/"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
