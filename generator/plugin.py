"""The MkDocs adapter: ``mkdocs build``/``serve`` in the repository root get the portal.

With ``compiled: false`` (the repository's own ``mkdocs.yml``) the plugin
compiles ``content/`` into generated pages before MkDocs reads its docs
folder. With ``compiled: true`` (the projects that ``portal build`` writes)
it only sanitizes rendered HTML. Either way the core stays free of MkDocs.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from generator.sanitize import Sanitizer, sanitize

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def walk_order(src_uri: str) -> tuple[tuple[int, Any], ...]:
    """Where MkDocs puts a file found in its docs folder: a top-down walk, folders and
    files by name, each folder's files before its subfolders and its index first."""
    *folders, name = src_uri.split("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (*((1, folder) for folder in folders), (0, (stem not in ("index", "README"), name)))


_THEME_TEMPLATES: dict[str, bytes] = {}
"""The theme's templates compiled in this process. MkDocs makes a new theme environment for
every build (each language of ``portal build``, each save in ``portal serve``) and would
compile the same templates again: about 0.13 s each time."""


SHARED_THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/favicon.png")
"""The theme's files that are the same in every language's site (see the option ``theme_assets``)."""

THEME_WORKER = re.compile(r"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)\Z")
PORTAL_WORKER = "assets/javascripts/workers/portal-search.js"
"""The portal's search worker (generator/assets/): it runs the theme's worker named in its query
string, and folds letters and stems words alike in the index and in what the reader types."""


def theme_asset_urls(url_filter: Any, shared: str) -> Any:
    """The theme's ``url`` filter, with the theme's search worker replaced by the portal's, and the
    theme's scripts and styles taken from the site at ``shared`` (a relative URL) when it is set."""
    from jinja2 import pass_context

    @pass_context
    def url(context: Any, value: str) -> str:
        worker = THEME_WORKER.match(value) if isinstance(value, str) else None
        if worker:
            value = f"{PORTAL_WORKER}?theme={worker.group(1)}"
        result = str(url_filter(context, value))
        relative = not re.match(r"[a-z][a-z0-9+.-]*:|/", result)
        if shared and relative and isinstance(value, str) and value.startswith(SHARED_THEME_ASSETS):
            result = shared + result.removeprefix("./")  # the same file in the site one folder above
        return result

    return url


class NavCache(dict[str, str]):
    """overrides/main.html keeps here the navigation shared by pages outside it, by folder.

    The folder is worked out here, not in the template: the templates keep to what Jinja2 and
    MiniJinja both offer, and string methods are not part of that."""

    @staticmethod
    def folder_of(url: str) -> str:
        return url.rstrip("/").rpartition("/")[0]

    def keep(self, folder: str, rendered: str) -> str:
        self[folder] = rendered
        return ""


class PortalPluginConfig(Config):
    compiled = c.Type(bool, default=False)
    """True in projects written by `portal build`: the pages are already generated."""
    content_root = c.Optional(c.Type(str))
    """The folder holding `content/`; by default the folder of mkdocs.yml."""
    search_lang = c.Optional(c.Type(str))
    """A language whose lunr stemmer the theme ships but MkDocs' search option refuses (e.g. `el`):
    written into the built search index, whose language the browser then uses."""
    search_infix = c.Type(bool, default=False)
    """Also find a query word inside longer words of the index (for languages that inflect at the
    front of words, such as Swahili); written into the built search index for the browser."""
    theme_assets = c.Optional(c.Type(str))
    """The relative URL of the site whose copy of the theme's scripts and styles this site uses
    (e.g. `../` for a language published below the default one); this site then holds none."""


class PortalPlugin(BasePlugin[PortalPluginConfig]):
    """Compiles content/ into pages (unless compiled) and sanitizes every page's HTML."""

    def _root(self, config: Any) -> Path:
        if self.config.content_root:
            return Path(self.config.content_root).resolve()
        return Path(config.config_file_path or ".").resolve().parent

    right_to_left = False
    """Whether this build's language is written right to left (set from the theme's language)."""

    def on_config(self, config: Any) -> Any:
        config = self._configure(config)
        from generator.languages import direction

        self.right_to_left = direction(str(config.theme.get("language") or "en")) == "rtl"
        return config

    def _configure(self, config: Any) -> Any:
        # jieba (Chinese word breaks for search) logs its dictionary loading at DEBUG to stderr.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        if self.config.compiled:
            return config
        from generator.project import GENERATED_DIR, mkdocs_config, read_theme_config, write_docs
        from generator.render import Renderer
        from generator.validate import validate

        root = self._root(config)
        portal, problems = validate(root)
        for problem in problems.items:
            (log.error if problem.severity == "error" else log.warning)(problem.format())
        if portal is None or problems.errors:
            raise PluginError(f"{len(problems.errors)} error(s) in content/; the site was not rebuilt")
        renderer = Renderer(portal)
        docs_dir = root / GENERATED_DIR / "docs"
        write_docs(renderer.render(), docs_dir)
        derived = mkdocs_config(
            portal, read_theme_config(root), renderer, docs_dir=docs_dir, site_dir=Path(config.site_dir)
        )
        config.docs_dir = str(docs_dir)
        config.site_name = derived["site_name"]
        config.copyright = derived["copyright"]
        config.nav = derived["nav"]
        config.theme["language"] = renderer.language
        config.extra["portal_strings"] = derived["extra"]["portal_strings"]
        config.extra["portal_theme_strings"] = derived["extra"]["portal_theme_strings"]
        from generator.anchors import HEADING_SLUG, SANE_HEADINGS

        # The heading ids and what counts as a heading, as in a project `portal build` writes.
        config.mdx_configs.setdefault("toc", {})["slugify"] = HEADING_SLUG.resolve()
        if SANE_HEADINGS not in config.markdown_extensions:
            config.markdown_extensions.append(SANE_HEADINGS)
        from pathspec.gitignore import GitIgnoreSpec

        config.not_in_nav = GitIgnoreSpec.from_lines(derived["not_in_nav"].splitlines())
        self._content_dirs = [root / "content", root / "overrides"]
        return config

    generated: dict[str, str | bytes] | None = None
    """The docs of a compiled project when they were not written out (set by `portal build`)."""

    page_urls: list[str]
    """Every page of this build, in build order (what an incremental build needs to complete
    the search index: see generator.search)."""
    rendered_urls: set[str]
    """The pages this build rendered: all of them, or in a ``dirty`` build those whose source changed."""

    def on_files(self, files: Any, config: Any) -> Any:
        from mkdocs.structure.files import File, Files

        if self.generated:
            docs = [
                File.generated(config, src_uri, content=self.generated[src_uri])
                for src_uri in sorted(self.generated, key=walk_order)
            ]
            # In the order and with the precedence MkDocs gives files read from a docs folder:
            # the docs first (in the order of a walk of the folder), then theme files they do not replace.
            taken = {file.dest_uri for file in docs}
            files = Files(docs + [file for file in files if file.dest_uri not in taken])
        # Source maps are for the theme's developers: they would be most of the site's bytes.
        # A language site that shares the theme's scripts and styles with another leaves them out.
        files = Files([file for file in files if not self._left_out(file)])
        # As pages name themselves (Page.url): the home page is '' where its file says './'.
        self.page_urls = ["" if file.url in (".", "./") else file.url for file in files.documentation_pages()]
        self.rendered_urls = set()
        return files

    def _left_out(self, file: Any) -> bool:
        if file.dest_uri.endswith(".map"):
            return True
        return bool(self.config.theme_assets) and file.dest_uri.startswith(SHARED_THEME_ASSETS)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for folder in getattr(self, "_content_dirs", []):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_page_content(self, html: str, page: Any, **kwargs: Any) -> str:
        self.rendered_urls.add(page.url)
        if self.right_to_left:
            from generator.bidi import isolate_html

            fallback = page.meta.get("portal_fallback") if page.meta else None
            html = isolate_html(html, fallback["lang"] if isinstance(fallback, dict) else "")
        sanitizer = getattr(self, "_sanitizer", None)
        return sanitizer.add(page, html) if sanitizer is not None else sanitize(html)

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        from generator.postbuild import name_search_dialog, resolve_page_links

        output = name_search_dialog(resolve_page_links(output))
        # The theme sets the direction on <body> only: on <html> it also governs the page's
        # scrollbars and anything a script or extension adds outside the body.
        if self.right_to_left:
            start = output.find("<html ")
            end = output.find(">", start)
            if start != -1 and end != -1 and " dir=" not in output[start:end]:
                output = f'{output[:end]} dir="rtl"{output[end:]}'
        return output

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        # 404.html is a theme template, not a page.
        return self.on_post_page(output_content, None, config) if template_name.endswith(".html") else output_content

    @event_priority(100)  # before any other plugin sees the pages' HTML again
    def on_env(self, env: Any, **kwargs: Any) -> Any:
        sanitizer = getattr(self, "_sanitizer", None)
        if sanitizer is not None:
            sanitizer.finish()
        # overrides/main.html keeps here the navigation shared by pages outside it, by depth.
        env.globals["portal_nav_cache"] = NavCache()
        from generator.render import CompiledTemplates

        env.bytecode_cache = CompiledTemplates(_THEME_TEMPLATES)  # templates are loaded after this event
        env.filters["url"] = theme_asset_urls(env.filters["url"], self.config.theme_assets or "")
        return env

    # --- MkDocs' warnings about a generated page name the content file it came from ----------

    def on_pre_build(self, config: Any) -> None:
        from generator.buildlog import LocatingHandler, SourceMap

        self._sanitizer: Sanitizer | None = Sanitizer()
        self._locating = LocatingHandler(SourceMap(self._root(config)))
        self._locating.install()

    def on_page_markdown(self, markdown: str, page: Any, **kwargs: Any) -> str:
        source = page.meta.get("portal_source")
        locating = getattr(self, "_locating", None)
        if locating is not None and isinstance(source, str):
            locating.sources.add(page.file.src_uri, source)
        return markdown

    @event_priority(-100)  # after the search plugin has written the index
    def on_post_build(self, config: Any) -> None:
        self._stop_locating()
        self._stop_sanitizer()
        from generator.search import set_index_options

        set_index_options(Path(config.site_dir), language=self.config.search_lang, infix=self.config.search_infix)

    def on_build_error(self, error: Exception) -> None:
        self._stop_locating()
        self._stop_sanitizer()

    def _stop_sanitizer(self) -> None:
        sanitizer = getattr(self, "_sanitizer", None)
        if sanitizer is not None:
            sanitizer.close()
            self._sanitizer = None

    def _stop_locating(self) -> None:
        locating = getattr(self, "_locating", None)
        if locating is not None:
            locating.remove()
