"""The engines that turn one language's generated project into HTML: MkDocs, ProperDocs, Zensical.

Every engine gets the same input, the project :func:`generator.project.prepare_project` writes
(a docs folder and an ``mkdocs.yml``), and must leave the built language site in a folder the
caller names; :mod:`generator.build` decides which languages build where and when, and swaps
the finished site into place.

- ``mkdocs``: MkDocs 1.6 in this process. The pages can go to it from memory, the portal's
  plugin sanitizes them and locates MkDocs' warnings, and the live preview rebuilds only
  what changed.
- ``properdocs``: ProperDocs, a maintained fork of MkDocs 1.x, in this process. Importing
  ``properdocs.replacement`` makes every later ``import mkdocs...`` load ProperDocs instead,
  so it must happen before anything has imported MkDocs: :func:`activate` does that (the
  ``portal`` command and the tests call it first thing); everything else is the MkDocs path.
- ``zensical``: the ``zensical`` command (Material's successor), run on the project written
  to disk. It runs neither MkDocs plugins nor hooks, wants the docs folder given relative
  to its config and the site folder inside the project; its output is then moved to the
  target. It lives in an environment of its own (``.venv-zensical``, see the README), as it
  pins its own Markdown stack.

This module imports no engine itself: choosing ProperDocs must come before MkDocs is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.buildlog import ENGINE_LOGGERS
from generator.templatecheck import template_problem

if TYPE_CHECKING:
    from generator.model import Portal
    from generator.project import Project

ENGINES = ("mkdocs", "properdocs", "zensical")
"""The engines ``portal build --engine`` accepts; the first is the default."""

ENGINE_ENV = "PORTAL_ENGINE"
"""Names the engine when ``--engine`` is not given (the test suite runs on the engine it names)."""

ZENSICAL_ENV = "PORTAL_ZENSICAL"
"""The ``zensical`` command to run, when it is neither on PATH nor in the repository's ``.venv-zensical``."""

LABELS = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}

IN_PROCESS = frozenset({"mkdocs", "properdocs"})
"""Engines that run in this process: they take pages from memory and build incrementally."""

log = logging.getLogger("mkdocs.plugins.generator.engines")


class BuildFailed(Exception):
    """The engine refused the generated project (in strict mode, any warning)."""

    def __init__(self, message: str, warnings: list[str] | None = None) -> None:
        super().__init__(message)
        self.warnings = warnings or []
        """The engine's warnings, those about a generated page as ``path:line:col: message``."""

    def __reduce__(self) -> tuple[Any, ...]:  # keeps the warnings when it crosses from a worker process
        return (type(self), (str(self), self.warnings))


class EngineUnavailable(BuildFailed):
    """The chosen engine cannot run here (not installed, or chosen too late in this process)."""


def default_engine() -> str:
    """The engine named by ``PORTAL_ENGINE``, else ``mkdocs``."""
    name = os.environ.get(ENGINE_ENV, "").strip().lower() or ENGINES[0]
    if name not in ENGINES:
        raise EngineUnavailable(f"{ENGINE_ENV}={name!r} names no engine: choose one of {', '.join(ENGINES)}")
    return name


def properdocs_active() -> bool:
    """Whether ``import mkdocs`` gives ProperDocs in this process."""
    mkdocs, properdocs = sys.modules.get("mkdocs"), sys.modules.get("properdocs")
    return mkdocs is not None and mkdocs is properdocs


def activate(name: str) -> str:
    """Make ``name`` the engine of this process's builds; returns it.

    For ProperDocs this must run before anything imports MkDocs (MkDocs' modules, once
    loaded, cannot be swapped under the theme and plugins that hold them). Choosing MkDocs
    after ProperDocs took over is refused for the same reason.
    """
    if name not in ENGINES:
        raise EngineUnavailable(f"no engine named {name!r}: choose one of {', '.join(ENGINES)}")
    if name == "properdocs" and not properdocs_active():
        if "mkdocs" in sys.modules:
            raise EngineUnavailable(
                "ProperDocs must be chosen before MkDocs is loaded in this process: "
                f"set {ENGINE_ENV}=properdocs, or run `portal build --engine properdocs` in a new process"
            )
        try:
            import properdocs.replacement  # noqa: F401  (redirects every later `import mkdocs...`)
        except ImportError as error:
            raise EngineUnavailable(
                "ProperDocs is not installed: pip install 'advocacy-portal[properdocs]' "
                "(or make setup-properdocs)"
            ) from error
    elif name == "mkdocs" and properdocs_active():
        raise EngineUnavailable("ProperDocs already replaced MkDocs in this process: build with --engine properdocs")
    return name


def activate_from_environment() -> None:
    """Apply ``PORTAL_ENGINE`` when it names ProperDocs (which must come first); else nothing."""
    if os.environ.get(ENGINE_ENV, "").strip().lower() == "properdocs":
        activate("properdocs")


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# --- errors in the repository's templates ---------------------------------------------------------


def raise_template_error(
    error: BaseException, portal: Portal, language: str, warnings: list[str] | None = None
) -> None:
    """Raise :class:`BuildFailed` at the template line when a template in ``overrides/`` caused ``error``.

    Validate compiles every template and renders the portal's own; the theme's are rendered
    only by the engine, so a mistake there (an undefined name called) first shows here: its
    file and line, never a traceback. Any other error is left to the caller.
    """
    problem = template_problem(error, portal.root) if isinstance(error, Exception) else None
    if problem is not None:
        try:
            shown: str | None = (portal.root / problem.path).read_text("utf-8").split("\n")[problem.line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            shown = None
        raise BuildFailed(f"a template failed for language '{language}':\n{problem.format(shown)}",
                          warnings) from error


# --- MkDocs and ProperDocs, in this process -------------------------------------------------------


class _DirtyBuildNotice(logging.Filter):
    """Drops the warning MkDocs logs on every ``dirty`` build, which strict mode turns into a failure.

    It says that pages other than the rebuilt ones may show stale navigation: the
    live preview accepts that (see generator.serve), and a full build is always complete.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _dirty_notice_silenced(dirty: bool) -> Iterator[None]:
    if not dirty:
        yield
        return
    loggers, notice = [logging.getLogger(f"{name}.commands.build") for name in ENGINE_LOGGERS], _DirtyBuildNotice()
    for logger in loggers:
        logger.addFilter(notice)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(notice)


class _WarningRecorder(logging.Handler):
    """Keeps MkDocs' warnings of one build (after the plugin located them) for the error it raises."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def build_date_set(build_date: int | None) -> Iterator[None]:
    """Give the engine (only the engine) a reproducible build date while it builds.

    Set around the engine alone: the generator's own notion of today (which posts
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


def run_mkdocs(
    engine: str, portal: Portal, project: Project, target: Path, language: str, *, at_root: bool,
    dirty: bool, build_date: int | None,
) -> None:
    """Build ``project`` with MkDocs (or ProperDocs, which answers to the same imports) into ``target``.

    ``target`` is the project's configured site folder. ``at_root``: this language is
    published at the site root, so it keeps the theme's scripts and styles that the other
    languages link to.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from generator import search
    from generator.plugin import PortalPlugin
    from generator.project import PLUGIN_NAME

    previous_index = search.read_index(target) if dirty else None
    warnings = _WarningRecorder()
    for name in ENGINE_LOGGERS:
        logging.getLogger(name).addHandler(warnings)
    try:
        config = load_config(str(project.config_path), strict=True)
        plugin = config.plugins[PLUGIN_NAME]
        assert isinstance(plugin, PortalPlugin)
        if at_root:  # built at the root (``only``): it holds the theme's files, no site above it does
            plugin.config["theme_assets"] = None
        if not project.written:
            plugin.generated = project.files
        with build_date_set(build_date), _dirty_notice_silenced(dirty):
            mkdocs_build(config, dirty=dirty)
        if previous_index is not None:
            search.merge_index(target, previous_index, plugin.page_urls, plugin.rendered_urls)
    except (Abort, MkDocsException) as error:
        raise BuildFailed(f"{LABELS[engine]} failed for language '{language}': {error}",
                          warnings.messages) from error
    except Exception as error:
        raise_template_error(error, portal, language, warnings.messages)
        raise
    finally:
        for name in ENGINE_LOGGERS:
            logging.getLogger(name).removeHandler(warnings)


# --- Zensical, as a command ----------------------------------------------------------------------

ZENSICAL_SITE = "site"
"""The site folder inside each language's project: Zensical refuses one outside it."""

ZENSICAL_TIMEOUT_S = 3600


def zensical_command(root: Path | None = None) -> list[str]:
    """How to run Zensical: ``PORTAL_ZENSICAL``, else ``zensical`` on PATH, else a ``.venv-zensical``
    in the repository (``root``) or in this checkout of the portal."""
    configured = os.environ.get(ZENSICAL_ENV, "").strip()
    if configured:
        return [configured]
    found = shutil.which("zensical")
    if found:
        return [found]
    for base in (root, Path(__file__).resolve().parent.parent):
        if base is not None and (base / ".venv-zensical/bin/zensical").is_file():
            return [str(base / ".venv-zensical/bin/zensical")]
    raise EngineUnavailable(
        "Zensical is not installed: make setup-zensical (a .venv-zensical of its own), "
        f"or put `zensical` on PATH, or name it in {ZENSICAL_ENV}"
    )


def run_zensical(project: Project, target: Path, language: str, *, root: Path, build_date: int | None) -> None:
    """Build ``project`` (written to disk, with ``self_contained`` paths) with Zensical into ``target``.

    The site appears in ``target`` only once Zensical succeeded; ``target`` must be missing
    or an empty folder (a language's folder in the staging site is, when it is built).
    """
    project_dir = project.config_path.parent
    output = project_dir / ZENSICAL_SITE
    shutil.rmtree(output, ignore_errors=True)
    env = dict(os.environ)
    if build_date is not None:
        env.setdefault("SOURCE_DATE_EPOCH", str(build_date))
    command = [*zensical_command(root), "build", "--clean", "--strict", "--config-file", str(project.config_path)]
    try:
        result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True,
                                timeout=ZENSICAL_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        raise BuildFailed(f"Zensical failed for language '{language}': {error}") from error
    said = [line for line in _ANSI.sub("", result.stdout + result.stderr).splitlines() if line.strip()]
    if result.returncode != 0 or not output.is_dir():
        from generator.postbuild import locate_warnings

        last = said[-1] if said else f"exit status {result.returncode}"
        warnings = locate_warnings(zensical_warnings(said), project.files, root)
        raise BuildFailed(f"Zensical failed for language '{language}': {_locate_template(last, root)}", warnings)
    for line in said:
        log.debug("zensical (%s): %s", language, line)
    if build_date is not None:
        date_sitemap(output, build_date)
    if target.exists():
        target.rmdir()  # empty: the staging folder, made before the build
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(output), str(target))  # a rename, or a copy when the project is on another disk


_ZENSICAL_TEMPLATE = re.compile(r"\(in ([\w./-]+\.html):(\d+)\)")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
"""Zensical colours its report whatever the terminal (``NO_COLOR`` included)."""
_ZENSICAL_WARNING = re.compile(r"^Warning: (?P<message>.+)$")
_ZENSICAL_PLACE = re.compile(r"^\s*╭─\[ (?P<doc>.+?):(?P<line>\d+):(?P<col>\d+) \]\s*$")
_ZENSICAL_SHOWN = re.compile(r"^\s*(?P<line>\d+) │ ?(?P<text>.*)$")
_ZENSICAL_AS_MKDOCS = {
    "page does not exist": "a link '{link}', but the target is not found among documentation files",
    "anchor does not exist": "a link '{link}', but there is no such anchor on this page",
}
"""Zensical's words for a broken link, as MkDocs says them, which :mod:`generator.buildlog` locates."""


def zensical_warnings(said: list[str]) -> list[str]:
    """Zensical's report (without colours) with each warning about a page as one line, in MkDocs' words.

    Zensical draws each warning as a box: ``Warning: page does not exist``, then
    ``╭─[ roles/x.md:15:18 ]`` and the page's line with the link marked. That becomes
    ``Doc file 'roles/x.md' contains a link '../lessons/y.md', but ...``, the form
    :func:`generator.postbuild.locate_warnings` points at the content file; a warning of another
    kind becomes ``roles/x.md:15:18: message``. The other lines stay as they were.
    """
    out: list[str] = []
    index = 0
    while index < len(said):
        warning = _ZENSICAL_WARNING.match(said[index])
        place = _ZENSICAL_PLACE.match(said[index + 1]) if warning and index + 1 < len(said) else None
        if warning is None or place is None:
            out.append(said[index])
            index += 1
            continue
        message, doc = warning.group("message").strip(), place.group("doc")
        end = index + 2
        shown = ""
        while end < len(said) and not said[end].lstrip().startswith(("─", "Warning:")):
            found = _ZENSICAL_SHOWN.match(said[end])
            if found and found.group("line") == place.group("line") and not shown:
                shown = found.group("text")
            end += 1
        end += 1  # the box's last line
        link = _link_at(shown, int(place.group("col")) - 1)
        template = _ZENSICAL_AS_MKDOCS.get(message)
        if template and link:
            if message == "anchor does not exist" and not link.startswith("#"):
                page, _, anchor = link.partition("#")
                text = f"a link '{link}', but the doc '{page}' does not contain an anchor '#{anchor}'"
            else:
                text = template.format(link=link)
            out.append(f"Doc file '{doc}' contains {text}")
        else:
            out.append(f"{doc}:{place.group('line')}:{place.group('col')}: {message}")
        index = end
    return out


def _link_at(line: str, column: int) -> str:
    """The link target Zensical marks at ``column`` of ``line`` (for a missing anchor it marks the
    ``#anchor`` part only: the target then starts back at the ``(`` or quote before it)."""
    if not 0 <= column < len(line):
        return ""
    start = column
    while start > 0 and line[start - 1] not in _LINK_EDGES:
        start -= 1
    end = column
    while end < len(line) and line[end] not in _LINK_EDGES:
        end += 1
    return line[start:end]


_LINK_EDGES = frozenset("()[] \t\"'<>")


_LASTMOD = re.compile(r"^(?P<indent>[ \t]*)(?P<loc><loc>[^<]*</loc>)(?![ \t]*\n?[ \t]*<lastmod>)", re.MULTILINE)


def date_sitemap(site: Path, build_date: int) -> None:
    """Give each page of Zensical's sitemap the build date, as MkDocs does, and its gzip copy.

    Zensical writes no ``<lastmod>`` and no ``sitemap.xml.gz``; MkDocs writes both from the
    build date (``SOURCE_DATE_EPOCH``, else the last commit to ``content/``), the gzip copy
    stamped with the start of that day. Written here the same way, two builds of the same
    content give the same bytes on either engine.
    """
    import datetime as dt
    import gzip

    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return
    day = dt.datetime.fromtimestamp(build_date, dt.UTC).date()
    text = sitemap.read_text("utf-8")
    dated = _LASTMOD.sub(lambda found: f"{found.group('indent')}{found.group('loc')}\n"
                                       f"{found.group('indent')}<lastmod>{day.isoformat()}</lastmod>", text)
    if dated != text:
        sitemap.write_text(dated, "utf-8")
    stamp = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
    with sitemap.with_name("sitemap.xml.gz").open("wb") as file, \
            gzip.GzipFile(fileobj=file, filename="sitemap.xml", mode="wb", mtime=stamp) as compressed:
        compressed.write(dated.encode("utf-8"))


def _locate_template(message: str, root: Path) -> str:
    """Zensical's ``... (in main.html:79)`` as ``overrides/main.html:79: ...`` when the repository's
    ``overrides/`` holds that template, followed by its line; else the message as it is."""
    places = list(_ZENSICAL_TEMPLATE.finditer(message))
    if not places:
        return message
    found = places[-1]  # the innermost template is named last
    path = root / "overrides" / found.group(1)
    if not path.is_file():
        return message
    number = int(found.group(2))
    lines = path.read_text("utf-8", errors="replace").split("\n")
    shown = f"\n    {lines[number - 1].strip()}" if 0 < number <= len(lines) else ""
    return f"overrides/{found.group(1)}:{number}: {message.removeprefix('RuntimeError: ')}{shown}"
