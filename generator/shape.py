"""Reading one content file and checking its shape, with every problem located.

A leaf of the generator: the loader, the translations, the checks and the comparison of
revisions all read files this way, and suggest names ("did you mean") with :func:`closest`.
"""

from __future__ import annotations

import contextlib
import difflib
import types
import typing
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from generator import markup
from generator.errors import Problem, Problems
from generator.yamlio import Document, YamlProblem, decode, parse, problems_from

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def relative(path: Path, root: Path) -> str:
    """``path`` relative to the repository root, with forward slashes, for messages."""
    text, prefix = path.as_posix(), root.as_posix().rstrip("/") + "/"
    return text[len(prefix) :] if text.startswith(prefix) else text  # str slicing: pathlib is slow here


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


def field_name(loc: tuple[Any, ...]) -> str:
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
    field = field_name(loc)
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


SUFFIX_SLIPS = {".yaml": ".yml", ".YML": ".yml", ".YAML": ".yml", ".MD": ".md", ".markdown": ".md",
                ".mdown": ".md"}
"""Suffixes an editor may write by mistake: the file would be silently left out, so they are errors."""


def report_hazards(problems: Problems, rel: str, body: str, body_line: int) -> None:
    """Report raw HTML, attributes and links in a lesson body that could run code or load other sites."""
    for hazard in markup.hazards(body):
        problems.add(rel, hazard.line + body_line - 1, hazard.col, hazard.message,
                     hint="lessons are Markdown; ask a developer for an approved component")


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
