"""Write a checked portal out as a plain MkDocs project: a docs folder and a config.

The project runs unchanged on MkDocs 1.6 (and its drop-in forks); the only
plugin it names, ``advocacy-portal`` with ``compiled: true``, sanitizes the
rendered HTML as a second layer and can be dropped by an engine without
plugins.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import html
import os
import urllib.parse
from pathlib import Path
from typing import Any

import yaml

from generator import learning, xapi
from generator.anchors import PythonCall, markdown_settings
from generator.languages import configure as configure_language
from generator.model import Portal
from generator.render import Renderer
from generator.yamlio import load_settings

ASSETS = Path(__file__).parent / "assets"
LIBRARY_SCRIPTS = ("assets/lib/text.js", "assets/lib/schedule.js", "assets/lib/export.js", "assets/lib/posts.js")
"""What the portal's page scripts share (``generator/assets/lib/``: the interface-string formatter,
the data loaders, the day-counting, CSV/iCalendar and post-counting rules), loaded before them."""
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _ConfigDumper(_SafeDumper):  # type: ignore[misc, valid-type]
    """Writes the generated ``mkdocs.yml``: safe YAML, plus the one function MkDocs must call
    (the heading slugs, as ``!!python/object/apply:``)."""


_ConfigDumper.add_representer(
    PythonCall,
    lambda dumper, call: dumper.represent_mapping(f"tag:yaml.org,2002:python/object/apply:{call.function}",
                                                  {"kwds": call.kwds}),
)
PLUGIN_NAME = "advocacy-portal"
GENERATED_DIR = ".portal"
"""Below the repository root: generated docs for ``mkdocs build``/``serve`` (ignored by git)."""


def read_theme_config(root: Path) -> dict[str, Any]:
    """The repository's ``mkdocs.yml``, read without the unsafe loader MkDocs itself uses."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the repository needs an mkdocs.yml (theme and Markdown settings)")
    data = load_settings(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of settings")
    return data


def markdown_extensions(root: Path) -> Any:
    """The ``markdown_extensions`` of the repository's ``mkdocs.yml``, which the build's pages are read with."""
    return read_theme_config(root).get("markdown_extensions")


def theme_has_language(root: Path, code: str) -> bool:
    """Whether the theme (Material, or the repository's ``overrides/``) has interface strings for ``code``."""
    import material  # the theme is the engine's side: the core never imports it

    name = Path("partials") / "languages" / f"{code}.html"
    theme = Path(material.__file__).parent / "templates"
    return (root / "overrides" / name).is_file() or (theme / name).is_file()


def site_name(portal: Portal) -> str:
    """The header title; escaped because the theme prints it as HTML."""
    return html.escape(f"{portal.config.organisation} · {portal.config.program}", quote=False)


def mkdocs_config(
    portal: Portal, base: dict[str, Any], renderer: Renderer, *, docs_dir: Path, site_dir: Path
) -> dict[str, Any]:
    """The MkDocs config for one language: the repository's settings plus what content decides."""
    config = copy.deepcopy(base)
    config.update(
        site_name=site_name(portal),
        docs_dir=str(docs_dir),
        site_dir=str(site_dir),
        nav=renderer.nav(),
        not_in_nav=renderer.not_in_nav(),
        copyright=html.escape(portal.config.organisation, quote=False),
        strict=True,
    )
    theme = dict(config.get("theme") or {"name": "material"})
    custom_dir = theme.get("custom_dir")
    if custom_dir:
        theme["custom_dir"] = str((portal.root / custom_dir).resolve())
    theme["language"] = renderer.language
    config["theme"] = theme
    # overrides/main.html hands these to the script as JSON, in the language of this build.
    config["extra"] = {
        **(config.get("extra") or {}), "portal_strings": learning.browser_strings(renderer.t),
        # overrides/partials/copyright.html: the theme's own footer words, in this language.
        "portal_theme_strings": {"made_with": renderer.t("theme_made_with")},
    }
    # The rules and helpers the portal's scripts share come first, whatever the repository lists.
    config["extra_javascript"] = [
        *LIBRARY_SCRIPTS, *(s for s in config.get("extra_javascript") or [] if s not in LIBRARY_SCRIPTS)
    ]
    if portal.config.learning_records is not None:
        config["extra"]["portal_records"] = records_settings(portal)
        config["extra_javascript"] = [*(config.get("extra_javascript") or []), learning.RECORDS_SCRIPT]
    plugins = []
    for entry in config.get("plugins") or ["search"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == PLUGIN_NAME:
            continue
        plugins.append({name: options} if options else name)
    # Always present, and first, so that search indexes what it sanitized: it cleans every
    # page's HTML (the second layer of defence) and points MkDocs' warnings about a
    # generated page at its content file.
    plugins.insert(0, {PLUGIN_NAME: {"compiled": True, "content_root": str(portal.root)}})
    config["plugins"] = plugins
    config["validation"] = strict_validation(config.get("validation"))
    # The heading ids and what counts as a heading, as `portal validate` computes them.
    config["markdown_extensions"] = markdown_settings(config.get("markdown_extensions"))
    configure_language(config, portal, renderer.language)
    return config


def records_settings(portal: Portal) -> dict[str, Any]:
    """What the records script needs: where to send, how the learner is known, the vocabulary.

    With ``auth: basic`` the credential is read from the environment here, at build time, and put
    in every page: it must be a write-only one (see the README).
    """
    records = portal.config.learning_records
    assert records is not None
    settings: dict[str, Any] = {
        "endpoint": records.endpoint,
        "identity": records.identity,
        "identity_endpoint": records.identity_endpoint,
        "email_domains": list(records.email_domains),
        "batch_size": records.batch_size,
        "vocabulary": xapi.vocabulary(portal.config.site_url or ""),
        # For the pages' Content-Security-Policy: the LRS's origin when it is another host.
        "origin": "",
    }
    if records.endpoint.startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(records.endpoint)
        settings["origin"] = f"{parts.scheme}://{parts.netloc}"
    if records.auth == "basic" and records.credential_env:
        credential = os.environ.get(records.credential_env, "")
        settings["authorization"] = "Basic " + base64.b64encode(credential.encode()).decode()
    return settings


def strict_validation(configured: Any) -> dict[str, Any]:
    """MkDocs' link, anchor and nav checks at ``warn``, so that the strict build fails on any of them.

    Lower levels in the repository's mkdocs.yml (``info``, ``ignore``) would let a
    broken link or anchor through silently.
    """
    validation = copy.deepcopy(configured) if isinstance(configured, dict) else {}
    for group, checks in (
        ("nav", ("omitted_files", "not_found", "absolute_links")),
        ("links", ("not_found", "anchors", "absolute_links", "unrecognized_links")),
    ):
        configured_group = validation.get(group)
        settings: dict[str, Any] = configured_group if isinstance(configured_group, dict) else {}
        validation[group] = {**settings, **{check: "warn" for check in checks}}
    return validation


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write ``content`` unless the file already holds it (keeps mtimes for incremental builds)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def docs_files(pages: dict[str, str]) -> dict[str, str | bytes]:
    """Everything the docs folder holds: the generated pages and the portal's assets."""
    files: dict[str, str | bytes] = dict(pages)
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            files[f"assets/{asset.relative_to(ASSETS).as_posix()}"] = asset.read_bytes()
    return files


def write_docs(pages: dict[str, str], docs_dir: Path) -> None:
    """Make ``docs_dir`` hold exactly ``pages`` and the portal's assets; remove anything else."""
    write_docs_files(docs_files(pages), docs_dir)


def write_docs_files(wanted: dict[str, str | bytes], docs_dir: Path) -> None:
    """Make ``docs_dir`` hold exactly ``wanted`` (``{path: content}``); remove anything else."""
    for rel, content in wanted.items():
        write_if_changed(docs_dir / rel, content)
    for existing in sorted(docs_dir.rglob("*"), reverse=True):
        rel = existing.relative_to(docs_dir).as_posix()
        if existing.is_file() and rel not in wanted:
            existing.unlink()
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()


@dataclasses.dataclass
class Project:
    """One language's MkDocs project: its config file and what its docs folder holds."""

    config_path: Path
    files: dict[str, str | bytes]
    written: bool
    """True when ``files`` are in the docs folder; else they exist only here, in memory."""

    @property
    def pages(self) -> int:
        return sum(1 for rel in self.files if rel.endswith(".md"))


def prepare_project(
    portal: Portal, project_dir: Path, site_dir: Path, language: str | None = None, *, write: bool = True,
    self_contained: bool = False,
) -> Project:
    """Render one language and write its ``mkdocs.yml`` (and, if ``write``, its docs folder).

    Without ``write`` the docs folder is left empty and the pages stay in memory, for
    the ``advocacy-portal`` plugin to hand to MkDocs: a full build then does not write
    thousands of files only for MkDocs to read them back.

    ``self_contained`` writes the docs and site folders relative to the project, the site
    folder inside it (``site/``; ``site_dir`` is then where the caller moves it): Zensical
    refuses an absolute docs folder and a site folder outside the project.
    """
    renderer = Renderer(portal, language)
    docs_dir = project_dir / "docs"
    files = docs_files(renderer.render())
    if write:
        write_docs_files(files, docs_dir)
    else:
        write_docs_files({}, docs_dir)  # nothing left from an earlier build to clash with the pages
        docs_dir.mkdir(parents=True, exist_ok=True)
    # The renderer's portal holds the text of its language (the site name among it).
    config = mkdocs_config(
        renderer.portal, read_theme_config(portal.root), renderer,
        docs_dir=Path("docs") if self_contained else docs_dir, site_dir=Path("site") if self_contained else site_dir,
    )
    # Relative to the config, so the project can move and any engine reads it (Zensical stops at
    # an absolute docs_dir); the site folder may lie outside it for MkDocs, not for Zensical.
    config["docs_dir"] = "docs"
    config["site_dir"] = "site" if self_contained else os.path.relpath(site_dir, project_dir)
    config_path = project_dir / "mkdocs.yml"
    header = "# Written by `portal build` from content/ and the repository's mkdocs.yml. Do not edit.\n"
    text = yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False)
    write_if_changed(config_path, header + text)
    return Project(config_path, files, write)


def write_project(portal: Portal, project_dir: Path, site_dir: Path, language: str | None = None) -> Path:
    """Write docs and ``mkdocs.yml`` for one language into ``project_dir``; returns the config path."""
    return prepare_project(portal, project_dir, site_dir, language).config_path
