"""What the browser needs to track an employee's learning: page data, extra pages, interface strings.

Progress lives only in the reader's browser (``generator/assets/portal.js``). The
generator's part is to put the facts the script works from into the pages: each
path's lessons with their content fingerprints, the roles and their paths for the
home and progress pages, one certificate page per path, and the ``js_*`` interface
strings of the built language (through the MkDocs config, see :func:`browser_strings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import render  # render imports this module too: names are read at call time

if TYPE_CHECKING:
    from generator.model import Item
    from generator.render import Messages, Renderer

PROGRESS_PAGE = "progress.md"
CERTIFICATES = "certificates"
"""Folder of the generated certificate pages, one per path; they stay out of the navigation."""
BROWSER_PREFIX = "js_"
"""Interface strings whose key starts with this are used by the script, not by the templates."""


def certificate_docs_path(path: Item[Any]) -> str:
    return f"{CERTIFICATES}/{path.slug}.md"


def path_lessons(renderer: Renderer, here: str, path: Item[Any]) -> list[dict[str, Any]]:
    """The steps of ``path`` as the script reads them, with lesson URLs relative to page ``here``."""
    lessons = renderer.portal.lessons
    return [
        {
            "id": step.lesson,
            "title": lessons[step.lesson].data.title,
            "minutes": lessons[step.lesson].data.minutes,
            "fingerprint": lessons[step.lesson].fingerprint,
            "required": step.required,
            "due_day": step.due_day,
            "url": render.relative_href(here, renderer.docs_path("lessons", lessons[step.lesson])),
        }
        for step in path.data.steps
    ]


def path_info(renderer: Renderer, here: str, path: Item[Any]) -> dict[str, Any]:
    """One path for the script: its title, page, certificate page and lessons."""
    return {
        "title": path.data.title,
        "url": render.relative_href(here, renderer.docs_path("paths", path)),
        "certificate": render.relative_href(here, certificate_docs_path(path)),
        "lessons": path_lessons(renderer, here, path),
    }


def catalogue(renderer: Renderer, here: str) -> dict[str, Any]:
    """Every role (in ladder order) and path, for pages that show progress across the portal."""
    portal = renderer.portal
    return {
        "roles": [
            {
                "id": role.id,
                "title": role.data.title,
                "url": render.relative_href(here, renderer.docs_path("roles", role)),
                "paths": [p.id for p in portal.paths_of_role(role)],
            }
            for role in portal.roles_by_level()
        ],
        "paths": {path.id: path_info(renderer, here, path) for path in portal.paths.values()},
    }


def pages(renderer: Renderer) -> dict[str, str]:
    """The progress page and one certificate page per path."""
    t = renderer.t
    result = {
        PROGRESS_PAGE: renderer.page(
            "progress.md.j2", PROGRESS_PAGE, {**renderer.meta(t("progress_title"), "progress"), "hide": ["toc"]}
        )
    }
    for path in renderer.portal.paths.values():
        docs_path = certificate_docs_path(path)
        meta = renderer.meta(t("certificate_title", path=path.data.title), "certificate", path.id)
        # A certificate page lists lesson titles only; in search it would crowd out the lessons.
        meta.update(hide=["toc", "navigation"], search={"exclude": True})
        result[docs_path] = renderer.page("certificate.md.j2", docs_path, meta, path=path)
    return result


def browser_strings(messages: Messages) -> dict[str, str]:
    """The interface strings the script uses, in the language of ``messages``."""
    return {key: value for key, value in sorted(messages.strings.items()) if key.startswith(BROWSER_PREFIX)}
