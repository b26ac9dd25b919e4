"""Folders in the temporary directory that a killed process does not leave behind.

A process keeps the lock file inside each of its scratch folders locked (``flock``) for as
long as it uses the folder; the kernel releases that lock when the process ends, however it
ends (SIGKILL, a crash, power loss). The next scratch folder of the same kind removes every
folder of that kind whose lock it can take, and never one whose process is still running:
two builds at once keep each other's folders.

A folder gets its final name only once its lock is held (it is made under a hidden name and
renamed), so no other process can find it unlocked while it is being set up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".portal-lock"
UNLOCKED_GRACE_S = 3600
"""A folder without a lock file (made by an older version, or a process killed while setting
it up) is removed once it is this old: it may belong to a running older version until then."""

PENDING_GRACE_S = 60
"""A folder still under its hidden name is left alone for this long: its process is setting it up."""


class ScratchDir:
    """A private folder ``<tmp>/<prefix><random>``, locked while open; ``close()`` removes it."""

    def __init__(self, prefix: str, directory: Path | None = None) -> None:
        parent = Path(directory or tempfile.gettempdir())
        sweep(prefix, parent)
        pending = Path(tempfile.mkdtemp(prefix=f".{prefix}", dir=parent))
        self._lock: int | None = os.open(pending / LOCK_NAME, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.path = parent / pending.name[1:]
        os.rename(pending, self.path)

    def close(self) -> None:
        if self._lock is None:
            return
        try:
            shutil.rmtree(self.path, ignore_errors=True)
        finally:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def scratch_dir(prefix: str, directory: Path | None = None) -> Iterator[Path]:
    """A locked scratch folder for the duration of the ``with`` block; see :class:`ScratchDir`."""
    with ScratchDir(prefix, directory) as path:
        yield path


def sweep(prefix: str, directory: Path | None = None) -> list[Path]:
    """Remove the ``prefix`` folders in ``directory`` that no live process holds; returns them."""
    parent = Path(directory or tempfile.gettempdir())
    removed = []
    for candidate in parent.glob(f"{prefix}*"):
        if _abandoned(candidate):
            removed.append(candidate)
    # One still being set up is locked a moment after it appears: only an old one was left behind.
    for candidate in parent.glob(f".{prefix}*"):
        with contextlib.suppress(OSError):
            if time.time() - candidate.lstat().st_mtime > PENDING_GRACE_S and _abandoned(candidate):
                removed.append(candidate)
    return removed


def _abandoned(folder: Path) -> bool:
    """Remove ``folder`` if its process is gone (holding its lock meanwhile); True if removed."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
        return False
    try:
        lock = os.open(folder / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        if time.time() - info.st_mtime < UNLOCKED_GRACE_S:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    except OSError:
        return False
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a running process uses it
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        os.close(lock)
