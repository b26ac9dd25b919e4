"""Keep left-to-right runs readable inside right-to-left pages.

In an Urdu paragraph the browser's bidirectional algorithm gives neutral
characters at the edge of a Latin run (``#``, ``@``, ``:``, a date's day) to
the surrounding right-to-left text: ``#comms-urgent`` shows as
"comms-urgent#", ``@JuaEnergy`` as "JuaEnergy@", and a number after an
English title joins the title instead of the Urdu words it belongs to.
Isolating each such run (``<bdi>``: its direction comes from its own first
strong letter) draws it as written, whatever surrounds it.

:func:`isolate_html` does this to a page's rendered HTML, so lesson bodies,
knowledge checks, posts and tables are all covered without touching the
content: handles, hashtags, addresses, Latin words and phrases, and numbers
written with separators or a Latin unit (dates, times, ``24/7``, ``5 km``).
Code gets ``dir="auto"``; text already inside an element that sets its own
direction (``dir``, ``<bdi>``) is left alone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_LATIN = r"A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF"
_INNER = _LATIN + r"_'\u2019.&+/:@\-"

_WORD = rf"[{_LATIN}](?:[{_INNER}]*[{_LATIN}])?"
_BETWEEN = "[,;:!?\"'\u201C\u201D\u2018\u2019()\\[\\]\u2013\u2014-]*[ \u00A0]+[\"'\u201C\u2018(\\[]*"
"""What may stand between two Latin words of one run: spaces, with punctuation before them or
an opening quote or bracket after."""

_RUN = re.compile(
    # a web address, without the punctuation that ends the sentence it stands in
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,:;!?'\")\]\u060C\u06D4]"
    # a handle or hashtag, in any script
    r"|[#@][\w\-]*\w"
    # Latin words and numbers, with the spaces and punctuation between them ("words, with
    # disclosure" is one run: a comma between two isolated runs would go to the Urdu side)
    rf"|{_WORD}(?:{_BETWEEN}{_WORD})*"
)
_OPENING = "\"'\u201C\u2018(["
_CLOSING = ",;:!?\"'\u201C\u201D\u2018\u2019)]\u2013\u2014-"
_NUMBER_TAIL = re.compile(f"[{re.escape(_CLOSING)}]*[ \u00A0]+[{re.escape(_OPENING)}]*[0-9][0-9.,:/\\-]*$")
_PLAIN_NUMBER = re.compile(r"[0-9]+")
"""A bare number reads the same in either direction: it is not worth an isolate."""

_SKIP = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "bdi", "svg", "math", "option", "title"}
"""Elements whose text is left as it is: code (given ``dir="auto"`` instead), already isolated
text, and elements that cannot hold markup."""
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def isolate_text(text: str, lang: str = "") -> str:
    """HTML text (no tags, no character references) with each left-to-right run in a ``<bdi>``.

    With ``lang`` (a page shown untranslated), runs of Latin words are marked as that language,
    so that a screen reader reads them with its voice."""
    return _RUN.sub(lambda match: _wrap(match.group(), lang), text)


def _wrap(run: str, lang: str) -> str:
    tail = _NUMBER_TAIL.search(run)
    if tail and tail.start() > 0:
        # "...with disclosure: 5 points": the number belongs to the words after it, not to the run.
        number = tail.group().lstrip("".join(_OPENING + _CLOSING + " \u00A0"))
        return _wrap(run[:tail.start()], lang) + tail.group()[: len(tail.group()) - len(number)] + _wrap(number, lang)
    if _PLAIN_NUMBER.fullmatch(run):
        return run
    if lang and run[0] not in "#@" and any(ch.isalpha() for ch in run):
        return f'<bdi lang="{lang}">{run}</bdi>'
    return f"<bdi>{run}</bdi>"


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds a run :func:`isolate_text` would isolate."""
    return any(not _PLAIN_NUMBER.fullmatch(m.group()) for m in _RUN.finditer(text))


class _Isolator(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lang = lang
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        """Open elements, and whether text inside them is left alone."""

    @property
    def _leave(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        names = {name for name, _ in attrs}
        if tag == "code" and "dir" not in names and not self._leave:
            # Inline code: identifiers, handles and paths read left to right, Urdu in code right to left.
            text = text[:5] + ' dir="auto"' + text[5:]
        self.out.append(text)
        if tag not in _VOID:
            self.stack.append((tag, self._leave or tag in _SKIP or "dir" in names))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self.out.append(data if self._leave else isolate_text(data, self.lang))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def isolate_html(html: str, lang: str = "") -> str:
    """``html`` (a page's content) with every left-to-right run of its text isolated (see
    :func:`isolate_text` for ``lang``)."""
    parser = _Isolator(lang)
    parser.feed(html)
    parser.close()
    if parser.rawdata:  # an unfinished tag at the very end: keep it as it was
        parser.out.append(parser.rawdata)
    return "".join(parser.out)
