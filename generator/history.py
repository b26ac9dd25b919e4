"""The content's history from git: when each file last changed, and what the latest commits changed.

Both come from commits only (their committer dates and messages), never from
the clock or file times, so building the same commit twice gives the same
pages. Outside a git checkout, or for a file never committed, there is simply
no date; a shallow clone lists the commits it has.
"""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from generator.diff import Change, diff_commit
from generator.model import Portal
from generator.revisions import ContentReader, GitError, git

DEFAULT_COUNT = 10


@dataclasses.dataclass(frozen=True)
class Entry:
    """One commit that changed the policy."""

    commit: str
    date: str
    """The commit date, YYYY-MM-DD."""
    subject: str
    """The first line of the commit message."""
    changes: list[Change]


@dataclasses.dataclass(frozen=True)
class History:
    dates: dict[str, str]
    """Content file (relative to the repository root) -> the date of its last commit, YYYY-MM-DD."""
    entries: list[Entry]
    """The latest commits that changed content/, newest first; those that changed no rule are left out."""


NONE = History({}, [])
_cache: dict[tuple[str, str, int, frozenset[str], str | None], History] = {}


def head_commit(root: Path) -> str | None:
    """The checked-out commit, or None outside a git checkout (or before its first commit)."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").decode().strip() or None
    except GitError:
        return None


def history_of(portal: Portal) -> History:
    """Dates for every item's source file, and the entries of the What changed page."""
    sources = frozenset(
        item.source for group in (portal.roles, portal.paths, portal.lessons, portal.playbooks)
        for item in group.values()
    )
    count = getattr(portal.config, "recent_changes", DEFAULT_COUNT)
    return load_history(portal.root, sources, count, getattr(portal.config, "changes_since", None))


def load_history(root: Path, sources: frozenset[str], count: int, since: str | None = None) -> History:
    head = head_commit(root)
    if head is None:
        return NONE
    key = (str(root), head, count, sources, since)
    if key not in _cache:
        _cache.clear()  # one repository state at a time is all a build or a preview needs
        entries = recent_changes(root, count, since) if count else []
        _cache[key] = History(last_changed(root, sources), entries)
    return _cache[key]


def is_date(since: str) -> bool:
    """``changes_since`` names a day (YYYY-MM-DD) rather than a commit."""
    return len(since) == 10 and since[4] == "-" and since[7] == "-"


def last_changed(root: Path, wanted: frozenset[str] | set[str]) -> dict[str, str]:
    """The date of the last commit that touched each wanted file: one ``git log`` for all of them.

    Reading stops as soon as every wanted file has been seen, so a long history costs only as far
    back as the oldest unchanged file.
    """
    found: dict[str, str] = {}
    if not wanted:
        return found
    try:
        process = subprocess.Popen(
            ["git", "-c", "core.quotepath=off", "log", "--format=%x01%cs", "--name-only", "--no-renames", "-z",
             "--relative", "--", "content"],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
    except OSError:
        return found
    assert process.stdout is not None
    date = ""
    pending = b""
    try:
        while len(found) < len(wanted):
            chunk = process.stdout.read(65536)
            if not chunk:
                break
            *tokens, pending = (pending + chunk).split(b"\x00")
            for token in tokens:
                token = token.lstrip(b"\n")
                if token.startswith(b"\x01"):
                    date = token[1:].decode()
                elif token:
                    path = token.decode("utf-8", "surrogateescape")
                    if path in wanted and path not in found:
                        found[path] = date
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()
    return found


def shallow_commits(root: Path) -> set[str]:
    """The commits at the edge of a shallow clone (their parents were not fetched)."""
    try:
        path = Path(git(root, "rev-parse", "--git-path", "shallow").decode().strip())
    except GitError:
        return set()
    path = path if path.is_absolute() else root / path
    try:
        return set(path.read_text("ascii").split())
    except OSError:
        return set()


def recent_changes(root: Path, count: int, since: str | None = None) -> list[Entry]:
    """What each of the last ``count`` commits that touched content/ changed, in policy terms.

    With ``since``, only commits from that day on (a YYYY-MM-DD date, by commit date) or after that
    commit: a programme that started from another one's content does not show that one's history.
    """
    revisions = ["HEAD"]
    if since and not is_date(since):
        revisions = [f"{since}..HEAD"]
    try:
        log = git(root, "log", f"-n{count}", "--no-merges", "--format=%H%x1f%P%x1f%cs%x1f%s%x1e", *revisions,
                  "--", "content", ":(exclude)content/schemas").decode("utf-8", "replace")
    except GitError:
        return []
    entries = []
    cut = shallow_commits(root)
    with ContentReader(root) as reader:
        for record in log.split("\x1e"):
            fields = record.strip("\n").split("\x1f")
            if len(fields) != 4:
                continue
            commit, parents, date, subject = fields
            if since and is_date(since) and date < since:
                continue  # commit dates are not always in order (rebases), so look at every one
            if commit in cut:
                break  # a shallow clone stops here: its parent is not in this copy to compare with
            parent = parents.split()[0] if parents.split() else None
            try:
                changes = diff_commit(reader, commit, parent)
            except GitError:
                break  # a shallow clone: older commits are not here to compare with
            if changes:
                entries.append(Entry(commit, date, subject, changes))
    return entries
