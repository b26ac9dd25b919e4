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
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import languages, search
from generator.errors import ContentError
from generator.load import CONTENT_DIR
from generator.model import Portal
from generator.plugin import PortalPlugin
from generator.postbuild import finish_portal
from generator.precompress import precompress
from generator.project import PLUGIN_NAME, prepare_project
from generator.scratch import scratch_dir
from generator.templatecheck import template_problem
from generator.validate import validate

log = logging.getLogger("mkdocs.plugins.generator.build")


class BuildFailed(Exception):
    """MkDocs refused the generated project (in strict mode, any warning)."""

    def __init__(self, message: str, warnings: list[str] | None = None) -> None:
        super().__init__(message)
        self.warnings = warnings or []
        """MkDocs' warnings, those about a generated page as ``path:line:col: message``."""


@dataclasses.dataclass
class BuildResult:
    portal: Portal
    site_dir: Path
    seconds: float
    pages: int


def languages_of(portal: Portal) -> list[str]:
    """The languages to build, the default first (it is built at the site root)."""
    return languages.codes(portal)


def build_portal(
    portal: Portal, staging: Path, work_dir: Path, *, dirty: bool = False, build_date: int | None = None,
    write_docs: bool = True, only: list[str] | None = None,
) -> int:
    """Build every language of ``portal`` into ``staging``; returns the number of pages.

    ``build_date`` (seconds since 1970) is the date MkDocs writes into the site
    when ``SOURCE_DATE_EPOCH`` is not set; None leaves MkDocs' own (today).
    Without ``write_docs`` the pages go to MkDocs from memory and each language's
    docs folder stays empty (an incremental build needs them written: MkDocs
    compares the files' times). ``only`` builds just those languages, the first at the root.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    pages = 0
    for index, language in enumerate(languages_of(portal) if only is None else only):
        target = staging if index == 0 else staging / language
        try:
            project = prepare_project(portal, work_dir / language, target, language, write=write_docs or dirty)
        except Exception as error:
            _raise_template_error(error, portal, language)
            raise
        previous_index = search.read_index(target) if dirty else None
        warnings = _WarningRecorder()
        logging.getLogger("mkdocs").addHandler(warnings)
        try:
            config = load_config(str(project.config_path), strict=True)
            plugin = config.plugins[PLUGIN_NAME]
            assert isinstance(plugin, PortalPlugin)
            if index == 0:  # built at the root (``only``): it holds the theme's files, no site above it does
                plugin.config["theme_assets"] = None
            if not project.written:
                plugin.generated = project.files
            with _mkdocs_date(build_date), _dirty_notice_silenced(dirty):
                mkdocs_build(config, dirty=dirty)
            if previous_index is not None:
                search.merge_index(target, previous_index, plugin.page_urls, plugin.rendered_urls)
        except (Abort, MkDocsException) as error:
            raise BuildFailed(f"MkDocs failed for language '{language}': {error}", warnings.messages) from error
        except Exception as error:
            _raise_template_error(error, portal, language, warnings.messages)
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
        pages += project.pages
    return pages


def _raise_template_error(error: Exception, portal: Portal, language: str, warnings: list[str] | None = None) -> None:
    """Raise :class:`BuildFailed` at the template line when a template in ``overrides/`` caused ``error``.

    Validate compiles every template and renders the portal's own; the theme's are rendered
    only by MkDocs, so a mistake there (an undefined name called) first shows here: its file
    and line, never a traceback. Any other error is left to the caller.
    """
    problem = template_problem(error, portal.root)
    if problem is not None:
        try:
            shown: str | None = (portal.root / problem.path).read_text("utf-8").split("\n")[problem.line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            shown = None
        raise BuildFailed(f"a template failed for language '{language}':\n{problem.format(shown)}",
                          warnings) from error


class _DirtyBuildNotice(logging.Filter):
    """Drops the warning MkDocs logs on every ``dirty`` build, which strict mode turns into a failure.

    It says that pages other than the rebuilt ones may show stale navigation: the
    live preview accepts that (see generator.serve), and a full build is always complete.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextmanager
def _dirty_notice_silenced(dirty: bool) -> Iterator[None]:
    if not dirty:
        yield
        return
    logger, notice = logging.getLogger("mkdocs.commands.build"), _DirtyBuildNotice()
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)


class _WarningRecorder(logging.Handler):
    """Keeps MkDocs' warnings of one build (after the plugin located them) for the error it raises."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
        raise ContentError(problems.items, problems.files)
    for warning in problems.warnings:
        log.warning(warning.format())
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(site_dir)
    with _terminate_cleanly():
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-{os.getpid()}-", dir=site_dir.parent))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; a published site is readable
            with _work_dir(work_dir) as work:
                # A temporary project is never read again: its pages go to MkDocs from memory.
                pages = build_portal(
                    portal, staging, work, build_date=build_epoch(root), write_docs=work_dir is not None
                )
            finish_portal(staging, languages_of(portal))  # whichever engine built it: see postbuild
            precompress(staging)
            _set_epoch_times(staging)
            swap_into_place(staging, site_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(portal, site_dir, time.perf_counter() - started, pages)


class Terminated(SystemExit):
    """The build was asked to stop (SIGTERM); raised so that the staging folder is cleaned up."""


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into an exception while building, so a killed build removes its staging folder.

    Python's default for SIGTERM ends the process at once, leaving a half-written
    staging folder behind (the previous site is safe either way). Signal handlers
    can only be set from the main thread; elsewhere (the live preview) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_abandoned_staging(site_dir: Path) -> None:
    """Remove staging folders left by builds that were killed outright (SIGKILL, power loss)."""
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.(?:staging|old)-(\d+)(?:-.*)?\Z")
    for candidate in site_dir.parent.glob(f".{site_dir.name}.*"):
        match = pattern.match(candidate.name)
        if match and candidate.is_dir() and not candidate.is_symlink() and not _alive(int(match.group(1))):
            shutil.rmtree(candidate, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


FALLBACK_EPOCH = 0
"""Build date when neither SOURCE_DATE_EPOCH nor git says one: fixed, so builds stay identical."""


def build_epoch(root: Path) -> int:
    """The date MkDocs writes into the site (sitemap, its gzip header), in seconds since 1970.

    ``SOURCE_DATE_EPOCH`` when set; else the time of the last git commit that
    touched ``content/``; else :data:`FALLBACK_EPOCH`. MkDocs itself would use
    the current date, so two builds of the same content on different days would differ.
    """
    configured = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if configured.isdigit():
        return int(configured)
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", CONTENT_DIR],
            cwd=root, capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_EPOCH
    stamp = result.stdout.strip()
    return int(stamp) if result.returncode == 0 and stamp.isdigit() else FALLBACK_EPOCH


@contextmanager
def _mkdocs_date(build_date: int | None) -> Iterator[None]:
    """Give MkDocs (only MkDocs) a reproducible build date while it builds.

    Set around MkDocs alone: the generator's own notion of today (which posts
    are current) stays the real date unless SOURCE_DATE_EPOCH was set.
    """
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if previous is not None or build_date is None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(build_date)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


@contextmanager
def _work_dir(work_dir: Path | None) -> Iterator[Path]:
    if work_dir is not None:
        work_dir.mkdir(parents=True, exist_ok=True)
        yield work_dir
        return
    # Locked while in use, so that the next build removes it if this one is killed outright.
    with scratch_dir("portal-build-") as tmp:
        yield tmp


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
