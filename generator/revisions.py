"""The content of ``content/`` at a git revision (or in the working tree), read by the project's loader.

A revision's files are read from git's object store (``git ls-tree`` for the
list, one ``git cat-file --batch`` for the blobs), written into a private
folder and loaded one file at a time with :func:`generator.load.load_item`,
the function the validator uses. Loaded files are remembered by path and
blob id, so comparing many revisions in a row (the "What changed" page)
reads each version of a file once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generator import schema
from generator.errors import Problems
from generator.load import SUFFIXES, check_shape, load_item, read_yaml
from generator.model import Item

CONTENT = "content"
IGNORED = ("content/schemas/",)
"""Generated files under content/ that say nothing about the policy."""
CUSTOM_TEMPLATES = "overrides/portal/playbooks"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: the 'before' of a repository's first commit."""

TRANSLATION = re.compile(r"(?P<base>[^./]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?P<suffix>\.[a-z]+)\Z")
"""``<id>.<lang>.<ext>``: a translation of the item ``<id>`` (ids never hold a dot)."""


class GitError(Exception):
    """git refused: not a repository, an unknown revision, or git is missing."""


@dataclasses.dataclass
class Snapshot:
    """Everything in ``content/`` at one revision, loaded and checked file by file."""

    label: str
    """How the revision is shown: a short commit id, or 'the working tree'."""
    config: schema.PortalConfig | None = None
    items: dict[tuple[str, str], Item[Any]] = dataclasses.field(default_factory=dict)
    """(folder, id) -> the item, e.g. ("lessons", "answering-fast")."""
    blobs: dict[str, str] = dataclasses.field(default_factory=dict)
    """Path -> git blob id of every content file (items, translations and others)."""
    translations: dict[str, tuple[str, str, str]] = dataclasses.field(default_factory=dict)
    """Path -> (folder, id of the translated item, language)."""
    others: set[str] = dataclasses.field(default_factory=set)
    """Content files that are neither the settings, an item nor a translation."""
    unreadable: dict[str, int] = dataclasses.field(default_factory=dict)
    """Path -> number of errors, for files the loader refused at this revision."""

    @property
    def language(self) -> str:
        return self.config.default_language if self.config else "en"

    def title(self, kind: str, item_id: str) -> str | None:
        item = self.items.get((kind, item_id))
        return getattr(item.data, "title", None) if item else None


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in ``root``; its output, or :class:`GitError` with git's own message."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror}") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def commit_id(root: Path, revision: str) -> str:
    """The full id of the commit ``revision`` names (a branch, a tag, HEAD~1, an id)."""
    if revision.startswith("-"):
        raise GitError(f"{revision!r} is not a revision")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown revision {revision!r}") from None


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (so that the working tree compares with commits)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


def classify(path: str) -> tuple[str, str, str] | None:
    """What a content path is: ("portal", "", ""), (folder, id, "") for an item,
    (folder, id, language) for a translation, or None for any other file."""
    if path == f"{CONTENT}/portal.yml":
        return ("portal", "", "")
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != CONTENT or parts[1] not in SUFFIXES or parts[2].startswith("."):
        return None
    kind, name = parts[1], parts[2]
    suffix = SUFFIXES[kind]
    if not name.endswith(suffix):
        return None
    match = TRANSLATION.match(name)
    if match and match.group("suffix") == suffix:
        return (kind, match.group("base"), match.group("lang"))
    return (kind, name[: -len(suffix)], "")


class ContentReader:
    """Loads snapshots of one repository's content; use it as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = Path(tempfile.mkdtemp(prefix="portal-revisions-"))
        self._loaded: dict[tuple[str, str, tuple[str, ...]], tuple[Any, int]] = {}
        self._kinds: tuple[str, ...] | None = None

    def __enter__(self) -> ContentReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)

    # --- where the files come from -------------------------------------------------------------

    def revision(self, revision: str) -> Snapshot:
        """``content/`` as committed in ``revision`` (a commit id, or :data:`EMPTY_TREE`)."""
        label = "" if revision == EMPTY_TREE else revision[:7]
        listing = git(self.root, "ls-tree", "-r", "-z", revision, "--", CONTENT, CUSTOM_TEMPLATES)
        files: dict[str, str] = {}
        links: list[str] = []
        templates: list[str] = []
        for entry in listing.split(b"\x00"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if path.startswith(CUSTOM_TEMPLATES + "/"):
                templates.append(path)
            elif kind != "blob" or path.startswith(IGNORED):
                continue
            elif mode == "120000":
                links.append(path)
            else:
                files[path] = sha
        kinds = tuple(sorted(_template_kind(p) for p in templates if _template_kind(p)))
        missing = [sha for path, sha in files.items() if self._key(path, sha, kinds) not in self._loaded]
        blobs = self._cat(missing) if missing else {}
        return self._snapshot(label, files, lambda path: blobs[files[path]], kinds, links)

    def working_tree(self) -> Snapshot:
        """``content/`` as it is on disk now, committed or not (untracked files included)."""
        files: dict[str, str] = {}
        data: dict[str, bytes] = {}
        links: list[str] = []
        content = self.root / CONTENT
        for folder, dirs, names in os.walk(content):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                full = Path(folder) / name
                path = full.relative_to(self.root).as_posix()
                if path.startswith(IGNORED):
                    continue
                if full.is_symlink():
                    links.append(path)
                    continue
                raw = full.read_bytes()
                files[path] = blob_id(raw)
                data[path] = raw
        templates = self.root / CUSTOM_TEMPLATES
        kinds = tuple(sorted(
            k for k in (_template_kind(p.name) for p in templates.glob("*.md.j2")) if k
        )) if templates.is_dir() else ()
        return self._snapshot("", files, data.__getitem__, kinds, links)

    @staticmethod
    def empty() -> Snapshot:
        return Snapshot(label="")

    def _cat(self, shas: list[str]) -> dict[str, bytes]:
        """Many blobs in one ``git cat-file --batch``."""
        unique = list(dict.fromkeys(shas))
        out = git(self.root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in unique).encode())
        blobs: dict[str, bytes] = {}
        pos = 0
        for sha in unique:
            header_end = out.index(b"\n", pos)
            header = out[pos:header_end].split()
            if len(header) < 3 or header[1] == b"missing":
                raise GitError(f"object {sha} is missing from the repository")
            size = int(header[2])
            start = header_end + 1
            blobs[sha] = out[start : start + size]
            pos = start + size + 1
        return blobs

    # --- loading -------------------------------------------------------------------------------

    @staticmethod
    def _key(path: str, sha: str, kinds: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
        # Whether a playbook of an unusual kind loads depends on the templates beside it.
        return (path, sha, kinds if path.startswith(f"{CONTENT}/playbooks/") else ())

    def _snapshot(
        self, label: str, files: dict[str, str], read: Any, kinds: tuple[str, ...], links: list[str]
    ) -> Snapshot:
        snap = Snapshot(label=label, blobs=dict(files))
        for path in links:
            snap.unreadable[path] = 1
        for path, sha in sorted(files.items()):
            what = classify(path)
            if what is None:
                snap.others.add(path)
                continue
            kind, item_id, language = what
            if language:
                snap.translations[path] = (kind, item_id, language)
                continue
            key = self._key(path, sha, kinds)
            if key not in self._loaded:
                self._loaded[key] = self._load(path, read(path), kind, kinds)
            loaded, errors = self._loaded[key]
            if loaded is None:
                snap.unreadable[path] = max(errors, 1)
            elif kind == "portal":
                snap.config = loaded
            else:
                snap.items[(kind, loaded.id)] = loaded
        return snap

    def _load(self, path: str, data: bytes, kind: str, kinds: tuple[str, ...]) -> tuple[Any, int]:
        """One file through the project's loader, in a private copy of the repository layout."""
        if kind == "playbooks" and self._kinds != kinds:
            folder = self._tmp / CUSTOM_TEMPLATES
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for custom in kinds:
                (folder / f"{custom}.md.j2").write_text("", encoding="utf-8")
            self._kinds = kinds
        target = self._tmp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        problems = Problems()
        try:
            if kind == "portal":
                doc = read_yaml(target, self._tmp, problems)
                loaded: Any = check_shape(schema.PortalConfig, doc, path, problems) if doc is not None else None
            else:
                loaded = load_item(kind, target, self._tmp, problems)
        finally:
            target.unlink()
        return loaded, len(problems.errors)


def _template_kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".md.j2") or name.startswith("_"):
        return ""
    kind = name[: -len(".md.j2")]
    return "" if kind in schema.BUILTIN_PLAYBOOKS else kind


def renames(root: Path, base: str, head: str | None) -> dict[str, str]:
    """Files under content/ that git sees as renamed between ``base`` and ``head`` (None: the working tree)."""
    args = ["diff", "-M", "--name-status", "-z", "--relative", "--no-ext-diff", base]
    if head is not None:
        args.append(head)
    out = git(root, *args, "--", CONTENT).split(b"\x00")
    found: dict[str, str] = {}
    index = 0
    while index < len(out) and out[index]:
        status = out[index].decode()
        if status.startswith(("R", "C")):
            old, new = (p.decode("utf-8", "surrogateescape") for p in out[index + 1 : index + 3])
            if status.startswith("R"):
                found[old] = new
            index += 3
        else:
            index += 2
    return found
