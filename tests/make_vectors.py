"""Writes the shared test vectors in tests/vectors/ that Python (tests/test_vectors.py) and the
browser's scripts (tests/js/*.test.mjs, run by `node --test tests/js/`) are both checked against.

The expected values do not come from the portal's own code. They come from a reference:
- due dates: every working day of the years around the start listed once, then the due date read
  off that list by position (and, when numpy is installed, numpy.busday_offset must agree);
  month arithmetic: calendar.monthrange; calendar days: datetime;
- counts: texts built from known parts (a link, its trailing punctuation, the words around it),
  so the count follows from the parts' lengths; X's own counts stay in x-count.json, made by
  tests/make_count_vectors.js from the official twitter-text library;
- hashtags: a tag put between known neighbours, found exactly when neither neighbour is a
  letter, digit or underscore (Unicode categories, read with unicodedata);
- CSV: Python's csv module; iCalendar: the TEXT escaping of the icalendar library and folding
  worked out on the UTF-8 bytes, each line checked against RFC 5545's 75-octet limit.
Cases written by hand (leap years, year ends, holidays on weekends, ...) are checked against the
same reference before they are written.

Run with the project's Python: .venv/bin/python tests/make_vectors.py
The counting expressions the share page hands to its script (posts.browser_rules()) are copied
into count.json for the Node tests; tests/test_vectors.py fails when they drift apart.
"""

from __future__ import annotations

import bisect
import calendar
import csv
import datetime as dt
import io
import json
import random
import sys
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "vectors"
REPO = Path(__file__).parent.parent

# --- dates ---------------------------------------------------------------------------------------

RULES: dict[str, dict[str, Any]] = {
    "calendar": {"working_days": False, "weekend": [5, 6], "holidays": []},
    "monday-to-friday": {"working_days": True, "weekend": [5, 6], "holidays": []},
    # Kenya's public holidays of 2024-2025; some fall on a weekend (2024-06-01 is a Saturday,
    # 2024-10-20 and 2025-06-01 are Sundays) and give no extra day off under these rules.
    "kenya": {"working_days": True, "weekend": [5, 6], "holidays": [
        "2024-01-01", "2024-03-29", "2024-04-01", "2024-04-10", "2024-05-01", "2024-06-01",
        "2024-10-10", "2024-10-20", "2024-12-12", "2024-12-25", "2024-12-26",
        "2025-01-01", "2025-03-31", "2025-04-18", "2025-04-21", "2025-05-01", "2025-06-01",
        "2025-06-06", "2025-10-10", "2025-10-20", "2025-12-12", "2025-12-25", "2025-12-26",
    ]},
    # A Friday-Saturday weekend, with holidays on a Friday, a Saturday and a Sunday.
    "friday-saturday": {"working_days": True, "weekend": [4, 5], "holidays": [
        "2023-12-29", "2023-12-30", "2023-12-31", "2024-02-29", "2024-03-01",
    ]},
    "sunday-only": {"working_days": True, "weekend": [6], "holidays": ["2023-12-25", "2024-12-25", "2024-12-28"]},
    "no-weekend": {"working_days": True, "weekend": [], "holidays": ["2024-02-29", "2024-12-31", "2025-01-01"]},
    # Year-end shutdown: two weeks of holidays over the new year, weekends among them.
    "shutdown": {"working_days": True, "weekend": [5, 6], "holidays": [
        (dt.date(2024, 12, 20) + dt.timedelta(days=n)).isoformat() for n in range(16)
    ]},
    "calendar-with-holidays": {"working_days": False, "weekend": [5, 6], "holidays": ["2024-02-29"]},
}


def working_days(rules: dict, first: dt.date, last: dt.date) -> list[dt.date]:
    holidays = {dt.date.fromisoformat(h) for h in rules["holidays"]}
    days, day = [], first
    while day <= last:
        if day.weekday() not in rules["weekend"] and day not in holidays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def reference_due(rules: dict, start: dt.date, day: int) -> dt.date:
    """Day 0: the start or the first working day after it; day N: the Nth working day after it."""
    if not rules["working_days"]:
        return start + dt.timedelta(days=day)
    listed = working_days(rules, start - dt.timedelta(days=10), start + dt.timedelta(days=day * 3 + 40))
    if day == 0:
        return listed[bisect.bisect_left(listed, start)]
    return listed[bisect.bisect_right(listed, start) + day - 1]


def reference_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def reference_refresher(rules: dict, start: dt.date, months: int) -> dt.date:
    moved = reference_months(start, months)
    return reference_due(rules, moved, 0) if rules["working_days"] else moved


# Written by hand: (rules, start, due day, expected due date, why).
HAND_DUE = [
    ("calendar", "2024-02-28", 1, "2024-02-29", "leap day exists in 2024"),
    ("calendar", "2023-02-28", 1, "2023-03-01", "no leap day in 2023"),
    ("calendar", "2100-02-28", 1, "2100-03-01", "2100 is no leap year"),
    ("calendar", "2000-02-28", 1, "2000-02-29", "2000 is a leap year"),
    ("calendar", "2024-12-31", 1, "2025-01-01", "year end"),
    ("calendar", "2024-12-25", 30, "2025-01-24", "over the year end"),
    ("calendar", "2024-03-30", 2, "2024-04-01", "calendar days ignore weekends (Saturday start)"),
    ("calendar-with-holidays", "2024-02-28", 1, "2024-02-29", "calendar days ignore holidays"),
    ("monday-to-friday", "2024-03-01", 1, "2024-03-04", "Friday + 1 working day is Monday"),
    ("monday-to-friday", "2024-03-02", 0, "2024-03-04", "day 0 on a Saturday moves to Monday"),
    ("monday-to-friday", "2024-03-02", 1, "2024-03-04", "day 1 from a Saturday is Monday"),
    ("monday-to-friday", "2024-03-03", 1, "2024-03-04", "day 1 from a Sunday is Monday"),
    ("monday-to-friday", "2024-03-04", 0, "2024-03-04", "day 0 on a Monday is that Monday"),
    ("monday-to-friday", "2024-03-04", 5, "2024-03-11", "five working days is a week"),
    ("monday-to-friday", "2024-02-28", 1, "2024-02-29", "leap day is a Thursday"),
    ("monday-to-friday", "2024-12-31", 1, "2025-01-01", "no holidays: 1 January works"),
    ("kenya", "2024-12-31", 1, "2025-01-02", "1 January is a holiday"),
    ("kenya", "2024-12-24", 1, "2024-12-27", "Christmas and Boxing Day"),
    ("kenya", "2024-05-31", 1, "2024-06-03", "Madaraka Day 2024 falls on a Saturday: no extra day off"),
    ("kenya", "2025-05-30", 1, "2025-06-02", "Madaraka Day 2025 falls on a Sunday: no extra day off"),
    ("kenya", "2024-10-18", 1, "2024-10-21", "Mashujaa Day 2024 falls on a Sunday"),
    ("kenya", "2024-03-28", 1, "2024-04-02", "Good Friday and Easter Monday"),
    ("kenya", "2024-03-29", 0, "2024-04-02", "day 0 on a holiday before a long weekend"),
    ("friday-saturday", "2023-12-28", 1, "2024-01-01", "holidays on Friday, Saturday and Sunday"),
    ("friday-saturday", "2024-02-28", 1, "2024-03-03", "leap day and 1 March off, then the weekend"),
    ("friday-saturday", "2024-03-01", 0, "2024-03-03", "Friday weekend: Sunday works"),
    ("sunday-only", "2024-12-24", 1, "2024-12-26", "Christmas on a Wednesday"),
    ("sunday-only", "2024-12-27", 1, "2024-12-30", "holiday on a Saturday, then Sunday"),
    ("no-weekend", "2024-02-28", 1, "2024-03-01", "no weekend: only the leap-day holiday is skipped"),
    ("no-weekend", "2024-12-30", 1, "2025-01-02", "New Year's Eve and Day off, no weekend"),
    ("shutdown", "2024-12-19", 1, "2025-01-06", "a two-week shutdown over the year end"),
    ("shutdown", "2024-12-25", 0, "2025-01-06", "day 0 inside the shutdown"),
    ("shutdown", "2024-12-19", 0, "2024-12-19", "the day before the shutdown"),
]

# (rules, start, months, expected, why)
HAND_REFRESHER = [
    ("calendar", "2024-01-31", 1, "2024-02-29", "31 January + 1 month in a leap year"),
    ("calendar", "2023-01-31", 1, "2023-02-28", "31 January + 1 month in a common year"),
    ("calendar", "2024-02-29", 12, "2025-02-28", "a leap day a year later"),
    ("calendar", "2024-02-29", 48, "2028-02-29", "a leap day four years later"),
    ("calendar", "2024-03-31", 1, "2024-04-30", "31 March + 1 month"),
    ("calendar", "2024-08-31", 6, "2025-02-28", "over the year end to a short month"),
    ("calendar", "2024-12-31", 2, "2025-02-28", "31 December + 2 months"),
    ("calendar", "2024-11-30", 1, "2024-12-30", "the day is kept when the month is long enough"),
    ("calendar", "2024-12-15", 12, "2025-12-15", "a year"),
    ("calendar", "1999-12-31", 2, "2000-02-29", "into 2000's leap day"),
    ("calendar", "2099-12-31", 2, "2100-02-28", "2100 has no leap day"),
    ("monday-to-friday", "2024-01-31", 1, "2024-02-29", "a leap day on a Thursday"),
    ("monday-to-friday", "2024-06-30", 3, "2024-09-30", "30 September 2024 is a Monday"),
    ("monday-to-friday", "2024-08-31", 1, "2024-09-30", "31 August + 1 month: Monday 30 September"),
    ("monday-to-friday", "2024-03-29", 6, "2024-09-30", "a Sunday 29 September moves to Monday"),
    ("kenya", "2024-01-01", 12, "2025-01-02", "New Year's Day a year later moves on"),
    ("kenya", "2024-06-01", 12, "2025-06-02", "a holiday on a Sunday: the next working day"),
    ("shutdown", "2024-06-25", 6, "2025-01-06", "a refresher falling in the shutdown"),
    ("friday-saturday", "2023-11-30", 1, "2024-01-01", "three holidays and a weekend in a row"),
]

# (date, months, expected)
HAND_MONTHS = [
    ("2024-01-31", 1, "2024-02-29"), ("2024-01-31", 2, "2024-03-31"), ("2024-01-31", 3, "2024-04-30"),
    ("2024-01-31", 13, "2025-02-28"), ("2024-02-29", 1, "2024-03-29"), ("2024-02-29", 12, "2025-02-28"),
    ("2024-02-29", 24, "2026-02-28"), ("2024-02-29", 48, "2028-02-29"), ("2024-12-31", 1, "2025-01-31"),
    ("2024-12-31", 2, "2025-02-28"), ("2024-12-31", 12, "2025-12-31"), ("2024-10-31", 4, "2025-02-28"),
    ("2023-10-31", 4, "2024-02-29"), ("2024-05-31", 1, "2024-06-30"), ("2024-07-31", 2, "2024-09-30"),
    ("2024-01-15", 0, "2024-01-15"), ("2024-01-15", 120, "2034-01-15"), ("1999-11-30", 3, "2000-02-29"),
    ("2099-11-30", 3, "2100-02-28"), ("2399-11-30", 3, "2400-02-29"),
]


def schedule_vectors(rng: random.Random) -> dict:
    due, refresher, months = [], [], []
    for rules, first, day, expected, why in HAND_DUE:
        got = reference_due(RULES[rules], dt.date.fromisoformat(first), day)
        assert got.isoformat() == expected, (rules, first, day, got, expected)
        due.append({"rules": rules, "start": first, "day": day, "due": expected, "why": why})
    for rules, first, n, expected, why in HAND_REFRESHER:
        got = reference_refresher(RULES[rules], dt.date.fromisoformat(first), n)
        assert got.isoformat() == expected, (rules, first, n, got, expected)
        refresher.append({"rules": rules, "start": first, "months": n, "due": expected, "why": why})
    for first, n, expected in HAND_MONTHS:
        got = reference_months(dt.date.fromisoformat(first), n)
        assert got.isoformat() == expected, (first, n, got, expected)
        months.append({"date": first, "months": n, "result": expected})
    # Generated: starts near the year ends, leap days and holidays, and anywhere in 2023-2026.
    anchors = [dt.date(y, 12, 31) for y in range(2022, 2026)] + [dt.date(2024, 2, 29), dt.date(2028, 2, 29)]
    anchors += [dt.date.fromisoformat(h) for h in RULES["kenya"]["holidays"]]
    for index in range(360):
        rules = sorted(RULES)[index % len(RULES)]
        if index % 3:
            start = rng.choice(anchors) + dt.timedelta(days=rng.randint(-9, 9))
        else:
            start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 4 * 365))
        day = rng.choice([0, 0, 1, 1, 2, 3, 5, 7, 10, 14, 20, 30, 45, 60, 90])
        due.append({"rules": rules, "start": start.isoformat(), "day": day,
                    "due": reference_due(RULES[rules], start, day).isoformat()})
    for index in range(160):
        rules = sorted(RULES)[index % len(RULES)]
        start = rng.choice([dt.date(2024, 1, 29) + dt.timedelta(days=n) for n in range(4)]
                           + [dt.date(2023, 8, 28) + dt.timedelta(days=n) for n in range(4)]
                           + [dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365))])
        n = rng.choice([1, 2, 3, 6, 12, 18, 24])
        refresher.append({"rules": rules, "start": start.isoformat(), "months": n,
                          "due": reference_refresher(RULES[rules], start, n).isoformat()})
    for _ in range(100):
        start = dt.date(1996, 1, 1) + dt.timedelta(days=rng.randint(0, 40 * 365))
        if rng.random() < 0.6:  # month ends are where the rule matters
            start = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        n = rng.randint(0, 60)
        months.append({"date": start.isoformat(), "months": n, "result": reference_months(start, n).isoformat()})
    check_with_numpy(due, refresher)
    return {
        "about": "Start date + rules -> due dates (generator/schedule.py, assets/lib/schedule.js). "
                 "`rules` name an entry of `rules` as assets/hr-data.js writes it (weekday 0 is Monday).",
        "rules": RULES, "due": due, "refresher": refresher, "add_months": months,
    }


def check_with_numpy(due: list[dict], refresher: list[dict]) -> None:
    """numpy's business-day arithmetic as a second reference, when numpy is there."""
    try:
        import numpy
    except ImportError:
        print("numpy is not installed: due dates checked against the working-day lists only", file=sys.stderr)
        return

    def offset(rules: dict, start: str, n: int, roll: str) -> str:
        mask = [0 if day in rules["weekend"] else 1 for day in range(7)]
        return str(numpy.busday_offset(start, n, roll=roll, weekmask=mask, holidays=rules["holidays"]))

    for case in due:
        rules = RULES[case["rules"]]
        if rules["working_days"]:
            # Day 0 rolls forward; day N counts N working days after the start, which is numpy's
            # offset from the start rolled back to a working day.
            got = offset(rules, case["start"], case["day"], "forward" if case["day"] == 0 else "backward")
            assert got == case["due"], (case, got)
    for case in refresher:
        rules = RULES[case["rules"]]
        if rules["working_days"]:
            moved = reference_months(dt.date.fromisoformat(case["start"]), case["months"]).isoformat()
            assert offset(rules, moved, 0, "forward") == case["due"], case
    print("numpy.busday_offset agrees on every working-day case", file=sys.stderr)


# --- counting ------------------------------------------------------------------------------------

LINKS = [
    "https://jua.example.com/solar", "http://jua.co.ke", "https://www.juaenergy.co.ke/offers?src=staff&x=1",
    "https://jua.energy/a_(b)", "https://jua.energy/wiki/Solar_(energy)", "https://jua.energy/path/",
    "https://jua.energy/%E5%A4%AA", "https://jua.energy/x#top", "https://a.io", "HTTPS://JUA.ENERGY/caps",
]
# Punctuation after a link that is not part of it (every character of posts.py's trailing set).
TRAILING = ["", ".", ",", ":", ";", "!", "?", "'", '"', ")", "...", "!?", ").", "\"."]
WORDS = [
    "", "Read more", "太阳能", "ہر گھر کے لیے", "Ηλιακή ενέργεια", "Café", "e\u0301te\u0301", "日本語", "한국어",
    "Привет", "#JuaTeam", "👍🏽", "👨\u200d👩\u200d👧\u200d👦", "🇰🇪", "☀️", "100%",
]
NETWORKS: dict[str, dict[str, Any]] = {
    "as-written": {"weighted": False, "linkLength": None},
    "short-links": {"weighted": False, "linkLength": 30},
}


def code_points(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def count_vectors(rng: random.Random) -> dict:
    cases = []
    seen = set()

    def add(before: str, link: str | None, trail: str, after: str, why: str | None = None) -> None:
        # A link stands apart from the words: a space (or the start) before it, a space after.
        parts = [before + (" " if before else "")] if link else [before]
        text = parts[0] + (link + trail if link else "") + ((" " + after) if after else "")
        if text in seen or (link is None and not text):
            return
        seen.add(text)
        links = [link] if link else []
        for name, network in NETWORKS.items():
            length = network["linkLength"]
            # A shortened link counts its fixed length instead of its characters.
            shortened = link is not None and length is not None
            expected = code_points(text) - len(link or "") + length if shortened else code_points(text)
            case = {"text": text, "network": name, "count": expected, "links": links}
            if why:
                case["why"] = why
            cases.append(case)

    for link in LINKS:
        for trail in TRAILING:
            add("See", link, trail, "now")
    for _ in range(70):
        add(rng.choice(WORDS), rng.choice(LINKS), rng.choice(TRAILING), rng.choice(WORDS))
    for word in WORDS:
        add(word, None, "", "")
    # Written by hand.
    add("(see", "https://jua.energy/x", ")", "", "the closing parenthesis closes the one before the link")
    cases.append({"text": "https:// alone", "network": "short-links", "count": 14, "links": [],
                  "why": "a scheme with nothing after it is no link"})
    cases.append({"text": "www.jua.energy and jua.energy", "network": "short-links", "count": 29, "links": [],
                  "why": "bare domain names count as written"})
    cases.append({"text": "ftp://jua.energy/file", "network": "short-links", "count": 21, "links": [],
                  "why": "only http and https links are shortened"})
    cases.append({"text": "a https://x.io/1 b https://x.io/2, c", "network": "short-links",
                  "count": 2 + 30 + 3 + 30 + 3, "links": ["https://x.io/1", "https://x.io/2"],
                  "why": "two links"})
    cases.append({"text": "e\u0301", "network": "as-written", "count": 1, "links": [],
                  "why": "counted after NFC: e and a combining accent are one character"})
    cases.append({"text": "👨\u200d👩\u200d👧\u200d👦", "network": "as-written", "count": 7, "links": [],
                  "why": "unweighted networks count code points, joiners included"})
    cases.append({"text": "https://jua.energy/x\u3002\u6587", "network": "short-links", "count": 32,
                  "links": ["https://jua.energy/x"], "why": "a link ends at a character that cannot be in an address"})
    return {
        "about": "Text + network -> count and links (generator/posts.py, assets/lib/posts.js); X's own "
                 "counts are in x-count.json. `rules` is posts.browser_rules(), as the share page carries it.",
        "networks": NETWORKS, "cases": cases,
    }


# --- hashtags ------------------------------------------------------------------------------------


def is_word(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LN"


TAGS = ["#JuaTeam", "#Ad", "#ΗλιακήΟμάδα", "#太阳能", "#ہماری_ٹیم", "#Jua2025"]
NEIGHBOURS = ["", " ", "\n", ".", ",", "!", "(", ")", "\u3002", "a", "Z", "7", "_", "#", "é", "太", "ع", "-", "👍", "@"]


def hashtag_vectors() -> dict:
    cases = []
    pairs = [(before, after) for before in NEIGHBOURS for after in (" ", "a", ".")]
    pairs += [(before, after) for before in ("", " ") for after in NEIGHBOURS]
    for tag in TAGS:
        for before, after in dict.fromkeys(pairs):
            text = "Great day " + before + tag + after + " at work" if before else tag + after + " at work"
            if before == "":
                found = not (after and is_word(after))
            else:
                found = not is_word(before) and before != "#" and not (after and is_word(after))
            cases.append({"text": text, "tag": tag, "found": found})
    hand = [
        ("Proud to work here #juateam", "#JuaTeam", True, "any case"),
        ("PROUD #JUATEAM", "#JuaTeam", True, "upper case"),
        ("#JuaTeams are great", "#JuaTeam", False, "a longer tag is another tag"),
        ("##JuaTeam", "#JuaTeam", False, "a hash before the tag"),
        ("email me at x#JuaTeam", "#JuaTeam", False, "a letter before the tag"),
        ("#JuaTeam_", "#JuaTeam", False, "an underscore after the tag"),
        ("#JuaTeam.", "#JuaTeam", True, "a full stop after the tag"),
        ("Ηλιακή #ηλιακήομάδα", "#ΗλιακήΟμάδα", True, "Greek in another case"),
        ("#ΟΜΆΔΑ", "#ομάδα", True, "Greek capitals with an accent"),
        ("#ομάδας", "#ομάδα", False, "a final sigma is a letter"),
        ("#ΣΟΦΊΑ", "#σοφία", True, "capital sigma matches small sigma"),
        ("#σοφιας", "#ΣΟΦΙΑΣ", True, "final sigma matches capital sigma"),
        ("太阳能#太阳能", "#太阳能", False, "a Chinese character before the tag is a letter"),
        ("太阳能 #太阳能。", "#太阳能", True, "Chinese full stop after the tag"),
        ("ہماری ٹیم #ہماری_ٹیم", "#ہماری_ٹیم", True, "Urdu"),
        ("#Jua2025", "#Jua202", False, "a digit after the tag"),
        ("", "#JuaTeam", False, "empty text"),
        ("#JuaTeam\u200d", "#JuaTeam", True, "a zero-width joiner is no letter"),
        ("#Ad\u0301", "#Ad", True, "a combining accent after the tag is not a letter by category (Mn)"),
    ]
    for text, tag, found, why in hand:
        cases.append({"text": text, "tag": tag, "found": found, "why": why})
    messages = []
    for text, appended, expected, why in [
        ("Proud of the team", True, "Proud of the team\n\n#JuaTeam", "the disclosure is added"),
        ("  Proud of the team \n", True, "Proud of the team\n\n#JuaTeam", "spaces around the text go"),
        ("Proud #juateam", True, "Proud #juateam", "already there, in another case"),
        ("", True, "#JuaTeam", "an empty text becomes the disclosure"),
        ("   ", True, "#JuaTeam", "only spaces"),
        ("Proud of the team", False, "Proud of the team", "the playbook does not add it"),
        ("Proud #JuaTeams", True, "Proud #JuaTeams\n\n#JuaTeam", "a longer tag is not the disclosure"),
        ("\u00a0Proud\u00a0", True, "Proud\n\n#JuaTeam", "no-break spaces are spaces"),
        ("\tProud\n\n", True, "Proud\n\n#JuaTeam", "tabs and blank lines"),
    ]:
        messages.append({"text": text, "disclosure": "#JuaTeam", "appended": appended, "message": expected, "why": why})
    return {
        "about": "Text + hashtag -> whether the text holds it; text + disclosure -> the message shared "
                 "(generator/posts.py, assets/lib/posts.js).",
        "has_hashtag": cases, "shared_message": messages,
    }


# --- CSV and iCalendar ---------------------------------------------------------------------------

FIELD_TEXTS = [
    "Plain", "Comma, inside", 'A "quoted" word', "Line\nbreak", "Carriage\rreturn", "CRLF\r\nin it", "",
    " leading and trailing ", "Semicolon; here", "Tab\there", "太阳能", "ہر گھر", "Ηλιακή", "👍🏽 emoji",
    '"', ",", "'single'", "back\\slash", "https://jua.example.com/lessons/x/?a=1,2",
]


def csv_line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def fold_by_bytes(line: str) -> str:
    """RFC 5545 section 3.1: at most 75 octets a line; a continuation line starts with a space.
    Worked on the UTF-8 bytes: cut at 75 (then 74 after the space), moved back while the cut
    would fall inside a character."""
    data = line.encode("utf-8")
    out, room = [], 75
    while len(data) > room:
        cut = room
        while cut > 0 and (data[cut] & 0xC0) == 0x80:
            cut -= 1
        out.append(data[:cut])
        data, room = data[cut:], 74
    out.append(data)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def export_vectors(rng: random.Random) -> dict:
    from icalendar.parser import Contentlines  # the reference for unfolding
    from icalendar.prop import vText  # and for TEXT escaping

    rows = []
    for index in range(120):
        due = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(-400, 800))
        kind = rng.choice(["lesson", "refresher"])
        row = {
            "due": due.isoformat(), "kind": kind, "day": str(rng.randint(0, 60)) if kind == "lesson" else "",
            "lesson_id": rng.choice(["who-does-what", "tone-basics", "x"]), "title": rng.choice(FIELD_TEXTS),
            "minutes": rng.choice([5, 10, 45]), "required": rng.random() < 0.7,
            "path_id": "foundations", "path_title": rng.choice(FIELD_TEXTS),
            "url": rng.choice(["", "https://jua.example.com/lessons/x/", "https://jua.example.com/a,b/"]),
        }
        if index < len(FIELD_TEXTS):
            row["title"] = FIELD_TEXTS[index]
        values = [row["due"], row["kind"], row["day"], row["lesson_id"], row["title"], row["minutes"],
                  "yes" if row["required"] else "no", row["path_id"], row["path_title"], row["url"]]
        rows.append({"row": row, "line": csv_line(values)})
    header = ["due_date", "kind", "day", "lesson_id", "lesson_title", "minutes", "required", "path_id",
              "path_title", "url"]
    texts = []
    for value in [*FIELD_TEXTS, "a\\b;c,d\ne", "\\n is not a line break", "\r\n\r\n", "trailing\\"]:
        expected = vText(value).to_ical().decode("utf-8")
        texts.append({"value": value, "escaped": expected})
    texts.append({"value": "\\N", "escaped": "\\\\N",
                  "why": "a backslash before N is a backslash (the icalendar library reads \\N as a line break)"})
    folds = []
    samples = ["SUMMARY:" + "x" * n for n in (66, 67, 68, 140, 141, 142, 143, 220)]
    samples += ["DESCRIPTION:" + ch * n for ch in ("é", "太", "👍", "ہ") for n in (20, 21, 22, 30, 31, 32, 63, 64)]
    samples += ["DESCRIPTION:" + "a" * k + "太" * 30 for k in range(0, 4)]
    samples += ["DESCRIPTION:" + "a" * k + "👍" * 20 for k in range(0, 5)]
    samples += ["SUMMARY:" + "".join(rng.choice("ab c,太é👍ہ\\;") for _ in range(rng.randint(60, 200)))
                for _ in range(40)]
    samples += ["", "X:" + "y" * 73, "X:" + "y" * 74]
    for line in samples:
        folded = fold_by_bytes(line)
        physical = folded.split("\r\n")
        assert all(len(p.encode("utf-8")) <= 75 for p in physical), line
        assert all(p.startswith(" ") for p in physical[1:]), line
        assert Contentlines.from_ical(folded + "\r\n")[0] == line, line
        folds.append({"line": line, "folded": folded})
    return {
        "about": "CSV records as Python's csv module writes them, iCalendar TEXT escaping (the icalendar "
                 "library's rules) and line folding (RFC 5545: 75 octets, never inside a character) - "
                 "generator/export.py, assets/lib/export.js.",
        "csv_header": {"values": header, "line": csv_line(header)},
        "csv_rows": rows, "ics_text": texts, "fold": folds,
    }


def build() -> dict[str, dict]:
    """Every vectors file's data, by file name (the same every run: the cases are drawn from a
    seeded generator)."""
    sys.path.insert(0, str(REPO))
    from generator import posts

    rng = random.Random(18)
    return {
        "schedule.json": schedule_vectors(rng),
        "count.json": {**count_vectors(rng), "rules": posts.browser_rules()},
        "hashtags.json": hashtag_vectors(),
        "export.json": export_vectors(rng),
    }


def main() -> None:
    for name, data in build().items():
        path = HERE / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
        counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
        print(f"wrote {path.relative_to(REPO)}: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
