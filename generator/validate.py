"""Check everything ``portal build`` would meet: the content, the links on the rendered pages, the templates.

This module joins the parts that must not know each other: :mod:`generator.checks`
(the content, engine-free), :mod:`generator.render` (the pages the links land on) and the
engine's side (:mod:`generator.project` reads ``mkdocs.yml`` and the theme,
:mod:`generator.templatecheck` compiles the templates). It is what the commands call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import checks
from generator.errors import Problems
from generator.history import NONE
from generator.load import ContentCache, load_content
from generator.memory import collector_paused
from generator.model import Portal
from generator.project import docs_files, markdown_extensions, theme_has_language
from generator.render import Renderer
from generator.templatecheck import check_templates


def _renderer(portal: Portal, language: str | None) -> Any:
    renderer = Renderer(portal, language)
    renderer.__dict__["history"] = NONE  # page dates do not change ids; spare git
    return renderer


RENDERING = checks.Rendering(
    renderer=_renderer, docs_files=docs_files, markdown_settings=markdown_extensions,
    theme_has_language=theme_has_language,
)
"""The portal's own pages and theme, for the checks that judge links on rendered pages."""


def validate(root: Path, cache: ContentCache | None = None) -> tuple[Portal | None, Problems]:
    """Load ``root/content`` and run every check; the portal is None when it could not be read.

    ``cache`` (for a process that validates again after each edit) spares parsing unchanged files.
    """
    with collector_paused():
        portal, problems = load_content(root, cache)
        if portal is not None:
            checks.check_portal(portal, problems, RENDERING)
            check_templates(portal, problems)
    return (portal if portal is not None and portal.config is not None else None), problems


def check_portal(portal: Portal, problems: Problems, *, links: bool = True) -> None:
    """Every cross-file check of :mod:`generator.checks`, with the portal's own pages for the links
    (without ``links``, not the links to sections of the rendered pages)."""
    checks.check_portal(portal, problems, RENDERING, links=links)
