"""Templates an editor or a developer wrote in ``overrides/``, checked before the build needs them.

A custom playbook kind (``overrides/portal/playbooks/<kind>.md.j2``) or a changed theme
template (``overrides/main.html``) with a Jinja mistake used to pass ``portal validate`` and
then stop the build with a Python traceback. Here every such template is compiled, the
portal's own are rendered against the real content in every language, and each mistake
becomes a located problem: ``overrides/...:line:1: message``. The build turns a template
error it meets anyway into the same kind of message (:func:`template_problem`).
"""

from __future__ import annotations

import functools
import types
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from generator.errors import Problem, Problems

OVERRIDES = "overrides"
_TEMPLATE_SUFFIXES = (".html", ".j2", ".jinja", ".xml", ".js", ".txt")
_HINT = "fix the template; `portal build` needs it"


def template_problem(error: BaseException, root: Path) -> Problem | None:
    """``error`` as a problem at the template line that raised it, or None when no template did.

    Jinja gives a syntax error its file and line; for an error while rendering, Jinja
    rewrites the traceback so that the frames of template code carry the template's
    file name and line: the innermost one inside ``overrides/`` (else the innermost
    template at all) is where the editor can fix it.
    """
    if isinstance(error, jinja2.TemplateSyntaxError):
        if not error.filename:
            return None
        message = f"template syntax error: {error.message}"
        line = error.lineno or 1
        return Problem(_shown(Path(error.filename), root), line, _first_col(Path(error.filename), line), message,
                       "error", _HINT)
    frames = _template_frames(error.__traceback__)
    if not frames:
        return None
    overrides = (root / OVERRIDES).resolve()
    own = [frame for frame in frames if _inside(Path(frame[0]), overrides)]
    filename, line = (own or frames)[-1]
    if isinstance(error, jinja2.UndefinedError):
        message = f"template error: {error.message}"
    elif isinstance(error, jinja2.TemplateError):
        message = f"template error: {error.message or type(error).__name__}"
    else:
        message = f"template error: {type(error).__name__}: {error}"
    return Problem(_shown(Path(filename), root), line, _first_col(Path(filename), line), message, "error", _HINT)


def _first_col(path: Path, line: int) -> int:
    """The column of the first character of ``line`` in ``path`` (Jinja knows lines, not columns)."""
    try:
        text = path.read_text("utf-8").split("\n")[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return 1
    return len(text) - len(text.lstrip()) + 1


def _template_frames(tb: types.TracebackType | None) -> list[tuple[str, int]]:
    frames: list[tuple[str, int]] = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(_TEMPLATE_SUFFIXES) and Path(filename).is_file():
            frames.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except (OSError, ValueError):
        return False
    return True


def _shown(path: Path, root: Path) -> str:
    """The path relative to the repository root when it is inside it, else as it is."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return path.as_posix()


def check_templates(portal: Any, problems: Problems) -> None:
    """Compile every template in ``overrides/``; render the portal's own against the content.

    Rendering needs sound content, so it runs only when nothing else is wrong; compiling
    always runs. Each template is reported once, at its first mistake.
    """
    root = portal.root
    folder = root / OVERRIDES
    if not folder.is_dir():
        return
    reported: set[str] = set()

    def report(error: BaseException | Problem) -> bool:
        problem = error if isinstance(error, Problem) else template_problem(error, root)
        if problem is None:
            return False
        if problem.path not in reported:
            reported.add(problem.path)
            problems.extend([problem])
        return True

    _compile_theme_templates(root, folder, report)
    _compile_portal_templates(portal, folder, report)
    if reported or problems.errors or portal.config is None:
        return
    own = folder / "portal"
    if not own.is_dir() or not any(own.rglob("*.j2")):
        return  # the built-in page templates are the project's, tested with it
    from generator import languages
    from generator.render import Renderer

    for language in languages.codes(portal):
        try:
            Renderer(portal, language).render()
        except Exception as error:  # a user's template can raise anything; only its own errors are reported
            if not report(error):
                raise
            return


def _compile_theme_templates(root: Path, folder: Path, report: Any) -> None:
    """The theme's templates that ``overrides/`` replaces, compiled as MkDocs will (its filters included)."""
    from mkdocs.theme import Theme

    theme_files = sorted(
        path for path in folder.rglob("*")
        if path.is_file() and path.suffix in (".html", ".xml") and "portal" not in path.relative_to(folder).parts[:1]
    )
    if not theme_files:
        return
    stamp = tuple((str(path), *_stat(path)) for path in theme_files)
    if stamp in _CHECKED_THEMES:
        return  # the same files, already found sound in this process (portal serve checks on every save)
    theme = Theme("material", custom_dir=str(folder.resolve()))
    env = theme.get_env()
    known: set[str] | None = None
    sound = True
    for path in theme_files:
        name = path.relative_to(folder).as_posix()
        try:
            env.get_template(name)
        except jinja2.TemplateError as error:
            report(error)
            sound = False
            continue
        unknown_names = _unknown_names(env, path, set(env.globals) | PORTAL_THEME_NAMES | MKDOCS_PAGE_NAMES)
        if unknown_names:  # only then is reading every template of the theme worth its half second
            if known is None:
                known = set(env.globals) | PORTAL_THEME_NAMES | _theme_names(tuple(theme.dirs[1:]))
            unknown_names = _unknown_names(env, path, known)
        for line, unknown in unknown_names[:1]:
            sound = False
            report(Problem(_shown(path, root), line, _first_col(path, line),
                           f"template error: '{unknown}' is undefined: no page of the theme has it",
                           "error", f"{_HINT}; names a page has: page, config, nav, base_url, ..."))
    if sound:
        _CHECKED_THEMES.add(stamp)


_CHECKED_THEMES: set[tuple[tuple[Any, ...], ...]] = set()


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


MKDOCS_PAGE_NAMES = {"config", "nav", "base_url", "extra_css", "extra_javascript", "mkdocs_version",
                     "build_date_utc", "page", "toc", "meta", "files", "i18n_page_locale"}
"""What MkDocs puts in the context of every page template (and what Material's base.html sets)."""
MKDOCS_PAGE_NAMES |= {"features", "lang"}
PORTAL_THEME_NAMES = {"portal_nav_cache"}
"""Names the portal's plugin gives the theme's templates (see ``PortalPlugin.on_env``)."""


@functools.lru_cache(maxsize=4)
def _theme_names(theme_dirs: tuple[str, ...]) -> frozenset[str]:
    """Every name the theme's own templates read from their context: the names a page has.

    MkDocs renders with Jinja's lenient ``Undefined``, so an unknown name shows only when it
    is called or read into. Read once per process (the theme does not change under it).
    """
    env = jinja2.Environment()
    env.filters.update(dict.fromkeys(_THEME_FILTERS, str))
    names: set[str] = set()
    for folder in theme_dirs:
        for path in Path(folder).rglob("*.html"):
            try:
                names |= jinja2.meta.find_undeclared_variables(env.parse(path.read_text("utf-8")))
            except (jinja2.TemplateError, OSError, UnicodeDecodeError):
                continue
    return frozenset(names)


_THEME_FILTERS = ("url", "script_tag", "date")


def _unknown_names(env: jinja2.Environment, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, name) of each name ``path`` reads that nothing defines: no context, no set, no loop."""
    tree = env.parse(path.read_text("utf-8"), path.name, str(path))
    assigned = {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx in ("store", "param")}
    missing = jinja2.meta.find_undeclared_variables(tree) - known - assigned
    first: dict[str, int] = {}
    for node in tree.find_all(jinja2.nodes.Name):
        if node.name in missing and node.ctx == "load":
            first.setdefault(node.name, node.lineno)
    return sorted((line, name) for name, line in first.items())


def _compile_portal_templates(portal: Any, folder: Path, report: Any) -> None:
    """The portal's page templates in ``overrides/portal/`` (custom playbook kinds included)."""
    own = folder / "portal"
    if not own.is_dir() or portal.config is None:
        return
    from generator.render import Renderer

    env = Renderer(portal).env
    for path in sorted(own.rglob("*.j2")):
        try:
            env.get_template(path.relative_to(own).as_posix())
        except jinja2.TemplateError as error:
            report(error)
