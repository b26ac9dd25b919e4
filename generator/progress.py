"""``portal progress``: who learned what, from the learning records, for HR.

Statements are folded into a small record per learner as they stream past (the latest completion
of each lesson with its fingerprint, the best check score, acknowledgements, shares); nothing else
of them is kept. Each person of the roster then gets the lessons their role assigns, with real
due dates from their start date (the same schedule as ``portal plan``), and a status per lesson:

- ``done``: completed, in the version the site shows now (same content fingerprint);
- ``redo``: completed, but the lesson changed since: it must be reviewed;
- ``overdue``: not done and its due date has passed;
- ``due``: not done, due today or later.

Personal data: the report is written where HR asks, never into the site or content/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from generator.model import Portal
from generator.roster import Person
from generator.schedule import DayRules, entry_date, role_entries
from generator.xapi import VERBS, base_iri, fingerprint_extension, network_extension, version_extension

STATUSES = ("done", "redo", "overdue", "due")
REFRESHER_NOTICE_DAYS = 30
"""A refresher is listed from this many days before it is due."""


@dataclasses.dataclass
class Learner:
    """What the statements say about one learner, folded as they stream."""

    completed: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    """lesson -> (timestamp, fingerprint) of the latest completion."""
    completions: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """lesson -> every completion's timestamp (for refreshers), only for lessons with a refresher."""
    scores: dict[str, float] = dataclasses.field(default_factory=dict)
    """lesson -> best scaled score of its knowledge check."""
    acknowledged: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    """'lessons/<id>' or 'playbooks/<id>' -> (timestamp, version) of the latest acknowledgement."""
    paths: dict[str, str] = dataclasses.field(default_factory=dict)
    """path -> timestamp of its first completion."""
    shares: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    """(timestamp, post, network) of every share."""
    seen: str = ""
    """The latest timestamp of any statement."""


class Records:
    """Every learner's folded record, keyed by e-mail (or SSO account name), lower-cased."""

    def __init__(self, portal: Portal) -> None:
        site_url = portal.config.site_url or ""
        self.prefix = base_iri(site_url) + "xapi/activities/" if site_url else None
        self.fingerprint = fingerprint_extension(site_url)
        self.version = version_extension(site_url)
        self.network = network_extension(site_url)
        self.verbs = {iri: name for name, iri in VERBS.items()}
        self.with_refresher = {
            lesson for path in portal.paths.values() if path.data.refresher for lesson in path.data.refresher.lessons
        }
        self.learners: dict[str, Learner] = {}
        self._by_mbox: dict[str, Learner] = {}
        """The same learners by the mbox exactly as written, so most statements cost one lookup."""
        self.counted = 0
        self.ignored = 0

    def add(self, statement: dict[str, Any]) -> None:
        """Fold one statement in; statements about other sites or with other verbs are counted as ignored.

        This runs once per statement of a large export, so it does as little as it can.
        """
        self.counted += 1
        verb = self.verbs.get(statement["verb"].get("id"))
        object_id = statement["object"].get("id")
        prefix = self.prefix
        if verb is None or prefix is None or type(object_id) is not str or not object_id.startswith(prefix):
            self.ignored += 1
            return
        actor = statement["actor"]
        mbox = actor.get("mbox")
        learner = self._by_mbox.get(mbox) if type(mbox) is str else None
        if learner is None:
            key = learner_key(actor)
            if key is None:
                self.ignored += 1
                return
            learner = self.learners.get(key)
            if learner is None:
                learner = self.learners[key] = Learner()
            if type(mbox) is str:
                self._by_mbox[mbox] = learner
        stamp = statement.get("timestamp") or statement.get("stored") or ""
        if stamp > learner.seen:
            learner.seen = stamp
        if verb == "experienced" or verb == "answered":
            return  # only "seen": the learner has started
        kind, _, rest = object_id[len(prefix):].partition("/")
        item, _, part = rest.partition("/")
        context = statement.get("context")
        extensions = context.get("extensions") or {} if type(context) is dict else {}
        if verb == "completed" and kind == "lessons" and not part:
            known = learner.completed.get(item)
            if known is None or stamp >= known[0]:
                learner.completed[item] = (stamp, str(extensions.get(self.fingerprint, "")))
            if item in self.with_refresher:
                learner.completions.setdefault(item, []).append(stamp)
        elif (verb == "passed" or verb == "failed") and kind == "lessons" and part == "check":
            scaled = ((statement.get("result") or {}).get("score") or {}).get("scaled")
            if isinstance(scaled, int | float) and scaled > learner.scores.get(item, -1.0):
                learner.scores[item] = float(scaled)
        elif verb == "agreed" and (kind == "lessons" or kind == "playbooks"):
            target = f"{kind}/{item}"
            known = learner.acknowledged.get(target)
            if known is None or stamp >= known[0]:
                learner.acknowledged[target] = (stamp, str(extensions.get(self.version, "")))
        elif verb == "completed" and kind == "paths":
            if item not in learner.paths or stamp < learner.paths[item]:
                learner.paths[item] = stamp
        elif verb == "shared" and kind == "posts":
            learner.shares.append((stamp, item, str(extensions.get(self.network, ""))))


def learner_key(actor: dict[str, Any]) -> str | None:
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        return mbox[7:].strip().lower()
    account = actor.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        return account["name"].strip().lower()
    return None


@dataclasses.dataclass(frozen=True)
class LessonRow:
    lesson: str
    title: str
    path: str
    due: dt.date
    required: bool
    status: str
    completed: str
    """The day of the latest completion that counts, YYYY-MM-DD, or ''."""
    score: float | None
    refresher: bool = False


@dataclasses.dataclass(frozen=True)
class Acknowledgement:
    item: str
    """'lessons/<id>' or 'playbooks/<id>'."""
    title: str
    version: str
    status: str
    """acknowledged, outdated (an earlier version was) or missing."""
    date: str


@dataclasses.dataclass(frozen=True)
class PersonReport:
    person: Person
    role_title: str
    lessons: list[LessonRow]
    acknowledgements: list[Acknowledgement]
    started: bool
    """Any statement at all was recorded for this person."""
    last_seen: str

    def count(self, status: str) -> int:
        return sum(1 for row in self.lessons if row.required and row.status == status)

    @property
    def required(self) -> int:
        return sum(1 for row in self.lessons if row.required)


def _day(stamp: str) -> str:
    return stamp[:10]


def person_report(portal: Portal, records: Records, person: Person, today: dt.date,
                  rules: DayRules, entries: list[Any] | None = None,
                  dates: dict[tuple[dt.date, Any], dt.date] | None = None) -> PersonReport:
    """One person's lessons and acknowledgements; ``dates`` caches due dates across people."""
    dates = {} if dates is None else dates
    role = portal.roles[person.role]
    if entries is None:
        entries = role_entries(portal, role)
    learner = records.learners.get(person.email) or (
        records.learners.get(person.account.lower()) if person.account else None) or Learner()
    rows = []
    for entry in entries:
        due = dates.get((person.start, entry))
        if due is None:
            due = dates[(person.start, entry)] = entry_date(entry, person.start, rules)
        lesson = portal.lessons.get(entry.lesson)
        if lesson is None:
            continue
        if entry.kind == "refresher":
            if due - dt.timedelta(days=REFRESHER_NOTICE_DAYS) > today:
                continue  # not due soon: listing a year ahead of time would only bury what is due
            # The refresher counts a completion from when it is listed on, even a late one.
            window = (due - dt.timedelta(days=REFRESHER_NOTICE_DAYS)).isoformat()
            stamps = [s for s in learner.completions.get(entry.lesson, []) if _day(s) >= window]
            done = max(stamps) if stamps else ""
            status = "done" if done else "overdue" if due < today else "due"
            rows.append(LessonRow(entry.lesson, lesson.data.title, entry.path, due, True, status, _day(done),
                                  learner.scores.get(entry.lesson), refresher=True))
            continue
        completion = learner.completed.get(entry.lesson)
        if completion and completion[1] == lesson.fingerprint:
            status = "done"
        elif completion:
            status = "redo"
        else:
            status = "overdue" if due < today else "due"
        rows.append(LessonRow(entry.lesson, lesson.data.title, entry.path, due, entry.required, status,
                              _day(completion[0]) if completion else "", learner.scores.get(entry.lesson)))
    assigned = {row.lesson for row in rows}
    acks = []
    groups: tuple[tuple[str, dict[str, Any]], ...] = (("playbooks", portal.playbooks), ("lessons", portal.lessons))
    for kind, items in groups:
        for item_id, item in sorted(items.items()):
            wanted = getattr(item.data, "acknowledge", None)
            if wanted is None or (kind == "lessons" and item_id not in assigned):
                continue
            version = wanted.version.isoformat()
            got = learner.acknowledged.get(f"{kind}/{item_id}")
            status = "missing" if got is None else "acknowledged" if got[1] == version else "outdated"
            acks.append(Acknowledgement(f"{kind}/{item_id}", item.data.title, version, status,
                                        _day(got[0]) if got else ""))
    started = bool(learner.seen)
    return PersonReport(person, role.data.title, rows, acks, started, _day(learner.seen))


def build_report(portal: Portal, records: Records, people: Iterable[Person], today: dt.date) -> list[PersonReport]:
    rules = DayRules.from_config(portal.config.schedule)
    by_role: dict[str, list[Any]] = {}
    dates: dict[tuple[dt.date, Any], dt.date] = {}  # thousands of people share a few hundred start dates
    reports = []
    for person in people:
        if person.role not in by_role:
            by_role[person.role] = role_entries(portal, portal.roles[person.role])
        reports.append(person_report(portal, records, person, today, rules, by_role[person.role], dates))
    return reports


# --- points --------------------------------------------------------------------------------------

_CAP = re.compile(r"(?P<count>\d+|once)\s+(?:per|a|each)\s+(?P<period>day|week|month|quarter|year|path|post)",
                  re.IGNORECASE)


def _period_key(stamp: str, period: str) -> str:
    day = dt.date.fromisoformat(stamp[:10])
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return day.isoformat()[:7]
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


@dataclasses.dataclass(frozen=True)
class LedgerLine:
    date: str
    rule: str
    """The rewards playbook's action id."""
    what: str
    points: int
    note: str = ""


def ledger(portal: Portal, records: Records, person: Person) -> list[LedgerLine]:
    """Points earned from recorded shares and path completions, by the rewards playbook's rules and caps."""
    rewards: Any = next((p for p in portal.playbooks.values() if getattr(p.data, "kind", "") == "rewards"), None)
    if rewards is None:
        return []
    learner = records.learners.get(person.email) or Learner()
    events: list[tuple[str, Any, str, str]] = []  # (timestamp, action, what, cap key within the action)
    for action in rewards.data.actions:
        if action.share:
            for stamp, post, network in learner.shares:
                events.append((stamp, action, f"shared post {post}" + (f" on {network}" if network else ""), post))
        elif action.recorded == "completed-path":
            for path_id, stamp in learner.paths.items():
                title = portal.paths[path_id].data.title if path_id in portal.paths else path_id
                events.append((stamp, action, f"completed path {title}", path_id))
    lines: list[LedgerLine] = []
    used: dict[tuple[str, str], int] = {}
    for stamp, action, what, item in sorted(events, key=lambda event: (event[0], event[1].id, event[3])):
        cap = _CAP.search(action.limit or "")
        note = ""
        if cap:
            count = 1 if cap["count"].lower() == "once" else int(cap["count"])
            period = cap["period"].lower()
            key = (action.id, item if period in ("path", "post") else _period_key(stamp, period))
            used[key] = used.get(key, 0) + 1
            if used[key] > count:
                lines.append(LedgerLine(_day(stamp), action.id, what, 0, f"over the limit: {action.limit}"))
                continue
            note = action.limit or ""
        lines.append(LedgerLine(_day(stamp), action.id, what, action.points, note))
    return lines
