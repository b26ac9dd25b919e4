"""Read ``content/`` into a :class:`~generator.model.Portal`, one file at a time.

Every problem is collected with its file, line and column; a file with an
error is left out of the portal so that later checks do not trip over it.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from pathlib import Path
from typing import Any, TypeVar

from generator import schema
from generator.errors import Problems
from generator.kinds.registry import CONTENT_KINDS, PLAYBOOK_KINDS, TRANSLATABLE
from generator.lookup import custom_playbook_template
from generator.model import OWN_FOLDERS, Item, Lesson, Portal, fingerprint, page_slug
from generator.shape import (
    SUFFIX_SLIPS,
    ContentCache,
    check_shape,
    closest,
    read_text,
    read_yaml,
    relative,
    report_hazards,
)
from generator.translations import load_translations
from generator.yamlio import Document, YamlProblem, parse, problems_from, split_front_matter

R = TypeVar("R")

CONTENT_DIR = "content"
TRANSLATABLE_KINDS = tuple(TRANSLATABLE)
"""Folders whose files may have translations beside them (``<id>.<language>.<ext>``)."""
SUFFIXES = {folder: kind.suffix for folder, kind in CONTENT_KINDS.items()}
_KIND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def _symlinks(folder: Path) -> list[Path]:
    """Every symbolic link below ``folder``, without following any (one directory read per folder)."""
    found: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                found.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                found += _symlinks(Path(entry.path))
    return found



def load_portal(root: Path) -> tuple[Portal | None, Problems]:
    """Read and check every file of ``root/content`` on its own (cross-file checks come later).

    The portal is None when ``content/portal.yml`` could not be read.
    """
    portal, problems = load_content(root)
    return (portal if portal is not None and portal.config is not None else None), problems



def load_content(root: Path, cache: ContentCache | None = None, *,
                 translations: bool = True) -> tuple[Portal | None, Problems]:
    """Like :func:`load_portal`, but keeps what could be read even when ``portal.yml`` could not.

    The cross-file checks then still run, so one run reports every mistake;
    the returned portal's ``config`` is None in that case and it must not be
    rendered. None only when there is no ``content/`` folder. With ``cache``,
    files unchanged since its last run are not parsed again (see :class:`ContentCache`). Without
    ``translations``, files in other languages are counted but not read (for reports, which show the source).
    """
    problems = Problems()
    content = root / CONTENT_DIR
    if not content.is_dir():
        problems.add(CONTENT_DIR, 0, 0, "no content/ folder here", hint="run portal in the repository root")
        return None, problems
    for link in sorted(_symlinks(content)):
        problems.add(relative(link, root), 0, 0, "symbolic links are not allowed in content/",
                     hint="copy it in instead")
    _check_top_level(content, root, problems)
    config_path = content / "portal.yml"
    files = 0
    config = config_doc = None
    if not config_path.exists():
        problems.add(relative(config_path, root), 0, 0, "missing: every portal needs content/portal.yml")
    elif not config_path.is_symlink():
        files += 1

        def read_config(found: Problems, raw: bytes | None) -> tuple[Document | None, schema.PortalConfig | None]:
            doc = read_yaml(config_path, root, found, raw)
            if doc is None:
                return None, None
            return doc, check_shape(schema.PortalConfig, doc, relative(config_path, root), found)

        config_doc, config = (
            cache.read(config_path, problems, read_config) if cache is not None else read_config(problems, None)
        )
    portal = Portal(root, config, config_doc)  # type: ignore[arg-type]
    found: dict[str, dict[str, Any]] = {kind: {} for kind in SUFFIXES}
    # Files named <id>.<language>.<ext> (and portal.<language>.yml) are translations, read last.
    translated: list[tuple[str, Path]] = [("portal", p) for p in sorted(content.glob("portal.*.yml"))]
    files += len(translated)
    for kind, suffix in SUFFIXES.items():
        folder = content / kind
        portal.unreadable[kind] = set()
        if not folder.is_dir():
            continue
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.is_symlink() or entry.name.startswith("."):
                continue  # links are reported above
            path = Path(entry.path)
            rel = relative(path, root)
            if entry.is_dir(follow_symlinks=False):
                problems.add(rel, 0, 0, f"folders are not read inside content/{kind}/", severity="warning")
                continue
            if path.suffix != suffix:
                if path.suffix in SUFFIX_SLIPS:
                    problems.add(
                        rel, 0, 0, f"not a {suffix} file, so it would be left out of the portal",
                        hint=f"rename it to {path.stem}{suffix}",
                    )
                    portal.unreadable[kind].add(path.stem)
                else:
                    problems.add(
                        rel, 0, 0, f"not a {suffix} file; it is ignored", severity="warning",
                        hint=f"files in content/{kind}/ end in {suffix}",
                    )
                continue
            files += 1
            if "." in path.stem and kind in TRANSLATABLE_KINDS:
                translated.append((kind, path))
                continue
            # A playbook's kind may name a template in overrides/: its result depends on more than its bytes.
            if cache is not None and CONTENT_KINDS[kind].model is not None:
                item = cache.read(path, problems, functools.partial(_load_item, kind, path, root))
            else:
                item = _load_item(kind, path, root, problems)
            if item is not None:
                found[kind][item.id] = item
            else:
                portal.unreadable[kind].add(path.stem)
    portal.files = problems.files = files
    portal.kinds = dict(CONTENT_KINDS)
    for kind, items in found.items():
        if kind in OWN_FOLDERS:
            setattr(portal, kind, items)
        else:
            portal.others[kind] = items
    if portal.config is not None and translations:  # which languages exist is a setting of portal.yml
        load_translations(portal, translated, problems, cache)
    if cache is not None:
        cache.forget_unseen()
    return portal, problems


def load_item(kind: str, path: Path, root: Path, problems: Problems) -> Item[Any] | None:
    """Read and check one file of ``content/<kind>/`` on its own (as :func:`load_portal` does)."""
    return _load_item(kind, path, root, problems)


def _check_top_level(content: Path, root: Path, problems: Problems) -> None:
    """A folder or file near the name of one the portal reads was probably meant to be it."""
    expected = [*SUFFIXES, "portal.yml"]
    for entry in sorted(content.iterdir()):
        if entry.name in expected or entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.name.startswith("portal.") and entry.name.endswith(".yml"):
            continue  # portal.<language>.yml: a translation, read with the others
        guess = difflib.get_close_matches(entry.name, expected, n=1, cutoff=0.75)
        if guess:
            problems.add(
                relative(entry, root), 0, 0, f"`{entry.name}` is not read; did you mean `{guess[0]}`?",
                severity="warning", hint=f"rename it to {guess[0]}",
            )


def _load_item(kind: str, path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> Item[Any] | None:
    rel = relative(path, root)
    item_id = path.stem
    model = CONTENT_KINDS[kind].model
    if CONTENT_KINDS[kind].suffix == ".md":
        return _load_lesson(path, root, problems, raw, model)
    doc = read_yaml(path, root, problems, raw)
    if doc is None:
        return None
    data = check_shape(model, doc, rel, problems) if model is not None else _check_playbook(doc, rel, root, problems)
    if data is None:
        return None
    return Item(item_id, data, rel, doc, page_slug(item_id))


def _check_playbook(doc: Document, rel: str, root: Path, problems: Problems) -> schema.PlaybookBase | None:
    if not isinstance(doc.data, dict):
        return check_shape(schema.CustomPlaybook, doc, rel, problems)
    kind = doc.data.get("kind")
    if not isinstance(kind, str) or not kind:
        line, col = doc.value_at(())
        problems.add(
            rel, line, col, "missing required field `kind`",
            hint="one of " + ", ".join(PLAYBOOK_KINDS) + ", or a kind with a template in overrides/",
        )
        return None
    if not _KIND.match(kind):
        line, col = doc.value_at(("kind",))
        problems.add(
            rel, line, col, f"`kind` {kind[:40]!r} is not in the expected form",
            hint="lowercase letters, digits and hyphens, e.g. tone or code-of-conduct",
        )
        return None
    known = PLAYBOOK_KINDS.get(kind)
    if known is not None:
        return check_shape(known.model, doc, rel, problems)  # type: ignore[return-value]
    if custom_playbook_template(root, kind) is None:
        line, col = doc.value_at(("kind",))
        guess = closest(kind, PLAYBOOK_KINDS)
        message = f"unknown playbook kind `{kind}`" + (f"; did you mean `{guess}`?" if guess else "")
        problems.add(
            rel, line, col, message,
            hint=f"built-in kinds: {', '.join(PLAYBOOK_KINDS)}; "
            f"a new kind needs overrides/portal/playbooks/{kind}.md.j2",
        )
        return None
    return check_shape(schema.CustomPlaybook, doc, rel, problems)



def _load_lesson(
    path: Path, root: Path, problems: Problems, raw: bytes | None = None, model: Any = schema.LessonMeta
) -> Lesson | None:
    rel = relative(path, root)
    text = read_text(path, root, problems, raw)
    if text is None:
        return None
    try:
        front, body, body_line = split_front_matter(text)
        doc = parse(front, line_offset=1)
    except YamlProblem as exc:
        problems.extend(problems_from(exc, rel))
        return None
    meta = check_shape(model, doc, rel, problems)
    if meta is None:
        report_hazards(problems, rel, body, body_line)  # the body's own mistakes, in the same run
        return None
    if not body.strip():
        problems.add(rel, body_line, 1, "the lesson has no text below its front matter")
        return None
    item_id = path.stem
    return Lesson(
        item_id, meta, rel, doc, page_slug(item_id),
        body=body, body_line=body_line, fingerprint=fingerprint(front, body),
    )
