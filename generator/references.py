"""References between content files: one item naming another by its id.

Reported where the id is written, with a suggestion when it is misspelt, once only when the
named file exists but could not be read (its own problems are reported instead).
"""

from __future__ import annotations

import functools
import typing
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from pydantic import BaseModel

from generator import schema
from generator.errors import Problems
from generator.model import Item, Portal
from generator.shape import SUFFIX_SLIPS, closest, same_looking

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


def reference(
    problems: Problems, item: Item[Any], loc: tuple[Any, ...], value: str, known: Collection[str], what: str,
    portal: Portal | None = None,
) -> bool:
    """Report ``value`` at ``loc`` if it is not one of ``known``; True when it is fine.

    With ``portal``, a reference to a file that exists but could not be read is
    not reported again (that file's own problems are).
    """
    if value in known:  # a dict or set: no copy on the common path
        return True
    folder = f"{what}s"
    suffix = portal.suffix(folder) if portal is not None else ".yml"
    if portal is not None and value in portal.unreadable.get(folder, ()):
        problems.skip(unreadable_source(portal, folder, value), f"references to this {what}")
        return False
    known = list(known)
    line, col = item.value_at(*loc)
    hidden = invisible(value)
    if hidden:
        problems.add(item.source, line, col,
                     f"the {what} id `{visible(value)}` contains invisible characters ({hidden})",
                     hint="retype the id; it was probably pasted from a document")
        return False
    twin = same_looking(value, known)
    if twin is not None:
        problems.add(item.source, line, col, f"unknown {what} `{value}`: the file name {twin[1]}",
                     hint=f"retype this reference, or rename content/{folder}/{twin[0]}{suffix}, "
                     "so that both store the accent the same way")
        return False
    guess = closest(value, known)
    message = f"unknown {what} `{value}`" + (f"; did you mean `{guess}`?" if guess else "")
    hint = None
    if not guess:
        hint = f"there is no content/{folder}/{value}{suffix}; " + (
            f"known {what}s: " + ", ".join(sorted(known)[:12]) if known else f"no {what}s exist yet"
        )
    problems.add(item.source, line, col, message, hint=hint)
    return False


def unreadable_source(portal: Portal, folder: str, item_id: str) -> str:
    """The path of the file behind an id of ``portal.unreadable`` (as it exists, when its suffix slipped)."""
    suffix = portal.suffix(folder)
    base = portal.root / "content" / folder
    for candidate in (f"{item_id}{suffix}", *(f"{item_id}{slip}" for slip in SUFFIX_SLIPS)):
        if (base / candidate).exists():
            return f"content/{folder}/{candidate}"
    return f"content/{folder}/{item_id}{suffix}"


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
def visible(text: str) -> str:
    """``text`` with its control, zero-width and direction-changing characters written as ``<U+200B>``."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI else ch
                   for ch in text)


def invisible(text: str) -> str:
    """The control, zero-width and direction-changing characters in ``text``, named, or ''."""
    bad = [ch for ch in text if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI]
    return ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))


# --- the fields that name other items ------------------------------------------------------------


def referenced(data: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], schema.RefersTo, str]]:
    """Every id in ``data`` that names an item of another kind: (where, its marker, the id), in field order."""
    for name, marker, shape in _reference_fields(type(data)):
        value = getattr(data, name, None)
        if value is None:
            continue
        if shape == "ref" and isinstance(value, str):
            yield (*loc, name), marker, value  # type: ignore[misc]
        elif shape == "refs":
            for index, one in enumerate(value):
                yield (*loc, name, index), marker, one  # type: ignore[misc]
        elif shape == "model":
            yield from referenced(value, (*loc, name))
        elif shape == "models":
            for index, one in enumerate(value):
                yield from referenced(one, (*loc, name, index))


@functools.cache
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, Any, str], ...]:
    """The fields of ``model`` that hold references or models that may: (name, marker, shape)."""
    found: list[tuple[str, Any, str]] = []
    for name, field in model.model_fields.items():
        inner, more = schema.unwrap_annotation(field.annotation)
        marker = _marker([*field.metadata, *more])
        if marker is not None:
            found.append((name, marker, "ref"))
        elif typing.get_origin(inner) is list:
            item, item_meta = schema.unwrap_annotation(typing.get_args(inner)[0])
            marker = _marker(item_meta)
            if marker is not None:
                found.append((name, marker, "refs"))
            elif isinstance(item, type) and issubclass(item, BaseModel) and _reference_fields(item):
                found.append((name, None, "models"))
        elif isinstance(inner, type) and issubclass(inner, BaseModel) and _reference_fields(inner):
            found.append((name, None, "model"))
    return tuple(found)


def _marker(metadata: list[Any]) -> schema.RefersTo | None:
    return next((m for m in metadata if isinstance(m, schema.RefersTo)), None)


def check_references(portal: Portal, item: Item[Any], problems: Problems) -> None:
    """Report every id in ``item`` that names no item of its kind (the fields marked ``RefersTo``)."""
    for loc, marker, value in referenced(item.data):
        if marker.checked:
            kind = portal.kinds.get(marker.folder)
            what = kind.singular if kind is not None else marker.folder.removesuffix("s")
            reference(problems, item, loc, value, portal.items(marker.folder), what, portal)


@functools.cache
def refers_to(model: type[BaseModel], name: str) -> str | None:
    """The folder of the kind that field ``name`` of ``model`` names items of (by id), or None."""
    for field_name, marker, shape in _reference_fields(model):
        if field_name == name and shape in ("ref", "refs"):
            return marker.folder  # type: ignore[no-any-return]
    return None



def cycles(ids: Collection[str], refers: Callable[[str], Sequence[str]]) -> Iterator[tuple[str, int, list[str]]]:
    """Each loop of references among ``ids`` once, as (the id whose reference closes it, that
    reference's index in ``refers(id)``, the loop from its first id back to it).

    ``refers(id)`` lists the ids that ``id`` names, in the order it names them; names outside
    ``ids`` (reported elsewhere) are passed over. A reference to itself is a loop of two:
    ``[id, id]``. The ids are walked in sorted order, so the same content reports the same places.
    """
    state: dict[str, int] = {}  # 1: on the current trail; 2: done
    reported: set[frozenset[str]] = set()
    found: list[tuple[str, int, list[str]]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for index, target in enumerate(refers(node)):
            if target not in ids:
                continue
            if state.get(target) == 1:
                loop = [*trail[trail.index(target):], target]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    found.append((node, index, loop))
            elif target not in state:
                visit(target, trail)
        trail.pop()
        state[node] = 2

    for start in sorted(ids):
        if start not in state:
            visit(start, [])
    yield from found
