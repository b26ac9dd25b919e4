"""Build the site into a staging folder and put it in place only when everything succeeded.

``mkdocs build --strict`` writes the whole site before it fails; building into
a fresh sibling folder and exchanging the two folders in one step means a
failed, interrupted or killed build leaves the previous site as it was.
"""

from __future__ import annotations

import ctypes
import dataclasses
import logging
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import ContentError
from generator.model import Portal
from generator.project import write_project
from generator.validate import validate

log = logging.getLogger("mkdocs.plugins.generator.build")


class BuildFailed(Exception):
    """MkDocs refused the generated project (in strict mode, any warning)."""


@dataclasses.dataclass
class BuildResult:
    portal: Portal
    site_dir: Path
    seconds: float
    pages: int


def languages_of(portal: Portal) -> list[str]:
    """The languages to build, the default first (it is built at the site root)."""
    return [portal.config.default_language]


def build_portal(
    portal: Portal, staging: Path, work_dir: Path, *, dirty: bool = False
) -> int:
    """Build every language of ``portal`` into ``staging``; returns the number of pages."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    pages = 0
    for index, language in enumerate(languages_of(portal)):
        target = staging if index == 0 else staging / language
        config_path = write_project(portal, work_dir / language, target, language)
        try:
            config = load_config(str(config_path), strict=True)
            mkdocs_build(config, dirty=dirty)
        except (Abort, MkDocsException) as error:
            raise BuildFailed(f"MkDocs failed for language '{language}': {error}") from error
        pages += sum(1 for _ in (work_dir / language / "docs").rglob("*.md"))
    return pages


def build(root: Path, site_dir: Path | None = None, *, work_dir: Path | None = None) -> BuildResult:
    """Validate ``root/content``, build it, and replace ``site_dir`` only on success.

    Raises :class:`~generator.errors.ContentError` (nothing is built) or
    :class:`BuildFailed` (the previous site is untouched).
    """
    started = time.perf_counter()
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    portal, problems = validate(root)
    if portal is None or problems.errors:
        raise ContentError(problems.items)
    for warning in problems.warnings:
        log.warning(warning.format())
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a published site is readable
    try:
        with _work_dir(work_dir) as work:
            pages = build_portal(portal, staging, work)
        _set_epoch_times(staging)
        swap_into_place(staging, site_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(portal, site_dir, time.perf_counter() - started, pages)


@contextmanager
def _work_dir(work_dir: Path | None) -> Iterator[Path]:
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        yield work_dir
        return
    with tempfile.TemporaryDirectory(prefix="portal-build-") as tmp:
        yield Path(tmp)


def _set_epoch_times(folder: Path) -> None:
    """With SOURCE_DATE_EPOCH set, give every built file that time, for reproducible archives."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return
    stamp = int(epoch)
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp), follow_symlinks=False)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_into_place(staging: Path, site_dir: Path) -> None:
    """Make ``staging`` the new ``site_dir``; the old one disappears only after the new one is there."""
    blocked = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if site_dir.exists() and not site_dir.is_symlink():
            if _exchange(staging, site_dir):
                return  # staging now holds the old site; the caller removes it
            old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
            site_dir.rename(old)
            staging.rename(site_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if site_dir.is_symlink():
                site_dir.unlink()
            staging.rename(site_dir)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
