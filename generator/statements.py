"""Reading xAPI statements as a stream: from a file (a JSON array, or one statement per line) or an LRS.

A million statements must not become a million dicts held at once: each is decoded, handed to the
caller and dropped. Malformed entries are located by line and column; the caller decides whether
they stop the run or are skipped and counted.
"""

from __future__ import annotations

import base64
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from generator.xapi import XAPI_VERSION

CHUNK = 1 << 20
_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


class BadStatement(Exception):
    """One entry of a statements file that is not a statement, at its line and column."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message

    def __reduce__(self) -> tuple[Any, ...]:  # to cross from a worker process (the default would lose line and col)
        return (BadStatement, (self.line, self.col, self.message))


def _checked(value: Any, line: int, col: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadStatement(line, col, f"expected a statement (a JSON object), got {type(value).__name__}")
    for key in ("actor", "verb", "object"):
        if not isinstance(value.get(key), dict):
            raise BadStatement(line, col, f"the statement has no `{key}` object")
    return value


def read_file(path: Path) -> Iterator[dict[str, Any] | BadStatement]:
    """Each statement of ``path`` in order, or a :class:`BadStatement` where an entry is not one."""
    with path.open("rb") as raw:
        head = raw.read(4096)
        raw.seek(0)
        if head.startswith(b"\xef\xbb\xbf"):
            raw.read(3)
            head = head[3:]
        if head.lstrip(_SPACE.encode()).startswith(b"["):
            handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            yield from _read_array(handle, handle.read(CHUNK))
        else:
            yield from _read_lines(raw)


def lines_split(path: Path) -> tuple[int, int, int] | None:
    """Where a JSON-lines file can be cut in two at a line boundary: (first byte, cut, size); None otherwise.

    The first byte is past a byte-order mark; None for a JSON array, or a file with no line end past its middle.
    """
    with path.open("rb") as raw:
        head = raw.read(4096)
        start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        if head[start:].lstrip(_SPACE.encode()).startswith(b"["):
            return None
        size = raw.seek(0, os.SEEK_END)
        if size - start < 2:
            return None
        raw.seek(start + (size - start) // 2)
        raw.readline()
        cut = raw.tell()
    return (start, cut, size) if start < cut < size else None


class _Range(io.RawIOBase):
    """The bytes of a file from where it stands up to ``end``, for a buffered reader to split into lines."""

    def __init__(self, raw: Any, end: int) -> None:
        self._raw, self._left = raw, end - raw.tell()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        got = self._raw.readinto(memoryview(buffer)[:self._left])
        self._left -= got
        return got


def read_range(path: Path, start: int, end: int) -> Iterator[dict[str, Any] | BadStatement]:
    """As :func:`read_file` for the lines of a JSON-lines file between bytes ``start`` and ``end``.

    Both must be line boundaries (see :func:`lines_split`). Line numbers count from ``start``: the
    first line of the range is line 1.
    """
    with path.open("rb", buffering=0) as raw:
        raw.seek(start)
        yield from _read_lines(io.BufferedReader(_Range(raw, end), CHUNK))


def count_lines(path: Path, end: int) -> int:
    """How many lines end before byte ``end`` of ``path``."""
    count = 0
    with path.open("rb") as raw:
        while end > 0:
            chunk = raw.read(min(CHUNK, end))
            if not chunk:
                break
            count += chunk.count(b"\n")
            end -= len(chunk)
    return count


def _read_lines(handle: Any) -> Iterator[dict[str, Any] | BadStatement]:
    """One statement per line, decoded by orjson: most of a large export's cost is decoding."""
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    for number, line in enumerate(handle, start=1):
        try:
            value = loads(line)
        except decode_error as error:
            if not line.strip():
                continue
            yield BadStatement(number, error.pos + 1, f"not JSON: {error.msg}")
            continue
        if type(value) is dict and type(value.get("actor")) is dict and type(value.get("verb")) is dict \
                and type(value.get("object")) is dict:
            yield value
            continue
        try:
            yield _checked(value, number, 1)
        except BadStatement as bad:
            yield bad


def _read_array(handle: Any, buffer: str) -> Iterator[dict[str, Any] | BadStatement]:
    """Decode ``[ {...}, {...} ]`` an element at a time, keeping only what is not decoded yet."""
    pos, line, line_start = 0, 1, 0  # line: the line at buffer[pos]; line_start: where it begins in buffer

    def advance(to: int) -> None:
        nonlocal pos, line, line_start
        newlines = buffer.count("\n", pos, to)
        if newlines:
            line += newlines
            line_start = buffer.rindex("\n", pos, to) + 1
        pos = to

    def refill() -> bool:
        nonlocal buffer, pos, line_start
        more = handle.read(CHUNK)
        if not more:
            return False
        buffer, line_start, pos = buffer[pos:] + more, line_start - pos, 0
        return True

    advance(buffer.index("[") + 1)
    while True:
        while True:
            stripped = len(buffer) - len(buffer[pos:].lstrip(_SPACE))
            if stripped < len(buffer):
                advance(stripped)
                break
            advance(len(buffer))
            if not refill():
                yield BadStatement(line, pos - line_start + 1, "the file ends inside the JSON array")
                return
        char = buffer[pos]
        if char == "]":
            return
        if char == ",":
            advance(pos + 1)
            continue
        try:
            value, end = _DECODER.raw_decode(buffer, pos)
        except json.JSONDecodeError as error:
            if refill():  # the element may only be cut off by the chunk: read on and try again
                continue
            at = line + buffer.count("\n", pos, error.pos)
            begins = buffer.rfind("\n", 0, error.pos) + 1 if at > line else line_start
            yield BadStatement(at, error.pos - begins + 1, f"not JSON: {error.msg}")
            return
        try:
            yield _checked(value, line, pos - line_start + 1)
        except BadStatement as bad:
            yield bad
        advance(end)


class LrsError(Exception):
    """The LRS answered with an error, or could not be reached: the run stops with this message."""


def credential_from(env_name: str, netrc_file: Path | None, host: str) -> str | None:
    """``key:secret`` for the LRS: an environment variable, else a netrc-style file's entry for ``host``."""
    value = os.environ.get(env_name)
    if value:
        return value
    if netrc_file is not None:
        import netrc

        try:
            entry = netrc.netrc(str(netrc_file)).authenticators(host)
        except (OSError, netrc.NetrcParseError) as error:
            raise LrsError(f"{netrc_file}: cannot read the credential file: {error}") from error
        if entry:
            return f"{entry[0]}:{entry[2]}"
    return None


def read_lrs(endpoint: str, credential: str | None, *, timeout: float = 30.0,
             since: str | None = None) -> Iterator[dict[str, Any]]:
    """Every statement the LRS holds (or stored since ``since``), following its ``more`` links.

    Uses only the standard statements resource with its paging, so any conformant LRS answers.
    """
    base = endpoint.rstrip("/") + "/"
    query = {"limit": "500", "ascending": "true"}
    if since:
        query["since"] = since
    url: str | None = base + "statements?" + urllib.parse.urlencode(query)
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    if credential:
        headers["Authorization"] = "Basic " + base64.b64encode(credential.encode()).decode()
    while url:
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = json.load(response)
        except urllib.error.HTTPError as error:
            error.close()
            reason = {401: "the credential was refused (401)", 403: "the credential may not read statements (403)",
                      404: "no statements resource at this address (404): is the URL the LRS's xAPI base?"}
            raise LrsError(f"{url}: " + reason.get(error.code, f"the LRS answered {error.code} {error.reason}")) \
                from error
        except (urllib.error.URLError, OSError) as error:
            why = getattr(error, "reason", error)
            raise LrsError(f"{url}: the LRS could not be reached ({why})") from error
        except json.JSONDecodeError as error:
            raise LrsError(f"{url}: the LRS's answer is not JSON ({error.msg})") from error
        if not isinstance(body, dict) or not isinstance(body.get("statements"), list):
            raise LrsError(f"{url}: the LRS's answer has no `statements` list")
        yield from body["statements"]
        more = body.get("more")
        url = urllib.parse.urljoin(url, more) if isinstance(more, str) and more else None
