"""References between content files: one item naming another by its id.

Reported where the id is written, with a suggestion when it is misspelt, once only when the
named file exists but could not be read (its own problems are reported instead).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from typing import Any

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
    folder, suffix = _FOLDERS.get(what, (f"{what}s", ".yml"))
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
    suffix = _FOLDERS.get(folder.rstrip("s"), ("", ".yml"))[1]
    base = portal.root / "content" / folder
    for candidate in (f"{item_id}{suffix}", *(f"{item_id}{slip}" for slip in SUFFIX_SLIPS)):
        if (base / candidate).exists():
            return f"content/{folder}/{candidate}"
    return f"content/{folder}/{item_id}{suffix}"


_FOLDERS = {"lesson": ("lessons", ".md"), "role": ("roles", ".yml"), "path": ("paths", ".yml"),
            "playbook": ("playbooks", ".yml")}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
def visible(text: str) -> str:
    """``text`` with its control, zero-width and direction-changing characters written as ``<U+200B>``."""
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI else ch
                   for ch in text)


def invisible(text: str) -> str:
    """The control, zero-width and direction-changing characters in ``text``, named, or ''."""
    bad = [ch for ch in text if unicodedata.category(ch) in _INVISIBLE or ch in _BIDI]
    return ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(bad))
