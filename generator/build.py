"""Build the site into a staging folder and put it in place only when everything succeeded.

``mkdocs build --strict`` writes the whole site before it fails; building into
a fresh sibling folder and exchanging the two folders in one step means a
failed, interrupted or killed build leaves the previous site as it was.
"""

from __future__ import annotations

import collections
import ctypes
import dataclasses
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from generator import engines, languages
from generator.buildlog import ENGINE_LOGGERS
from generator.engines import BuildFailed
from generator.errors import ContentError
from generator.load import CONTENT_DIR
from generator.model import Portal
from generator.postbuild import (
    SEARCH_INDEXES,
    PassReport,
    finish_files,
    finish_portal,
    finish_search,
    share_theme_assets,
    site_files,
    warn_unmarked,
)
from generator.precompress import precompress, precompress_files
from generator.project import prepare_project
from generator.scratch import scratch_dir
from generator.validate import validate

__all__ = ["BuildFailed", "BuildResult", "build", "build_epoch", "build_portal", "languages_of"]

log = logging.getLogger("mkdocs.plugins.generator.build")


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
    write_docs: bool = True, only: list[str] | None = None, engine: str | None = None, jobs: int = 1,
    finish: bool = False,
) -> int:
    """Build every language of ``portal`` into ``staging`` with ``engine``; returns the number of pages.

    ``engine`` defaults to ``PORTAL_ENGINE``, else MkDocs.
    ``build_date`` (seconds since 1970) is the date the engine writes into the site
    when ``SOURCE_DATE_EPOCH`` is not set; None leaves the engine's own (today).
    Without ``write_docs`` the pages go to MkDocs from memory and each language's
    docs folder stays empty (an incremental build needs them written: MkDocs
    compares the files' times). ``only`` builds just those languages, the first at the root.

    ``jobs`` above 1 builds that many languages at once, each in a process of its own
    (forked from this one, so the checked portal is not copied): the default language into
    ``staging``, the others into folders beside it that join it once every language
    succeeded. The site is the same, byte for byte, as with ``jobs=1``. A ``dirty``
    (incremental) build is always sequential: it updates the site it is given in place.

    ``finish``: also run the generator's pass over the built site (:mod:`generator.postbuild`)
    and compress it (:mod:`generator.precompress`), as ``portal build`` publishes it. In a
    parallel build a language's site is shared out among the workers in small parts as soon as
    that language is built, so a worker that has no language left to build finishes and
    compresses the others' files instead of waiting.
    """
    engine = engines.activate(engine or engines.default_engine())
    if dirty and engine not in engines.IN_PROCESS:
        raise engines.EngineUnavailable(f"{engines.LABELS[engine]} cannot rebuild incrementally")
    codes = languages_of(portal) if only is None else list(only)
    tasks = [
        _LanguageTask(code, index == 0, staging if index == 0 else staging / code) for index, code in enumerate(codes)
    ]
    settings = _BuildSettings(portal, work_dir, engine, dirty, build_date, write_docs)
    jobs = max(1, min(jobs, len(tasks)))
    if jobs == 1 or dirty:
        pages = sum(_build_language(settings, task) for task in tasks)
        if finish:
            finish_portal(staging, codes)  # whichever engine built it: see postbuild
            share_theme_assets(staging, codes)  # one copy of the theme, as the plugin does
            precompress(staging)
        return pages
    pages = _build_in_parallel(settings, tasks, staging, jobs, finish=finish)
    # Each language was finished and compressed in its workers; only now are they all in one site.
    if finish and share_theme_assets(staging, codes):
        precompress(staging)  # the pages it pointed at the shared theme (it removed their old copies)
    return pages


@dataclasses.dataclass(frozen=True)
class _BuildSettings:
    """What every language's build shares."""

    portal: Portal
    work_dir: Path
    engine: str
    dirty: bool
    build_date: int | None
    write_docs: bool


@dataclasses.dataclass(frozen=True)
class _LanguageTask:
    language: str
    at_root: bool
    target: Path


def _build_language(settings: _BuildSettings, task: _LanguageTask) -> int:
    """Generate one language's project and build it into ``task.target``; returns its page count."""
    portal, language, engine = settings.portal, task.language, settings.engine
    in_process = engine in engines.IN_PROCESS
    try:
        project = prepare_project(
            portal, settings.work_dir / language, task.target, language,
            write=settings.write_docs or settings.dirty or not in_process, self_contained=not in_process,
        )
    except Exception as error:
        engines.raise_template_error(error, portal, language)
        raise
    if in_process:
        engines.run_mkdocs(engine, portal, project, task.target, language, at_root=task.at_root,
                           dirty=settings.dirty, build_date=settings.build_date)
    else:
        engines.run_zensical(project, task.target, language, root=portal.root, build_date=settings.build_date)
    return project.pages


@dataclasses.dataclass(frozen=True)
class _FinishTask:
    """Part of one built language's files to finish and compress (:func:`_finish_part`)."""

    language: str
    site: Path
    """The language's site folder, which ``files`` are relative to."""
    files: tuple[str, ...]
    search: bool = False
    """The part that prepares the search index (``files`` is then the index's own files)."""


FINISH_PART_BYTES = 4 * 2**20
"""About how much of a built language one finishing task reads: small enough that the last
language's files are shared by every worker, large enough that handing them out costs little."""

_PARALLEL: _BuildSettings | None = None
"""The settings of the parallel build under way, read by the worker processes forked from this one."""


def _build_in_parallel(
    settings: _BuildSettings, tasks: list[_LanguageTask], staging: Path, jobs: int, *, finish: bool,
) -> int:
    """Build ``tasks`` in ``jobs`` worker processes; every language's failure is reported, none is published.

    The workers are forked: they start with the checked portal in memory and the engine
    already chosen (ProperDocs must replace MkDocs before it is imported, which a freshly
    started interpreter would have to redo). Each language but the default one builds into a
    folder of its own beside ``staging`` (the default language's build empties its site
    folder first) and is moved into ``staging`` when all have succeeded.
    """
    global _PARALLEL
    parts = Path(tempfile.mkdtemp(prefix=f"{staging.name}-parts-", dir=staging.parent))
    placed = [
        task if task.at_root else dataclasses.replace(task, target=parts / task.language) for task in tasks
    ]
    _PARALLEL = settings
    try:
        outcomes, records = _run_workers(placed, jobs, finish=finish)
        for task in placed:  # each language's messages together, in the order of the languages
            for record in records[task.language]:
                logging.getLogger(record.name).handle(record)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        if failures:
            _raise_all(failures)
        for task, final in zip(placed, tasks, strict=True):
            if not task.at_root:
                task.target.rename(final.target)
        return sum(outcome for outcome in outcomes if isinstance(outcome, int))
    finally:
        _PARALLEL = None
        shutil.rmtree(parts, ignore_errors=True)


def _finish_parts(task: _LanguageTask) -> list[_FinishTask]:
    """A built language's files, shared out in parts of about :data:`FINISH_PART_BYTES`; the search
    index (the largest file, and one that is read whole) first, in a part of its own."""
    indexes = [name for name in SEARCH_INDEXES if (task.target / name).is_file()]
    found = [_FinishTask(task.language, task.target, tuple(indexes), search=True)]
    part: list[str] = []
    size = 0
    for rel in site_files(task.target):
        if rel in indexes:
            continue
        part.append(rel)
        size += (task.target / rel).stat().st_size
        if size >= FINISH_PART_BYTES:
            found.append(_FinishTask(task.language, task.target, tuple(part)))
            part, size = [], 0
    if part:
        found.append(_FinishTask(task.language, task.target, tuple(part)))
    return found


def _run_workers(
    tasks: list[_LanguageTask], jobs: int, *, finish: bool,
) -> tuple[list[int | BaseException], dict[str, list[logging.LogRecord]]]:
    """Each language's outcome from ``jobs`` forked workers, in the order of ``tasks``, and what
    each language's work logged.

    Building comes first: a worker takes the next language while one is left, and otherwise a
    part of a built language to finish (``finish``). Once a language has failed nothing more is
    finished, but every language is still built, so that all failures are reported at once.
    A worker that dies (killed, out of memory) fails the build instead of leaving it waiting
    for ever; when the build itself is stopped, its workers are ended at once.
    """
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started)
    outcomes: dict[str, int | BaseException] = {}
    records: dict[str, list[logging.LogRecord]] = {task.language: [] for task in tasks}
    reports: dict[str, PassReport] = {task.language: PassReport() for task in tasks}
    to_build = collections.deque(tasks)
    to_finish: collections.deque[_FinishTask] = collections.deque()
    running: dict[Future[tuple[object, list[logging.LogRecord]]], _LanguageTask | _FinishTask] = {}
    try:
        while to_build or to_finish or running:
            while len(running) < jobs and (to_build or to_finish):
                task: _LanguageTask | _FinishTask = to_build.popleft() if to_build else to_finish.popleft()
                running[executor.submit(_work_in_worker, task)] = task
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                outcome, logged = future.result()
                records[task.language] += logged
                if isinstance(task, _FinishTask):
                    if isinstance(outcome, BaseException):
                        outcomes[task.language] = outcome
                    elif isinstance(outcome, PassReport):
                        reports[task.language].merge(outcome)
                    continue
                assert isinstance(outcome, (int, BaseException))
                outcomes[task.language] = outcome
                if isinstance(outcome, BaseException):
                    to_finish.clear()
                elif finish and all(isinstance(value, int) for value in outcomes.values()):
                    to_finish.extend(_finish_parts(task))
    except BrokenProcessPool as error:
        executor.shutdown(wait=True, cancel_futures=True)
        raise BuildFailed(
            "a process building the languages ended abruptly (killed, or out of memory?): try --jobs 1"
        ) from error
    except BaseException:
        for child in multiprocessing.active_children():  # this build's workers: it starts no other
            child.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    if finish and not any(isinstance(value, BaseException) for value in outcomes.values()):
        for task in tasks:
            warn_unmarked(reports[task.language])
    return [outcomes[task.language] for task in tasks], records


def _worker_started() -> None:
    # The parent decides when a build stops: it ends its workers (SIGTERM) when it is stopped,
    # and a Ctrl+C reaches it as well as them.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _RecordKeeper(logging.Handler):
    """Keeps a worker's log records for the parent, which prints them where its own go.

    A worker's copy of the parent's handlers may write to a stream only the parent reads
    (a test's captured output); and two languages' messages would interleave.
    """

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # the arguments may not cross processes
        record.exc_info = record.exc_text = record.stack_info = None
        self.records.append(record)


def _work_in_worker(task: _LanguageTask | _FinishTask) -> tuple[object, list[logging.LogRecord]]:
    """One task, in a worker: its result (a language's page count, a part's pass report) or the
    exception it raised, and what it logged."""
    assert _PARALLEL is not None
    keeper = _RecordKeeper()
    loggers = [logging.getLogger(name) for name in ENGINE_LOGGERS]
    saved = [(logger.handlers[:], logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.handlers[:], logger.propagate = [keeper], False
    try:
        if isinstance(task, _FinishTask):
            return _finish_part(task), keeper.records
        return _build_language(_PARALLEL, task), keeper.records
    except Exception as error:
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"building language '{task.language}' failed:\n{traceback.format_exc()}")
        return error, keeper.records
    finally:
        for logger, (handlers, propagate) in zip(loggers, saved, strict=True):
            logger.handlers[:], logger.propagate = handlers, propagate


def _finish_part(task: _FinishTask) -> PassReport:
    """Finish and then compress one part of a language's built site, as :func:`finish_portal` and
    :func:`precompress` do for the whole site."""
    if task.search:
        report = PassReport(changed=finish_search(task.site, task.language))
    else:
        report = finish_files(task.site, task.language, task.files)
    precompress_files(task.site, task.files)
    return report


def _raise_all(failures: list[BaseException]) -> None:
    """Raise the one failure as it is; several as one :class:`BuildFailed` that says them all."""
    if len(failures) == 1:
        raise failures[0]
    if all(isinstance(failure, BuildFailed) for failure in failures):
        warnings = [warning for failure in failures for warning in getattr(failure, "warnings", [])]
        raise BuildFailed("\n".join(str(failure) for failure in failures), warnings) from failures[0]
    raise next(failure for failure in failures if not isinstance(failure, BuildFailed))


def build(
    root: Path, site_dir: Path | None = None, *, work_dir: Path | None = None, engine: str | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Validate ``root/content``, build it, and replace ``site_dir`` only on success.

    ``engine``: one of :data:`generator.engines.ENGINES` (default: ``PORTAL_ENGINE``, else
    MkDocs). ``jobs``: how many languages build at once (default: one per available core;
    1 builds them one after the other).

    Raises :class:`~generator.errors.ContentError` (nothing is built) or
    :class:`BuildFailed` (the previous site is untouched).
    """
    started = time.perf_counter()
    engine = engines.activate(engine or engines.default_engine())
    jobs = engines.available_cores() if jobs is None else jobs
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
                    portal, staging, work, build_date=build_epoch(root), write_docs=work_dir is not None,
                    engine=engine, jobs=jobs, finish=True,
                )
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
