"""The content of ``content/`` at a git revision (or in the working tree), read by the project's loader.

A revision's files are read from git's object store (``git ls-tree`` for the
list, one ``git cat-file --batch`` for the blobs), written into a private
folder and loaded one file at a time with :func:`generator.load.load_item`,
the function the validator uses. A snapshot loads a file only when asked
for it, so a comparison loads only the files that differ (and the few items
it names by title); loaded files are remembered by path and blob id, so
walking many commits in a row (the "What changed" page) reads each version
of a file at most once.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator import schema
from generator.errors import Problems
from generator.kinds.registry import PLAYBOOK_KINDS
from generator.load import SUFFIXES, check_shape, load_item, read_yaml
from generator.model import Item
from generator.scratch import ScratchDir

CONTENT = "content"
PORTAL = "content/portal.yml"
IGNORED = ("content/schemas/",)
"""Generated files under content/ that say nothing about the policy."""
CUSTOM_TEMPLATES = "overrides/portal/playbooks"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: the 'before' of a repository's first commit."""

TRANSLATION = re.compile(r"(?P<base>[^./]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?P<suffix>\.[a-z]+)\Z")
"""``<id>.<lang>.<ext>``: a translation of the item ``<id>`` (ids never hold a dot)."""


class GitError(Exception):
    """git refused: not a repository, an unknown revision, or git is missing."""


class Snapshot:
    """Everything in ``content/`` at one revision. Files are loaded when first asked for, so that
    comparing two revisions loads only what differs (and the few items it names)."""

    def __init__(
        self, label: str, blobs: dict[str, str], *, kinds: tuple[str, ...] = (), links: Iterable[str] = (),
        reader: ContentReader | None = None, data: dict[str, bytes] | None = None,
    ) -> None:
        self.label = label
        """How the revision is shown: a short commit id, or "" for the working tree."""
        self.blobs = blobs
        """Path -> git blob id of every file under content/ (symbolic links included)."""
        self.kinds = kinds
        """Playbook kinds with a template in overrides/ at this revision."""
        self.links = set(links)
        self._reader, self._data = reader, data
        self.item_paths: dict[tuple[str, str], str] = {}
        """(folder, id) -> path of every item file, e.g. ("lessons", "answering-fast")."""
        self.translations: dict[str, tuple[str, str, str]] = {}
        """Path -> (folder, id of the translated item, language)."""
        self.others: set[str] = set()
        """Content files that are neither the settings, an item nor a translation."""
        for path in sorted(blobs):
            what = classify(path)
            if what is None:
                self.others.add(path)
            elif what[2]:
                self.translations[path] = what
            elif what[0] != "portal":
                self.item_paths[(what[0], what[1])] = path

    @property
    def language(self) -> str:
        config = self.config
        return config.default_language if config else "en"

    @property
    def config(self) -> schema.PortalConfig | None:
        return self.load(PORTAL)[0] if PORTAL in self.blobs else None

    def item(self, kind: str, item_id: str) -> Item[Any] | None:
        """The item, or None when there is no such file or it does not load."""
        path = self.item_paths.get((kind, item_id))
        return self.load(path)[0] if path else None

    def errors(self, path: str) -> int:
        """How many errors the loader found in ``path`` at this revision (0: it loads)."""
        return self.load(path)[1] if path in self.blobs else 0

    def title(self, kind: str, item_id: str) -> str | None:
        item = self.item(kind, item_id)
        return getattr(item.data, "title", None) if item else None

    def raw(self, path: str) -> bytes | None:
        """The bytes of the file at ``path`` in this revision (None for a link or no such file)."""
        if path in self.links or path not in self.blobs:
            return None
        if self._data is not None:
            return self._data.get(path)
        return self._reader.read(self.blobs[path]) if self._reader is not None else None

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read many files' bytes at once before loading them one by one."""
        if self._reader is not None and self._data is None:
            self._reader.prefetch([self.blobs[p] for p in paths if p in self.blobs and p not in self.links])

    def load(self, path: str) -> tuple[Any, int]:
        """(model or item, error count) of one file; (None, n) when it does not load."""
        if path in self.links:
            return None, 1
        if self._reader is None:
            return None, 0
        sha = self.blobs[path]
        data = self._data[path] if self._data is not None else None
        return self._reader.load(path, sha, self.kinds, data)


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
    if path == PORTAL:
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
    """Reads and loads content files for snapshots of one repository; use it as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._scratch = ScratchDir("portal-revisions-")  # removed by the next run if this one is killed
        self._tmp = self._scratch.path
        self._loaded: dict[tuple[str, str, tuple[str, ...]], tuple[Any, int]] = {}
        self._bytes: dict[str, bytes] = {}
        self._kinds: tuple[str, ...] | None = None

    def __enter__(self) -> ContentReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._scratch.close()

    # --- where the files come from -------------------------------------------------------------

    def revision(self, revision: str) -> Snapshot:
        """``content/`` as committed in ``revision`` (a commit id, or :data:`EMPTY_TREE`)."""
        label = "" if revision == EMPTY_TREE else revision[:7]
        listing = git(self.root, "ls-tree", "-r", "-z", revision, "--", CONTENT, CUSTOM_TEMPLATES)
        files: dict[str, str] = {}
        links: list[str] = []
        kinds: list[str] = []
        for entry in listing.split(b"\x00"):
            if not entry:
                continue
            meta, _, raw_path = entry.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if path.startswith(CUSTOM_TEMPLATES + "/"):
                kinds.append(_template_kind(path))
            elif kind == "blob" and not path.startswith(IGNORED):
                files[path] = sha
                if mode == "120000":
                    links.append(path)
        return Snapshot(label, files, kinds=tuple(sorted(k for k in kinds if k)), links=links, reader=self)

    def working_tree(self) -> Snapshot:
        """``content/`` as it is on disk now, committed or not (untracked files included)."""
        files: dict[str, str] = {}
        data: dict[str, bytes] = {}
        links: list[str] = []
        for folder, dirs, names in os.walk(self.root / CONTENT):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                full = Path(folder) / name
                path = full.relative_to(self.root).as_posix()
                if path.startswith(IGNORED):
                    continue
                if full.is_symlink():
                    files[path] = blob_id(os.fsencode(os.readlink(full)))
                    links.append(path)
                    continue
                raw = full.read_bytes()
                files[path], data[path] = blob_id(raw), raw
        templates = self.root / CUSTOM_TEMPLATES
        found = (_template_kind(p.name) for p in templates.glob("*.md.j2")) if templates.is_dir() else ()
        return Snapshot("", files, kinds=tuple(sorted(k for k in found if k)), links=links, reader=self, data=data)

    @staticmethod
    def empty() -> Snapshot:
        """Nothing: what came before a repository's first commit."""
        return Snapshot("", {})

    def prefetch(self, shas: list[str]) -> None:
        """Many blobs in one ``git cat-file --batch``, kept until they are loaded."""
        unique = [s for s in dict.fromkeys(shas) if s not in self._bytes]
        if not unique:
            return
        out = git(self.root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in unique).encode())
        pos = 0
        for sha in unique:
            header_end = out.index(b"\n", pos)
            header = out[pos:header_end].split()
            if len(header) < 3 or header[1] == b"missing":
                raise GitError(f"object {sha} is missing from the repository")
            size = int(header[2])
            start = header_end + 1
            self._bytes[sha] = out[start : start + size]
            pos = start + size + 1

    def read(self, sha: str) -> bytes:
        """One blob's bytes, left in place for a later load."""
        if sha not in self._bytes:
            self.prefetch([sha])
        return self._bytes[sha]

    # --- loading -------------------------------------------------------------------------------

    def load(self, path: str, sha: str, kinds: tuple[str, ...], data: bytes | None = None) -> tuple[Any, int]:
        """One file through the project's loader, once per path, content and playbook kinds."""
        # Whether a playbook of an unusual kind loads depends on the templates beside it.
        key = (path, sha, kinds if path.startswith(f"{CONTENT}/playbooks/") else ())
        if key not in self._loaded:
            if data is None:
                self.prefetch([sha])
                data = self._bytes.pop(sha)
            kind = classify(path)
            self._loaded[key] = self._load(path, data, kind[0] if kind else "", kinds)
        return self._loaded[key]

    def _load(self, path: str, data: bytes, kind: str, kinds: tuple[str, ...]) -> tuple[Any, int]:
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
            elif kind in SUFFIXES:
                loaded = load_item(kind, target, self._tmp, problems)
            else:
                loaded = None
        finally:
            target.unlink()
        return loaded, (0 if loaded is not None else max(len(problems.errors), 1))


def _template_kind(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if not name.endswith(".md.j2") or name.startswith("_"):
        return ""
    kind = name[: -len(".md.j2")]
    return "" if kind in PLAYBOOK_KINDS else kind


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
