"""Live preview: rebuild on every change to content/, overrides/ or mkdocs.yml.

A broken edit prints its located errors and the last good site stays
served, because a build only replaces the served folder when it succeeded.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import click

from generator.build import BuildFailed, build
from generator.errors import ContentError

log = logging.getLogger("mkdocs.plugins.generator.serve")


def serve(root: Path, host: str, port: int) -> None:
    from mkdocs.livereload import LiveReloadServer

    from generator.cli import report
    from generator.project import GENERATED_DIR

    site_parent = Path(tempfile.mkdtemp(prefix="portal-serve-"))
    site_dir = site_parent / "site"
    work_dir = root / GENERATED_DIR / "serve"

    def rebuild() -> None:
        try:
            result = build(root, site_dir, work_dir=work_dir)
        except ContentError as error:
            report(root, error.problems, 0)
            click.echo("Not rebuilt: fix the errors above. Still serving the last good site.", err=True)
            return
        except BuildFailed as error:
            click.echo(f"{error}\nStill serving the last good site.", err=True)
            return
        click.echo(f"Rebuilt {result.pages} pages in {result.seconds:.1f} s", err=True)

    rebuild()
    site_dir.mkdir(exist_ok=True)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
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
