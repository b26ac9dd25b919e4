"""What the browser needs to track an employee's learning: page data, extra pages, interface strings.

Progress lives only in the reader's browser (``generator/assets/portal.js``). The
generator's part is to write the facts the script works from: a catalogue of every
role, path and lesson with the lessons' content fingerprints (:data:`DATA_SCRIPT`),
hooks in the pages that name a path or lesson by id, one certificate page per path,
and the ``js_*`` interface strings of the built language (through the MkDocs config,
see :func:`browser_strings`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.lookup import Messages, PageMaker
from generator.model import Item
from generator.urls import page_url

PROGRESS_PAGE = "progress.md"
CERTIFICATES = "certificates"
"""Folder of the generated certificate pages, one per path; they stay out of the navigation."""
BROWSER_PREFIX = "js_"
"""Interface strings whose key starts with this are used by the script, not by the templates."""


RECORDS_SCRIPT = "assets/records.js"
"""The learning-records script, in the site only when portal.yml switches learning records on."""
_RECORDS_SOURCE = Path(__file__).parent / "records" / "records.js"


def certificate_docs_path(path: Item[Any]) -> str:
    return f"{CERTIFICATES}/{path.slug}.md"


DATA_SCRIPT = "assets/portal-data.js"
"""The catalogue of roles, paths and lessons for the script, one file per language.

It is kept out of the pages so that an edit to one lesson changes only that lesson's page
and this file (the pages name paths by id), and so that the pages stay small at thousands
of lessons. ``portal.js`` loads it on the pages that show progress."""


def path_lessons(renderer: PageMaker, path: Item[Any]) -> list[dict[str, Any]]:
    """The steps of ``path`` as the script reads them, with lesson URLs relative to the site root."""
    lessons = renderer.portal.lessons
    return [
        {
            "id": step.lesson,
            "title": lessons[step.lesson].data.title,
            "minutes": lessons[step.lesson].data.minutes,
            "fingerprint": lessons[step.lesson].fingerprint,
            "required": step.required,
            "due_day": step.due_day,
            "url": page_url(renderer.docs_path("lessons", lessons[step.lesson])),
        }
        for step in path.data.steps
    ]


def path_info(renderer: PageMaker, path: Item[Any]) -> dict[str, Any]:
    """One path for the script: its title, page, certificate page and lessons."""
    return {
        "title": path.data.title,
        "url": page_url(renderer.docs_path("paths", path)),
        "certificate": page_url(certificate_docs_path(path)),
        "lessons": path_lessons(renderer, path),
    }


def catalogue(renderer: PageMaker) -> dict[str, Any]:
    """Every role (in ladder order) and path, with URLs relative to the site root."""
    portal = renderer.portal
    return {
        "roles": [
            {
                "id": role.id,
                "title": role.data.title,
                "url": page_url(renderer.docs_path("roles", role)),
                "paths": [p.id for p in portal.paths_of_role(role)],
            }
            for role in portal.roles_by_level()
        ],
        "paths": {path.id: path_info(renderer, path) for path in portal.paths.values()},
    }


def data_script(name: str, data: Any) -> str:
    """A script that hands ``data`` to the portal's scripts as ``window[name]``.

    A script rather than a JSON file, so that it loads from ``file://`` too, where
    browsers refuse to fetch files.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"/* Written by portal build from content/. */\nwindow.{name} = {text};\n"


def pages(renderer: PageMaker) -> dict[str, str]:
    """The progress page, one certificate page per path, and the catalogue script."""
    t = renderer.t
    result = {
        DATA_SCRIPT: data_script("portalCatalogue", catalogue(renderer)),
        PROGRESS_PAGE: renderer.page(
            "progress.md.j2", PROGRESS_PAGE, {**renderer.meta(t("progress_title"), "progress"), "hide": ["toc"]}
        )
    }
    if renderer.portal.config.learning_records is not None:
        result[RECORDS_SCRIPT] = _RECORDS_SOURCE.read_text("utf-8")
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
