"""Adjustments to the search index the theme writes, for languages MkDocs does not know."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def stemmer_available(language: str) -> bool:
    """Whether the theme ships lunr's stemmer for ``language`` (the browser loads it from the site)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    return (folder / f"lunr.{language}.min.js").is_file()


def set_index_language(site_dir: Path, language: str) -> None:
    """Make the built index search in ``language``: the browser then stems and folds it as that language.

    MkDocs checks the search plugin's ``lang`` against the stemmers MkDocs itself ships and
    silently uses English for the others, although Material ships more (Greek among them).
    """
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return
    if not stemmer_available(language):
        log.warning(f"the theme has no search stemmer for '{language}'; the index stays as it was")
        return
    data = json.loads(index.read_text("utf-8"))
    data.setdefault("config", {})["lang"] = [language]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
