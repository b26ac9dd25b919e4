"""Compressed copies of a built site's larger text files, for servers that serve them as they are.

A web server that supports precompressed files (nginx ``gzip_static``/``brotli_static``,
Caddy's ``precompressed``, Apache with a rewrite rule) sends ``page.html.gz`` or
``page.html.br`` to a browser that accepts it, without compressing on every request.
gzip comes from the standard library. Brotli (about a fifth smaller than gzip on the
search index) comes from Google's own ``brotli`` bindings on PyPI, the reference
implementation, for the large files only (the search index, the theme's script and styles):
there it saves about a seventh over gzip, and compressing every page too would add seconds to each
build for a few bytes. Without the package only ``.gz`` files are written.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

COMPRESSIBLE = frozenset({".html", ".js", ".css", ".json", ".svg", ".xml", ".txt"})
"""Text formats worth compressing (images and fonts are compressed already)."""

SMALLEST = 1024
"""Files below this size gain too little from compression to be worth a second request path."""

LARGE = 64 * 1024
"""Files from this size on also get a brotli copy."""


def precompress(site_dir: Path) -> int:
    """Write ``name.gz`` beside each text file of ``site_dir`` from :data:`SMALLEST` on, and
    ``name.br`` beside those from :data:`LARGE` on (when brotli is installed); returns how many
    files were compressed. The output depends only on the input."""
    files = sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())
    return precompress_files(site_dir, files)


def precompress_files(site_dir: Path, files: Iterable[str]) -> int:
    """:func:`precompress` for some of a site's files (relative to ``site_dir``); each file is
    compressed on its own, so a site's files may be shared among processes."""
    try:
        import brotli
    except ImportError:  # an optional speed-up for servers; gzip alone is complete
        brotli = None
    count = 0
    for rel in files:
        path = site_dir / rel
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        gzipped = path.with_name(path.name + ".gz")
        if gzipped.exists():  # MkDocs' own sitemap.xml.gz, stamped with the build date: kept
            continue
        data = path.read_bytes()
        if len(data) < SMALLEST:
            continue
        # mtime=0 and no file name: the same page always gives the same bytes.
        gzipped.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
        if brotli is not None and len(data) >= LARGE:
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=9))
        count += 1
    return count
