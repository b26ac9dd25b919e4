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

import contextlib
import dataclasses
import datetime as dt
import errno
import multiprocessing
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.errors import Problems
from generator.memory import collector_paused
from generator.model import Portal
from generator.roster import Person
from generator.schedule import DayRules, Entry, entry_date, role_entries
from generator.statements import BadStatement, count_lines, lines_split, read_file, read_range
from generator.xapi import VERBS, base_iri, fingerprint_extension, network_extension, version_extension

STATUSES = ("done", "redo", "overdue", "due")
REFRESHER_NOTICE_DAYS = 30
"""A refresher is listed from this many days before it is due."""
_NOTICE = dt.timedelta(days=REFRESHER_NOTICE_DAYS)
SEEN = "seen"
"""The verbs that only show a learner has started (a lesson opened, a question answered), folded as one."""
SPLIT_BYTES = 32 << 20
"""From this size on, a statements file is read by two processes when two processors may be used (Records.add_file)."""
TARGETS_KEPT = 50_000
"""At most this many activity ids are kept split (an export about a few hundred items needs a few hundred)."""


def load_for_report(root: Path) -> tuple[Portal | None, Problems]:
    """The content a report reads, with every problem of it located; the portal is None when it cannot be used.

    A report needs the content in its default language: roles, paths, lessons and their fingerprints,
    due-day rules, acknowledgements, the rewards playbook. Those are read and checked as ``portal validate``
    checks them; translations, the site's templates and the links to sections of its rendered pages are not,
    since no report shows them (a mistake there stops ``portal build``, not HR's report).
    """
    from generator.checks import check_portal
    from generator.load import load_content

    with collector_paused():
        portal, problems = load_content(root, translations=False)
        if portal is not None:
            check_portal(portal, problems)  # no rendering: no links to sections, nor the theme, are checked
    return (portal if portal is not None and portal.config is not None else None), problems


@dataclasses.dataclass(slots=True)
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
        self.verbs = {iri: SEEN if name in ("experienced", "answered") else name for name, iri in VERBS.items()}
        """Verb IRI -> our name for it; the verbs that only show a learner has started all become SEEN."""
        self.with_refresher = {
            lesson for path in portal.paths.values() if path.data.refresher for lesson in path.data.refresher.lessons
        }
        self.learners: dict[str, Learner] = {}
        self._by_mbox: dict[str, Learner] = {}
        """The same learners by the mbox exactly as written, so most statements cost one lookup."""
        self._latest: dict[str, str] = {}
        """While :meth:`add_all` runs: the latest timestamp per mbox as written, kept apart from the learners."""
        self._fingerprints: dict[str, str] = {}
        self._targets: dict[str, tuple[str, str, str]] = {}
        """Activity ids of this site met so far -> (kind, item, part), so that each is split once."""
        self.counted = 0
        self.ignored = 0

    def add(self, statement: dict[str, Any]) -> None:
        """Fold one statement in; statements about other sites or with other verbs are counted as ignored."""
        self.counted += 1
        if not self._fold(statement):
            self.ignored += 1

    def add_all(self, stream: Iterable[dict[str, Any] | BadStatement]) -> list[BadStatement]:
        """Fold in every statement of ``stream`` as :meth:`add` does; return the entries that are not statements.

        This runs once per statement of a large export, and what it costs beyond decoding is what the
        report costs. So the usual statement (an mbox already met, a timestamp, a verb and an activity id)
        takes a short path: a few lookups, and for a lesson opened or a question answered (most of them)
        only its mbox's latest time. Anything else takes :meth:`add`'s path, under the same rules.
        """
        bad: list[BadStatement] = []
        verbs, latest, by_mbox = self.verbs.get, self._latest, self._by_mbox
        prefix = self.prefix or "\0"  # without a site_url no learner is ever met, so no statement gets past `last`
        entries = ignored = 0
        statement: Any
        with collector_paused():  # the records grow for the whole stream and hold no cycles
            try:
                for entries, statement in enumerate(stream, start=1):  # noqa: B007 (the count is read after)
                    try:
                        verb = verbs(statement["verb"]["id"])
                        object_id = statement["object"]["id"]
                        mbox = statement["actor"]["mbox"]
                        last = latest[mbox]
                        stamp = statement["timestamp"] or statement.get("stored") or ""
                        ours = object_id.startswith(prefix)
                    except (KeyError, TypeError, AttributeError):
                        if isinstance(statement, BadStatement):
                            bad.append(statement)
                        elif not self._fold(statement, track=True):
                            ignored += 1
                        continue
                    if verb is None or not ours:
                        ignored += 1
                        continue
                    if stamp > last:
                        latest[mbox] = stamp
                    if verb is not SEEN:
                        self._event(by_mbox[mbox], verb, object_id, stamp, statement)
            finally:
                for mbox, stamp in latest.items():
                    learner = by_mbox[mbox]
                    if stamp > learner.seen:
                        learner.seen = stamp
                latest.clear()
        self.counted += entries - len(bad)
        self.ignored += ignored
        return bad

    def add_file(self, path: Path, processes: int | None = None,
                 min_bytes: int = SPLIT_BYTES) -> list[BadStatement]:
        """Fold in every statement of a statements file, as ``add_all(read_file(path))`` does, with the same result.

        A JSON-lines file of at least ``min_bytes`` is cut in two at a line boundary when this process may run
        on two processors (or ``processes`` is 2; whether other work keeps one busy it cannot tell): a forked
        worker decodes and folds the second half into records of its own while this process does the first,
        then they are merged (:meth:`_merge`). The records come out as folding the whole file in order would
        make them, and malformed lines keep their line numbers in the file.
        """
        if processes is None:
            processes = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        if "fork" not in multiprocessing.get_all_start_methods():
            processes = 1
        split = lines_split(path) if processes > 1 else None
        if split is None or split[2] - split[0] < min_bytes:
            return self.add_all(read_file(path))
        start, cut, size = split
        context = multiprocessing.get_context("fork")  # the worker needs this portal, not a pickled copy
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(target=_fold_range, args=(self, path, cut, size, sender), daemon=True)
        worker.start()
        sender.close()
        try:
            bad = self.add_all(read_range(path, start, cut))
            try:
                outcome = receiver.recv()
            except EOFError:
                outcome = OSError(errno.EIO, "the process reading the second half of the file stopped")
        except BaseException:
            worker.terminate()  # this process is failing (or interrupted): the worker's half is not wanted
            raise
        finally:
            receiver.close()
            worker.join()
        if isinstance(outcome, BaseException):
            raise outcome
        learners, counted, ignored, later_bad = outcome
        if later_bad:
            before = count_lines(path, cut)
            for item in later_bad:
                item.line += before
        self._merge(learners)
        self.counted += counted
        self.ignored += ignored
        return bad + later_bad

    def _merge(self, later: dict[str, Learner]) -> None:
        """Add the records folded from statements that come after all of this one's in the file.

        Each rule gives what folding both in order gives: the latest completion or acknowledgement is the later
        file's when its time is the same or later (ties go to the statement read last), the first path
        completion the earliest, the best score the highest, lists of completions and shares run in file order.
        """
        for key, other in later.items():
            learner = self.learners.get(key)
            if learner is None:
                self.learners[key] = other
                continue
            if other.seen > learner.seen:
                learner.seen = other.seen
            for item, entry in other.completed.items():
                known = learner.completed.get(item)
                if known is None or entry[0] >= known[0]:
                    learner.completed[item] = entry
            for item, stamps in other.completions.items():
                learner.completions.setdefault(item, []).extend(stamps)
            for item, score in other.scores.items():
                if score > learner.scores.get(item, -1.0):
                    learner.scores[item] = score
            for item, entry in other.acknowledged.items():
                known = learner.acknowledged.get(item)
                if known is None or entry[0] >= known[0]:
                    learner.acknowledged[item] = entry
            for item, stamp in other.paths.items():
                if item not in learner.paths or stamp < learner.paths[item]:
                    learner.paths[item] = stamp
            learner.shares.extend(other.shares)

    def _fold(self, statement: dict[str, Any], track: bool = False) -> bool:
        """Fold one statement in, whatever its shape; False when it is not about this site's activities.

        With ``track``, a learner's mbox met here joins the short path of :meth:`add_all`.
        """
        verb = self.verbs.get(statement["verb"].get("id"))
        object_id = statement["object"].get("id")
        prefix = self.prefix
        if verb is None or prefix is None or type(object_id) is not str or not object_id.startswith(prefix):
            return False
        actor = statement["actor"]
        mbox = actor.get("mbox")
        learner = self._by_mbox.get(mbox) if type(mbox) is str else None
        if learner is None:
            key = learner_key(actor)
            if key is None:
                return False
            learner = self.learners.get(key)
            if learner is None:
                learner = self.learners[key] = Learner()
            if type(mbox) is str:
                self._by_mbox[mbox] = learner
        if track and type(mbox) is str:
            self._latest.setdefault(mbox, "")
        stamp = statement.get("timestamp") or statement.get("stored") or ""
        if stamp > learner.seen:
            learner.seen = stamp
        if verb is not SEEN:
            self._event(learner, verb, object_id, stamp, statement)
        return True

    def _event(self, learner: Learner, verb: str, object_id: str, stamp: str, statement: dict[str, Any]) -> None:
        """What a statement other than "seen" adds to its learner's record."""
        target = self._targets.get(object_id)
        if target is None:
            kind, _, rest = object_id[len(self.prefix or ""):].partition("/")
            item, _, part = rest.partition("/")
            target = (kind, item, part)
            if len(self._targets) < TARGETS_KEPT:
                self._targets[object_id] = target
        kind, item, part = target
        if verb == "completed":
            if kind == "lessons" and not part:
                known = learner.completed.get(item)
                if known is None or stamp >= known[0]:
                    fingerprint = str(_extensions(statement).get(self.fingerprint, ""))
                    # One string per version of a lesson, not one per completion: a large export holds
                    # hundreds of thousands of completions of a few dozen versions.
                    learner.completed[item] = (stamp, self._fingerprints.setdefault(fingerprint, fingerprint))
                if item in self.with_refresher:
                    learner.completions.setdefault(item, []).append(stamp)
            elif kind == "paths" and (item not in learner.paths or stamp < learner.paths[item]):
                learner.paths[item] = stamp
        elif verb == "passed" or verb == "failed":
            if kind == "lessons" and part == "check":
                scaled = ((statement.get("result") or {}).get("score") or {}).get("scaled")
                if isinstance(scaled, (int, float)) and scaled > learner.scores.get(item, -1.0):
                    learner.scores[item] = float(scaled)
        elif verb == "agreed":
            if kind == "lessons" or kind == "playbooks":
                key = f"{kind}/{item}"
                known = learner.acknowledged.get(key)
                if known is None or stamp >= known[0]:
                    learner.acknowledged[key] = (stamp, str(_extensions(statement).get(self.version, "")))
        elif verb == "shared" and kind == "posts":
            learner.shares.append((stamp, item, str(_extensions(statement).get(self.network, ""))))


def _fold_range(records: Records, path: Path, start: int, end: int, sender: Any) -> None:
    """In a forked worker: fold the lines between ``start`` and ``end`` into fresh records and send them back."""
    try:
        mine = Records.__new__(Records)
        mine.__dict__.update(records.__dict__)
        mine.learners, mine._by_mbox, mine._latest, mine._targets, mine._fingerprints = {}, {}, {}, {}, {}
        mine.counted = mine.ignored = 0
        bad = mine.add_all(read_range(path, start, end))
        outcome: Any = (mine.learners, mine.counted, mine.ignored, bad)
    except BaseException as error:  # whatever stops the worker stops the report, in the parent
        outcome = error
    with contextlib.suppress(OSError):  # the parent stopped reading: it is failing already, with its own message
        sender.send(outcome)
    sender.close()


def _extensions(statement: dict[str, Any]) -> dict[str, Any]:
    context = statement.get("context")
    return context.get("extensions") or {} if type(context) is dict else {}


def learner_key(actor: dict[str, Any]) -> str | None:
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        return mbox[7:].strip().lower()
    account = actor.get("account")
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        return account["name"].strip().lower()
    return None


@dataclasses.dataclass(slots=True)
class LessonRow:
    """One lesson of one person's report. Not frozen: a large report makes tens of thousands, and a
    frozen dataclass takes seven times as long to make."""

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


class _Plans:
    """What the reports of many people share, worked out once.

    Each role's schedule with its lessons, the due dates of each role for each start date
    (thousands of people share a few hundred start dates) and the items that ask for an
    acknowledgement, in the order a report lists them.
    """

    def __init__(self, portal: Portal, rules: DayRules) -> None:
        self.portal, self.rules = portal, rules
        self._steps: dict[str, list[tuple[Entry, Any]]] = {}
        self._dues: dict[tuple[str, dt.date], list[dt.date]] = {}
        self._dates: dict[tuple[dt.date, str, int], dt.date] = {}
        groups: tuple[tuple[str, dict[str, Any]], ...] = (("playbooks", portal.playbooks), ("lessons", portal.lessons))
        self.acknowledgeable = [
            (kind, item_id, item.data.title, wanted.version.isoformat())
            for kind, items in groups for item_id, item in sorted(items.items())
            if (wanted := getattr(item.data, "acknowledge", None)) is not None
        ]
        """(kind, id, title, version) of every playbook and lesson that asks for an acknowledgement."""

    def steps(self, role_id: str) -> list[tuple[Entry, Any]]:
        """The role's schedule, each entry with its lesson (entries whose lesson is missing are left out)."""
        found = self._steps.get(role_id)
        if found is None:
            lessons = self.portal.lessons
            found = self._steps[role_id] = [
                (entry, lessons[entry.lesson])
                for entry in role_entries(self.portal, self.portal.roles[role_id]) if entry.lesson in lessons
            ]
        return found

    def dues(self, role_id: str, start: dt.date) -> list[dt.date]:
        """The due date of each of :meth:`steps` for someone who starts on ``start``."""
        found = self._dues.get((role_id, start))
        if found is None:
            found = self._dues[(role_id, start)] = [self._date(entry, start) for entry, _ in self.steps(role_id)]
        return found

    def _date(self, entry: Entry, start: dt.date) -> dt.date:
        key = (start, entry.kind, entry.months if entry.kind == "refresher" else entry.due_day)
        day = self._dates.get(key)
        if day is None:
            day = self._dates[key] = entry_date(entry, start, self.rules)
        return day


def person_report(portal: Portal, records: Records, person: Person, today: dt.date, rules: DayRules,
                  plans: _Plans | None = None) -> PersonReport:
    """One person's lessons and acknowledgements; ``plans`` shares what people have in common across calls."""
    if plans is None:
        plans = _Plans(portal, rules)
    learner = records.learners.get(person.email) or (
        records.learners.get(person.account.lower()) if person.account else None) or Learner()
    completed, completions, scores = learner.completed, learner.completions, learner.scores
    rows = []
    for (entry, lesson), due in zip(plans.steps(person.role), plans.dues(person.role, person.start), strict=True):
        lesson_id = entry.lesson
        if entry.kind == "refresher":
            listed = due - _NOTICE
            if listed > today:
                continue  # not due soon: listing a year ahead of time would only bury what is due
            # The refresher counts a completion from when it is listed on, even a late one.
            window = listed.isoformat()
            stamps = [s for s in completions.get(lesson_id, []) if _day(s) >= window]
            done = max(stamps) if stamps else ""
            status = "done" if done else "overdue" if due < today else "due"
            rows.append(LessonRow(lesson_id, lesson.data.title, entry.path, due, True, status, _day(done),
                                  scores.get(lesson_id), refresher=True))
            continue
        completion = completed.get(lesson_id)
        if completion and completion[1] == lesson.fingerprint:
            status = "done"
        elif completion:
            status = "redo"
        else:
            status = "overdue" if due < today else "due"
        rows.append(LessonRow(lesson_id, lesson.data.title, entry.path, due, entry.required, status,
                              _day(completion[0]) if completion else "", scores.get(lesson_id)))
    assigned = {row.lesson for row in rows}
    acks = []
    for kind, item_id, title, version in plans.acknowledgeable:
        if kind == "lessons" and item_id not in assigned:
            continue
        got = learner.acknowledged.get(f"{kind}/{item_id}")
        status = "missing" if got is None else "acknowledged" if got[1] == version else "outdated"
        acks.append(Acknowledgement(f"{kind}/{item_id}", title, version, status, _day(got[0]) if got else ""))
    started = bool(learner.seen)
    return PersonReport(person, portal.roles[person.role].data.title, rows, acks, started, _day(learner.seen))


def build_report(portal: Portal, records: Records, people: Iterable[Person], today: dt.date) -> list[PersonReport]:
    plans = _Plans(portal, DayRules.from_config(portal.config.schedule))
    with collector_paused():  # tens of thousands of rows, no cycles
        return [person_report(portal, records, person, today, plans.rules, plans) for person in people]


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
