"""Read editors' YAML safely, keeping the line and column of every key and value.

PyYAML's loaders are built for trusted input: ``safe_load`` keeps the last of
two duplicate keys, reads ``NO`` as false and ``12:30`` as 750, and expands
aliases into structures that explode when walked. This module builds data
from PyYAML's *event* stream instead, so that it can refuse what content
never needs (anchors, aliases, merge keys, tags, several documents) before
anything is built, and it keeps every plain scalar as text (YAML 1.2: only
``null``/``~``/empty become ``None``). The schema decides what a number, a
boolean or a date is, and says so when the text does not fit.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import yaml

from generator.errors import Problem

# The C parser is several times faster; both give the same events and marks.
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_settings(text: str) -> Any:
    """YAML that is settings rather than content (interface strings, ``mkdocs.yml``).

    ``yaml.safe_load``'s rules, with the C loader when PyYAML has it: the pure-Python
    loader took a tenth of the generator's time reading the interface strings.
    """
    return yaml.load(text, Loader=_SafeLoader)

MAX_BYTES = 1_000_000
"""Largest content file accepted; real playbooks and lessons are a few kilobytes."""

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted; content needs five or six levels. Without a
limit, ``[[[[…`` costs memory with the square of its depth (every value keeps its path)."""

Loc = tuple[int | str, ...]
_YAML_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_NON_TEXT_KEY = re.compile(
    r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|true|True|TRUE|false|False|FALSE|~|null|Null|NULL)\Z"
)


@dataclasses.dataclass
class Document:
    """Data read from one YAML text, with where each part of it stands."""

    data: Any
    values: dict[Loc, tuple[int, int]]
    """Line and column (from 1) of each value, keyed by its path in the data."""
    keys: dict[Loc, tuple[int, int]]
    """Line and column of each mapping key, keyed by the path of its value."""

    def where(self, loc: Loc) -> tuple[int, int]:
        """The best place to point at for ``loc``: the key, else the value, else its parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def value_at(self, loc: Loc) -> tuple[int, int]:
        """Where the value at ``loc`` starts (falling back like :meth:`where`)."""
        return self.values.get(tuple(loc)) or self.where(loc)


class YamlProblem(Exception):
    """A problem that stops reading a file, at a line and column."""

    def __init__(self, line: int, col: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint
        self.more: list[YamlProblem] = []
        """Further problems found in the same read (every duplicate key, then what stopped it)."""


def decode(raw: bytes) -> str:
    """Bytes of a content file as text: UTF-8, an optional BOM, any line ending.

    Raises :class:`YamlProblem` for UTF-16/32, invalid UTF-8 (at the bad
    byte) and files over :data:`MAX_BYTES`.
    """
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            1, 1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}", "split it into smaller files"
        )
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise YamlProblem(1, 1, "file is saved as UTF-16 or UTF-32", "re-save it as UTF-8")
    if len(raw) >= 4 and b"\x00" in raw[:4] and raw[:64].count(0) * 4 >= min(len(raw), 64):
        # Without a byte-order mark, UTF-16/32 text shows as NUL bytes between the letters.
        raise YamlProblem(1, 1, "file is saved as UTF-16 or UTF-32", "re-save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            line,
            col,
            f"invalid UTF-8 (byte 0x{raw[error.start]:02x})",
            "re-save the file as UTF-8",
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise YamlProblem(line, col, "file contains a NUL character", "re-save it as plain UTF-8 text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _pos(mark: Any, line_offset: int) -> tuple[int, int]:
    return mark.line + 1 + line_offset, mark.column + 1


def parse(text: str, *, line_offset: int = 0) -> Document:
    """Build data from one YAML document, refusing what content has no use for.

    ``line_offset`` shifts reported lines (front matter starts below ``---``).
    Raises :class:`YamlProblem` at the first structural problem.
    """
    parser = _Parser(text)
    try:
        return _build(parser, line_offset, text)
    except yaml.reader.ReaderError as error:
        offset = error.position
        line = text.count("\n", 0, offset) + 1 + line_offset
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or " ")
        raise YamlProblem(
            line, col, f"control character U+{code:04X} is not allowed", "delete the invisible character"
        ) from None
    finally:
        parser.dispose()


def _refuse(event: Any, line: int, col: int) -> None:
    """Raise for what content never needs: anchors and explicit tags."""
    if event.anchor is not None:
        raise YamlProblem(line, col, f"anchor '&{event.anchor}' is not allowed", "write each value out in full")
    tag = event.tag
    if tag is None:
        return
    if type(event) is yaml.ScalarEvent and any(event.implicit):
        return  # a tag the parser resolved itself, not one written in the file
    shown = "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag
    raise YamlProblem(
        line, col, f"tag '{shown}' is not allowed", "remove the tag; content is plain text, lists and mappings"
    )


def _too_deep(text: str, line: int, col: int, depth: int, line_offset: int) -> YamlProblem | None:
    """Where flow brackets after ``line:col`` (at ``depth`` levels) first pass :data:`MAX_DEPTH`.

    PyYAML 6.0.4 stops at its own limit (1,000 levels), which its scanner reaches by looking
    ahead through ``[[[…`` before the builder sees the 33rd level; this finds that level.
    """
    lines = text.split("\n")
    quote = ""
    for number in range(line - 1, len(lines)):
        row = lines[number]
        start = col - 1 if number == line - 1 else 0
        for index in range(start, len(row)):
            ch = row[index]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (index == 0 or row[index - 1] in " \t"):
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return YamlProblem(number + 1 + line_offset, index + 1, *_TOO_DEEP)
            elif ch in "]}":
                depth -= 1
    return None


_TOO_DEEP = (
    f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
    "content needs only a few levels; check the brackets and the indentation",
)


def _build(parser: Any, line_offset: int, text: str = "") -> Document:
    # Written for speed (it sees every node of every file): one loop, no helper calls per node.
    values: dict[Loc, tuple[int, int]] = {}
    keys: dict[Loc, tuple[int, int]] = {}
    documents = 0
    # A stack of [container, loc, pending_key, seen_keys] frames; the container is a list or a dict.
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    null, non_text_key = _NULL.match, _NON_TEXT_KEY.match
    get_event = parser.get_event
    mark: Any = None
    event: Any = None
    duplicates: list[YamlProblem] = []
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            if kind in ends:
                stack.pop()
                continue
            if kind is scalar or kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                line, col = mark.line + 1 + line_offset, mark.column + 1
                if event.anchor is not None or event.tag is not None:
                    _refuse(event, line, col)
                if stack:
                    frame = stack[-1]
                    container = frame[0]
                    if type(container) is list:
                        loc: Loc = (*frame[1], len(container))
                    elif frame[2] is None:  # this node is a mapping key
                        if kind is not scalar:
                            raise YamlProblem(line, col, "a key must be text, not a list or mapping")
                        key = event.value
                        if not event.style:
                            if key == "<<":
                                raise YamlProblem(line, col, "merge keys ('<<') are not allowed", "write the keys out")
                            if non_text_key(key):
                                raise YamlProblem(
                                    line, col, f"key {key or '(empty)'!r} is not text", "use a word as the key"
                                )
                        seen = frame[3]
                        if key in seen:
                            # Every duplicate of the file is reported, at every depth; reading goes on.
                            duplicates.append(YamlProblem(
                                line, col, f"duplicate key '{key}' (first defined on line {seen[key][0]})",
                                "remove one of them",
                            ))
                        else:
                            seen[key] = (line, col)
                        frame[2] = key
                        keys[(*frame[1], key)] = (line, col)
                        continue
                    else:
                        loc = (*frame[1], frame[2])
                else:
                    loc = ()
                values[loc] = (line, col)
                if kind is scalar:
                    value: Any = event.value
                    if not event.style and null(value):
                        value = None
                    new_frame = None
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise YamlProblem(line, col, *_TOO_DEEP)
                    value = {} if kind is mapping_start else []
                    new_frame = [value, loc, None, {}]
                if stack:
                    frame = stack[-1]
                    if type(frame[0]) is list:
                        frame[0].append(value)
                    else:
                        frame[0][frame[2]] = value
                        frame[2] = None
                else:
                    root, have_root = value, True
                if new_frame is not None:
                    stack.append(new_frame)
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, col = _pos(event.start_mark, line_offset)
                    raise YamlProblem(
                        line, col, "a second YAML document ('---') in one file", "keep one document per file"
                    )
            elif kind is yaml.AliasEvent:
                line, col = _pos(event.start_mark, line_offset)
                raise YamlProblem(line, col, f"alias '*{event.anchor}' is not allowed", "write the value out in full")
    except YamlProblem as stop:
        raise _with_duplicates(duplicates, stop) from None
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):
            # Start after the last node built: its own bracket is already counted in the stack.
            line, col = (mark.line + 1, mark.column + 2) if mark is not None else (1, 1)
            deep = _too_deep(text, line, col, len(stack), line_offset)
            if deep is not None:
                raise _with_duplicates(duplicates, deep) from None
        raise _with_duplicates(duplicates, _syntax_problem(error, text, line_offset, event)) from None
    if duplicates:
        raise _with_duplicates(duplicates, None)
    if not have_root or root is None:
        raise YamlProblem(1 + line_offset, 1, "file is empty (or only comments)", "add the required fields")
    return Document(root, values, keys)


def _with_duplicates(duplicates: list[YamlProblem], stop: YamlProblem | None) -> YamlProblem:
    """One exception that carries the duplicate keys found so far and the problem that stopped reading."""
    found = [*duplicates, *([stop] if stop is not None else [])]
    first, first.more = found[0], found[1:]
    return first


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, line_offset: int, last: Any) -> YamlProblem:
    """PyYAML's syntax error in words an editor can act on, at the place to fix."""
    problem = (error.problem or error.context or "YAML syntax error").strip()
    context = (error.context or "").strip()
    if "quoted scalar" in context and error.context_mark is not None and "end of stream" in problem:
        # PyYAML points at the end of the file; the mistake is the quote that is never closed.
        line, col = _pos(error.context_mark, line_offset)
        quote = _char_at(text, error.context_mark) or '"'
        message = f"YAML syntax error: the text opened with {quote} here is never closed"
        return YamlProblem(line, col, message, _QUOTE_HINT[quote])
    start, end = getattr(last, "start_mark", None), getattr(last, "end_mark", None)
    if (type(last) is yaml.ScalarEvent and last.style in ('"', "'") and start is not None and end is not None
            and end.line > start.line):
        # A quoted text that runs over several lines right before an error has probably lost its end.
        line, col = _pos(start, line_offset)
        where = error.problem_mark or error.context_mark
        at = f" (YAML stopped on line {where.line + 1 + line_offset}: {problem})" if where is not None else ""
        return YamlProblem(line, col, f"YAML syntax error: the text opened with {last.style} here runs on to line "
                           f"{end.line + 1 + line_offset}{at}",
                           "is its closing quote missing? " + _QUOTE_HINT[last.style])
    mark = error.problem_mark or error.context_mark
    line, col = _pos(mark, line_offset) if mark else (1 + line_offset, 1)
    if mark is not None and _char_at(text, mark) == "\t":
        return YamlProblem(line, col, "YAML syntax error: a tab character indents this line",
                           "YAML indentation must be spaces: replace the tab with spaces")
    return YamlProblem(line, col, f"YAML syntax error: {problem}", _syntax_hint(problem))


_QUOTE_HINT = {
    '"': 'end the text with a matching " (write \\" for a " inside it)',
    "'": "end the text with a matching ' (write '' for a ' inside it)",
}


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _syntax_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be put in quotes"
    if "found character '\\t'" in problem or "tab character" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs 'key: value'"
    return None


def problem_from(exc: YamlProblem, path: str) -> Problem:
    """A :class:`YamlProblem` raised while reading ``path`` as a located problem."""
    return Problem(path, exc.line, exc.col, exc.message, "error", exc.hint)


def problems_from(exc: YamlProblem, path: str) -> list[Problem]:
    """Every located problem a read of ``path`` found (the exception and what it carries)."""
    return [problem_from(one, path) for one in (exc, *exc.more)]


_FRONT = re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a lesson into (front matter, body, line where the body starts).

    Raises :class:`YamlProblem` when the file does not open with a
    ``---`` block closed by another ``---``.
    """
    if not text.startswith("---"):
        raise YamlProblem(1, 1, "a lesson must start with front matter between '---' lines")
    match = _FRONT.match(text)
    if not match:
        raise YamlProblem(1, 1, "front matter opened with '---' is never closed with '---'")
    front = match.group(1) or ""
    body = text[match.end() :]
    body_line = text.count("\n", 0, match.end()) + 1
    return front, body, body_line


def locate_in_scalar(source: str, start: tuple[int, int], value: str, line: int, col: int,
                     *, line_offset: int = 0) -> tuple[int, int]:
    """Where ``line``:``col`` of a text value (from 1, in the value) stands in the file ``source``.

    ``start`` is where the value starts in the file (a block indicator ``|``/``>``, a quote,
    or the first character). Whatever the style (literal, folded, plain or quoted over
    several lines), the value's characters appear in the file in order, with only
    indentation, line breaks, quotes and escapes between them, so the value is matched
    against the file character by character. When that fails (an escape such as ``\\n``
    made the character), the value's start is the answer.
    """
    parts = value.split("\n")
    if not 1 <= line <= len(parts):
        return start
    wanted = sum(len(part) + 1 for part in parts[: line - 1]) + min(col - 1, len(parts[line - 1]))
    lines = source.split("\n")
    index = start[0] - 1 - line_offset
    if not 0 <= index < len(lines):
        return start
    position = sum(len(text) + 1 for text in lines[:index]) + start[1] - 1
    if position < len(source) and source[position] in "|>":
        newline = source.find("\n", position)  # the header may carry a comment: skip the whole line
        position = len(source) if newline < 0 else newline + 1
    elif position < len(source) and source[position] in "\"'":
        position += 1
    end = len(source)
    for offset in range(min(wanted, len(value) - 1) + 1):
        ch = value[offset]
        if ch in " \t\n":
            # Folding turns line breaks into spaces and blank lines into breaks: any blank matches.
            while position < end and source[position] not in " \t\n":
                position += 1
        else:
            position = source.find(ch, position)
        if not 0 <= position < end:
            return start
        if offset == wanted:
            break
        position += 1
    if position >= end:
        return start
    row = source.count("\n", 0, position)
    return row + 1 + line_offset, position - (source.rfind("\n", 0, position) + 1) + 1
