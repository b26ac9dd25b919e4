"""Adjustments to the search index the theme writes: for languages MkDocs does not know, and
after an incremental build, which indexes only the pages it rebuilt."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

INDEX = Path("search") / "search_index.json"
"""Where the theme's search plugin writes the index, below a language's site folder."""


def stemmer_available(language: str) -> bool:
    """Whether the theme ships lunr's stemmer for ``language`` (the browser loads it from the site)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    return (folder / f"lunr.{language}.min.js").is_file()


def set_index_options(site_dir: Path, *, language: str | None = None, infix: bool = False) -> None:
    """Write into the built index what the portal's search worker reads from its ``config``.

    ``language``: the browser then stems the index as that language. MkDocs checks the
    search plugin's ``lang`` against the stemmers MkDocs itself ships and silently uses
    English for the others, although Material ships more (Greek among them).
    ``infix``: a query word is also found inside longer words (``portal.infix``).
    """
    index = site_dir / INDEX
    if not index.is_file() or (language is None and not infix):
        return
    data = json.loads(index.read_text("utf-8"))
    config = data.setdefault("config", {})
    if language is not None:
        if stemmer_available(language):
            config["lang"] = [language]
        else:
            log.warning(f"the theme has no search stemmer for '{language}'; the index stays as it was")
    if infix:
        config["portal"] = {"infix": True}
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def read_index(site_dir: Path) -> dict[str, Any] | None:
    """The search index built into ``site_dir``, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((site_dir / INDEX).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("docs"), list) else None


def merge_index(site_dir: Path, previous: dict[str, Any], pages: list[str], rebuilt: set[str]) -> None:
    """Make the index of an incremental build hold every page again.

    MkDocs' incremental (``dirty``) build renders only the pages whose source changed,
    and the search plugin then writes an index of those pages alone; the theme's own
    remedy keeps its plugin across rebuilds, which a build per language cannot.
    ``previous`` is the complete index from before the build, ``pages`` the URLs of
    every page now in the site (in build order) and ``rebuilt`` those just rendered:
    their entries come from the new index, every other page's from ``previous``, and
    pages that are gone lose theirs. Entries keep build order, so the result is the
    index a full build writes.
    """
    current = read_index(site_dir)
    if current is None:
        return
    fresh: dict[str, list[Any]] = {}
    for entry in current["docs"]:
        fresh.setdefault(_page_of(entry), []).append(entry)
    kept: dict[str, list[Any]] = {}
    for entry in previous["docs"]:
        page = _page_of(entry)
        if page not in rebuilt:
            kept.setdefault(page, []).append(entry)
    current["docs"] = [entry for page in pages for entry in fresh.get(page, kept.get(page, ()))]
    (site_dir / INDEX).write_text(json.dumps(current, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _page_of(entry: Any) -> str:
    """The page URL of an index entry (its location without the section anchor)."""
    location = entry.get("location", "") if isinstance(entry, dict) else ""
    return str(location).partition("#")[0]
