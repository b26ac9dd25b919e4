"""HR's roster: who works here, in which role, since when. Personal data: never under content/.

A CSV file with a header row. Required columns: ``email``, ``name``, ``role``, ``start_date``;
optional: ``language``, ``manager`` (the manager's e-mail) and ``account`` (the name the company's
single sign-on gives the learning records, when it is not the e-mail). Every row is checked like
content is: an unknown role, a date that is not YYYY-MM-DD, a duplicate e-mail and the rest are
reported as ``file:line:col`` together, in one run.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from generator.errors import Problems
from generator.load import closest
from generator.model import Portal

REQUIRED = ("email", "name", "role", "start_date")
OPTIONAL = ("language", "manager", "account")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclasses.dataclass(frozen=True)
class Person:
    email: str
    """Lower-cased: the key that statements are matched by."""
    name: str
    role: str
    start: dt.date
    language: str
    manager: str
    account: str
    line: int


def _columns(raw: str, fields: list[str]) -> list[int]:
    """The column (1-based) where each field of one CSV line starts, for messages."""
    columns, offset = [], 0
    for field in fields:
        found = raw.find(field, offset)
        if found < 0:
            found = offset
        columns.append(found + 1)
        offset = found + len(field)
    return columns


def load_roster(path: Path, portal: Portal, shown: str) -> tuple[list[Person], Problems]:
    """Every person of the roster, and every problem found in it (nothing is dropped silently)."""
    problems = Problems()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        problems.add(shown, 0, 0, f"cannot read the roster: {error.strerror}")
        return [], problems
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        problems.add(shown, line, 1, "not UTF-8 text", hint="save the roster as CSV UTF-8")
        return [], problems
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        problems.add(shown, 1, 1, "the roster is empty; the first line names the columns: " + ",".join(REQUIRED))
        return [], problems
    header = [name.strip().lower() for name in next(csv.reader([lines[0]]))]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    for name in unknown:
        guess = closest(name, REQUIRED + OPTIONAL)
        column = _columns(lines[0], [name])[0]
        problems.add(shown, 1, column, f"unknown column `{name}`" + (f"; did you mean `{guess}`?" if guess else ""),
                     hint="columns: " + ", ".join(REQUIRED + OPTIONAL))
    if missing:
        problems.add(shown, 1, 1, "missing column(s): " + ", ".join(missing),
                     hint="the first line names the columns: " + ",".join(REQUIRED))
        return [], problems
    languages = {language.code for language in portal.config.languages} or {portal.config.default_language}
    people: list[Person] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        fields = next(csv.reader(io.StringIO(raw)))
        columns = _columns(raw, fields)
        if len(fields) != len(header):
            problems.add(shown, number, 1, f"{len(fields)} values where the header names {len(header)} columns")
            continue
        row = dict(zip(header, (field.strip() for field in fields), strict=True))
        where = {name: columns[index] for index, name in enumerate(header)}
        bad = False

        def report(column: str, message: str, hint: str | None = None, line: int = number,
                   where: dict[str, int] = where) -> None:
            nonlocal bad
            bad = True
            problems.add(shown, line, where[column], message, hint=hint)

        email = row["email"].lower()
        if not _EMAIL.match(email):
            report("email", f"`{row['email']}` is not an e-mail address")
        elif email in seen:
            report("email", f"`{row['email']}` is listed twice; first on line {seen[email]}")
        else:
            seen[email] = number
        if not row["name"]:
            report("name", "the name is empty")
        if row["role"] not in portal.roles:
            guess = closest(row["role"], portal.roles)
            report("role", f"unknown role `{row['role']}`" + (f"; did you mean `{guess}`?" if guess else ""),
                   hint=None if guess else "roles: " + ", ".join(sorted(portal.roles)))
        start = None
        try:
            start = dt.date.fromisoformat(row["start_date"])
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["start_date"]):
                raise ValueError
        except ValueError:
            report("start_date", f"`{row['start_date']}` is not a date written YYYY-MM-DD")
        language = row.get("language") or portal.config.default_language
        if language not in languages:
            report("language", f"unknown language `{language}`", hint="languages: " + ", ".join(sorted(languages)))
        manager = (row.get("manager") or "").lower()
        if manager and not _EMAIL.match(manager):
            report("manager", f"`{row['manager']}` is not an e-mail address (the manager's work e-mail)")
        if bad or start is None:
            continue
        people.append(Person(email, row["name"], row["role"], start, language, manager,
                             (row.get("account") or "").strip(), number))
    return people, problems
