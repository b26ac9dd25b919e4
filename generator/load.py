"""Read ``content/`` into a :class:`~generator.model.Portal`, one file at a time.

Every problem is collected with its file, line and column; a file with an
error is left out of the portal so that later checks do not trip over it.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import os
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from generator import markup, schema
from generator.errors import Problem, Problems
from generator.model import Item, Lesson, Portal, fingerprint, page_slug
from generator.yamlio import Document, YamlProblem, decode, parse, problems_from, split_front_matter

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

CONTENT_DIR = "content"
TRANSLATABLE_KINDS = ("roles", "paths", "playbooks", "lessons")
"""Folders whose files may have translations beside them (``<id>.<language>.<ext>``)."""
SUFFIXES = {"roles": ".yml", "paths": ".yml", "playbooks": ".yml", "lessons": ".md", "posts": ".yml"}
_KIND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def relative(path: Path, root: Path) -> str:
    """``path`` relative to the repository root, with forward slashes, for messages."""
    text, prefix = path.as_posix(), root.as_posix().rstrip("/") + "/"
    return text[len(prefix) :] if text.startswith(prefix) else text  # str slicing: pathlib is slow here


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


def read_text(path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> str | None:
    """A content file's text, or ``None`` after recording why it cannot be read.

    ``raw``: the file's bytes, already read (by :class:`ContentCache`); they are decoded as they are.
    """
    rel = relative(path, root)
    if raw is None and path.is_symlink():
        problems.add(rel, 0, 0, "symbolic links are not allowed in content/", hint="copy the file in instead")
        return None
    try:
        return decode(path.read_bytes() if raw is None else raw)
    except YamlProblem as exc:
        problems.extend(problems_from(exc, rel))
    except OSError as exc:
        problems.add(rel, 0, 0, f"cannot read file: {exc.strerror}")
    return None


def read_yaml(path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> Document | None:
    text = read_text(path, root, problems, raw)
    if text is None:
        return None
    try:
        return parse(text)
    except YamlProblem as exc:
        problems.extend(problems_from(exc, relative(path, root)))
        return None


def check_shape(model: type[M], doc: Document, rel: str, problems: Problems) -> M | None:
    """Validate ``doc`` against ``model``; translate every schema error into a located problem."""
    if not isinstance(doc.data, dict):
        line, col = doc.value_at(())
        problems.add(rel, line, col, f"expected a mapping of fields (key: value), got {_describe(doc.data)}")
        return None
    try:
        return model.model_validate(doc.data)
    except pydantic.ValidationError as error:
        for detail in error.errors(include_url=False):
            line, col, message, hint = _explain(model, doc, detail)
            problems.add(rel, line, col, message, hint=hint)
        return None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the text {str(value)[:40]!r}"


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "file"


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (for suggesting names)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0] if args else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def closest(name: str, candidates: typing.Iterable[str]) -> str | None:
    """The candidate nearest to a misspelt ``name``, if any is near.

    Never ``name`` itself, nor a candidate that looks the same once normalised (accents
    stored another way, invisible characters, surrounding blanks): "did you mean" must
    show the editor something they can see is different. :func:`same_looking` explains those.
    """
    plain = looks(name)
    others = [c for c in candidates if looks(c) != plain]
    matches = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
    return matches[0] if matches else None


def looks(text: str) -> str:
    """``text`` as a reader sees it: NFC, without invisible characters or surrounding blanks."""
    shown = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in shown if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def same_looking(name: str, candidates: typing.Iterable[str]) -> tuple[str, str] | None:
    """A candidate that looks like ``name`` but differs, and why, in words for the editor."""
    plain = looks(name)
    for candidate in candidates:
        if candidate == name or looks(candidate) != plain:
            continue
        if unicodedata.normalize("NFC", candidate) == unicodedata.normalize("NFC", name):
            forms = (_form(name), _form(candidate))
            return candidate, (
                f"`{candidate}` looks the same, but the two store their accents differently "
                f"(Unicode {forms[0]} here, {forms[1]} there)"
            )
        if candidate.strip() == name.strip() or name.strip() == candidate:
            return candidate, f"it is `{candidate}` with blanks around it"
        return candidate, f"`{candidate}` looks the same, but one of them holds invisible characters"
    return None


def _form(text: str) -> str:
    if unicodedata.is_normalized("NFC", text):
        return "NFC"
    return "NFD" if unicodedata.is_normalized("NFD", text) else "a mixed form"


def _explain(model: type[BaseModel], doc: Document, detail: Any) -> tuple[int, int, str, str | None]:
    loc = tuple(detail["loc"])
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    field = _field_name(loc)
    given = detail.get("input")
    hint = None
    if kind == "missing":
        line, col = doc.value_at(loc[:-1])
        return line, col, f"missing required field `{loc[-1]}`", None
    if kind == "extra_forbidden":
        line, col = doc.where(loc)
        owner = _model_at(model, loc[:-1])
        known = list(owner.model_fields) if owner else []
        guess = closest(str(loc[-1]), known)
        message = f"unknown field `{loc[-1]}`"
        if guess:
            message += f"; did you mean `{guess}`?"
        elif known:
            hint = "allowed here: " + ", ".join(known)
        return line, col, message, hint
    line, col = doc.value_at(loc)
    if kind == "value_error":
        message = str(ctx.get("error", detail["msg"]))
    elif kind in ("string_too_short", "string_pattern_mismatch") and isinstance(given, str) and not given.strip():
        message = "must not be empty"
    elif kind == "string_too_short":
        message = f"is too short (at least {ctx.get('min_length')} characters)"
    elif kind == "string_too_long":
        message = f"is too long ({len(given)} characters; at most {ctx.get('max_length')})"
    elif kind == "string_pattern_mismatch":
        message = f"{given!r} is not in the expected form"
        hint = _pattern_hint(str(ctx.get("pattern", "")))
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {given}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}, got {given}"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length')} item(s)"
    elif kind == "too_long":
        message = f"has too many items (at most {ctx.get('max_length')})"
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected')}, got {given!r}"
    elif kind == "list_type":
        message = f"expected a list (lines starting with '- '), got {_describe(given)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping of fields (key: value), got {_describe(given)}"
    elif kind == "string_type":
        message = f"expected text, got {_describe(given)}"
        if isinstance(given, dict) and len(given) == 1:
            # `- Note: be kind` reads as a mapping; the editor meant one text with ': ' in it.
            hint = "a ': ' inside a value starts a mapping: put the whole text in quotes"
    else:
        message = detail["msg"][0].lower() + detail["msg"][1:]
    return line, col, f"`{field}` {message}", hint


def _pattern_hint(pattern: str) -> str | None:
    if pattern.startswith("^https"):
        return "use an https:// address"
    if "a-z0-9" in pattern:
        return "use lowercase letters, digits and hyphens, e.g. customer-complaint"
    if pattern.startswith("^#"):
        return "a hashtag is # followed by letters or digits, e.g. #JuaTeam"
    return None


def load_portal(root: Path) -> tuple[Portal | None, Problems]:
    """Read and check every file of ``root/content`` on its own (cross-file checks come later).

    The portal is None when ``content/portal.yml`` could not be read.
    """
    portal, problems = load_content(root)
    return (portal if portal is not None and portal.config is not None else None), problems


SUFFIX_SLIPS = {".yaml": ".yml", ".YML": ".yml", ".YAML": ".yml", ".MD": ".md", ".markdown": ".md",
                ".mdown": ".md"}
"""Suffixes an editor may write by mistake: the file would be silently left out, so they are errors."""


class ContentCache:
    """What reading each content file gave, kept by a process that reads ``content/`` again and again.

    ``portal serve`` reads the content on every save; given a cache, :func:`load_content`
    parses and checks again only the files whose bytes changed. An entry (the item, or
    None, and the problems the file reported) is reused only while the file holds the
    same bytes and the other inputs of that result are the very same objects (a
    translation's source item), so a run with the cache gives exactly what a fresh run
    gives. Checks across files always run on the whole portal.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[bytes, tuple[object, ...], Any, list[Problem]]] = {}
        self._seen: set[Path] = set()

    def read(
        self, path: Path, problems: Problems, load: Callable[[Problems, bytes | None], R], *depends: object
    ) -> R:
        """``load(problems, raw)`` for the file at ``path``, or what it gave before for the same bytes.

        ``load`` must parse ``raw`` (the file's bytes, None when they could not be read)
        rather than read the file again, and depend on nothing but them and ``depends``.
        """
        self._seen.add(path)
        raw: bytes | None = None
        if not path.is_symlink():  # a link is reported by the loader, never cached
            with contextlib.suppress(OSError):
                raw = path.read_bytes()
        entry = self._entries.get(path)
        if (raw is not None and entry is not None and entry[0] == raw and len(entry[1]) == len(depends)
                and all(a is b for a, b in zip(entry[1], depends, strict=True))):
            problems.extend(entry[3])
            return typing.cast(R, entry[2])
        own = Problems()
        result = load(own, raw)
        problems.extend(own.items)
        if raw is None:
            self._entries.pop(path, None)
        else:
            self._entries[path] = (raw, depends, result, list(own.items))
        return result

    def forget_unseen(self) -> None:
        """Drop the files not read since the last call (deleted, renamed or no longer read)."""
        for path in self._entries.keys() - self._seen:
            del self._entries[path]
        self._seen = set()


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
            if cache is not None and kind != "playbooks":  # a playbook's kind may name a template in overrides/
                item = cache.read(path, problems, functools.partial(_load_item, kind, path, root))
            else:
                item = _load_item(kind, path, root, problems)
            if item is not None:
                found[kind][item.id] = item
            else:
                portal.unreadable[kind].add(path.stem)
    portal.files = problems.files = files
    portal.roles, portal.paths = found["roles"], found["paths"]
    portal.lessons, portal.playbooks = found["lessons"], found["playbooks"]
    portal.posts = found["posts"]
    from generator.translations import load_translations  # local: it reads sources through this module

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
    if kind == "lessons":
        return _load_lesson(path, root, problems, raw)
    doc = read_yaml(path, root, problems, raw)
    if doc is None:
        return None
    if kind == "roles":
        data: Any = check_shape(schema.Role, doc, rel, problems)
    elif kind == "paths":
        data = check_shape(schema.LearningPath, doc, rel, problems)
    elif kind == "posts":
        data = check_shape(schema.Post, doc, rel, problems)
    else:
        data = _check_playbook(doc, rel, root, problems)
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
            hint="one of " + ", ".join(schema.BUILTIN_PLAYBOOKS) + ", or a kind with a template in overrides/",
        )
        return None
    if not _KIND.match(kind):
        line, col = doc.value_at(("kind",))
        problems.add(
            rel, line, col, f"`kind` {kind[:40]!r} is not in the expected form",
            hint="lowercase letters, digits and hyphens, e.g. tone or code-of-conduct",
        )
        return None
    model = schema.BUILTIN_PLAYBOOKS.get(kind)
    if model is not None:
        return check_shape(model, doc, rel, problems)
    from generator.render import custom_playbook_template  # local: rendering is not needed to load

    if custom_playbook_template(root, kind) is None:
        line, col = doc.value_at(("kind",))
        guess = closest(kind, schema.BUILTIN_PLAYBOOKS)
        message = f"unknown playbook kind `{kind}`" + (f"; did you mean `{guess}`?" if guess else "")
        problems.add(
            rel, line, col, message,
            hint=f"built-in kinds: {', '.join(schema.BUILTIN_PLAYBOOKS)}; "
            f"a new kind needs overrides/portal/playbooks/{kind}.md.j2",
        )
        return None
    return check_shape(schema.CustomPlaybook, doc, rel, problems)


def report_hazards(problems: Problems, rel: str, body: str, body_line: int) -> None:
    """Report raw HTML, attributes and links in a lesson body that could run code or load other sites."""
    for hazard in markup.hazards(body):
        problems.add(rel, hazard.line + body_line - 1, hazard.col, hazard.message,
                     hint="lessons are Markdown; ask a developer for an approved component")


def _load_lesson(path: Path, root: Path, problems: Problems, raw: bytes | None = None) -> Lesson | None:
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
    meta = check_shape(schema.LessonMeta, doc, rel, problems)
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
