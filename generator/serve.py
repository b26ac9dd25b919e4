"""Live preview: rebuild on every change to content/, overrides/ or mkdocs.yml.

Content is checked before anything is written, so a broken edit prints its
located errors and the last good site stays served. After the first full
build, rebuilds are incremental: only the content files whose bytes changed
are parsed again (the checks across files still run on everything), the
generator rewrites only the pages whose text changed, MkDocs rebuilds only
those (``dirty``), and the search index keeps every other page's entries.
That keeps an edit to one lesson visible within seconds even with thousands
of lessons. A page that merely shows a changed title elsewhere (navigation,
lists) may lag until the next full build; `portal build` is always complete.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator import engines
from generator.build import BuildFailed, build_portal
from generator.load import ContentCache
from generator.scratch import ScratchDir
from generator.validate import validate


def serve(root: Path, host: str, port: int) -> None:
    from mkdocs.livereload import LiveReloadServer

    from generator.console import report
    from generator.project import GENERATED_DIR

    # Removed when serving stops; if the process is killed, by the next run.
    scratch = ScratchDir("portal-serve-")
    site_dir = scratch.path / "site"
    site_dir.mkdir()
    work_dir = root / GENERATED_DIR / "serve"
    state: dict[str, object] = {"complete": False, "theme": None}
    cache = ContentCache()  # files unchanged since the last save are not parsed again
    # The preview rebuilds in place and incrementally, which only the in-process engines do.
    engine = engines.default_engine()
    engine = engine if engine in engines.IN_PROCESS else "mkdocs"

    def rebuild() -> None:
        started = time.perf_counter()
        # An incremental build renders only pages whose text changed: a change to the theme's
        # templates (overrides/) or settings (mkdocs.yml) would reach no page at all.
        theme = _theme_stamp(root)
        full = not state["complete"] or theme != state["theme"]
        portal, problems = validate(root, cache)
        if portal is None or problems.errors:
            report(root, problems.items, portal.files if portal else 0)
            click.echo("Not rebuilt: fix the errors above. Still serving the last good site.", err=True)
            return
        try:
            pages = build_portal(portal, site_dir, work_dir, dirty=not full, engine=engine)
        except BuildFailed as error:
            state["complete"] = False  # the next build starts from scratch
            click.echo(f"{error}\nFix it and save again.", err=True)
            return
        state["complete"], state["theme"] = True, theme
        click.echo(f"Rebuilt {pages} pages in {time.perf_counter() - started:.1f} s", err=True)

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    # MkDocs waits this long after a change for more changes before building. Its watcher
    # polls every 0.5 s and reports all the changes it found at once, so the wait only
    # delays every rebuild.
    server.build_delay = 0.0
    for watched in (root / "content", root / "overrides", root / "mkdocs.yml"):
        if watched.exists():
            server.watch(str(watched))
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        scratch.close()


def _theme_stamp(root: Path) -> list[tuple[str, int, int]]:
    """Name, modification time and size of mkdocs.yml and of every file in overrides/."""
    files = [root / "mkdocs.yml"]
    overrides = root / "overrides"
    if overrides.is_dir():
        files += sorted(overrides.rglob("*"))
    stamp = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        if not path.is_dir():
            stamp.append((path.as_posix(), info.st_mtime_ns, info.st_size))
    return stamp
