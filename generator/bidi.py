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
_BETWEEN = "[.,;:!?\"'\u201C\u201D\u2018\u2019()\\[\\]\u2013\u2014-]*[ \u00A0]+[\"'\u201C\u2018(\\[]*"
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
_CLOSING = ".,;:!?\"'\u201C\u201D\u2018\u2019)]\u2013\u2014-"
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


_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "figcaption",
           "legend", "summary", "blockquote"}
"""Elements that hold a paragraph of their own: on a page shown untranslated, one whose text is all
in the page's language is laid out in that language's direction as a whole."""
_RIGHT_TO_LEFT_LETTER = re.compile("[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
_LATIN_LETTER = re.compile("[A-Za-z\u00C0-\u024F]")


class _Tokens(HTMLParser):
    """A page's HTML as tokens, each kept as written: (kind, text as written, tag, attribute names)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[tuple[str, str, str, frozenset[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "void" if tag in _VOID else "start"
        self.tokens.append((kind, self.get_starttag_text() or "", tag, frozenset(name for name, _ in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("void", self.get_starttag_text() or "", tag, frozenset()))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", f"</{tag}>", tag, frozenset()))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("data", data, "", frozenset()))

    def _raw(self, text: str) -> None:
        self.tokens.append(("raw", text, "", frozenset()))

    def handle_entityref(self, name: str) -> None:
        self._raw(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._raw(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._raw(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._raw(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._raw(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._raw(f"<![{data}]>")


def _whole_blocks(tokens: list[tuple[str, str, str, frozenset[str]]]) -> set[int]:
    """The start tokens of blocks whose text is Latin with no right-to-left letter in it."""
    found: set[int] = set()
    open_blocks: list[tuple[str, int, list[str]]] = []
    for index, (kind, text, tag, names) in enumerate(tokens):
        if kind == "start" and tag in _BLOCKS and "dir" not in names:
            open_blocks.append((tag, index, []))
        elif kind == "data":
            for _, _, texts in open_blocks:
                texts.append(text)
        elif kind == "end" and tag in _BLOCKS:
            for depth in range(len(open_blocks) - 1, -1, -1):
                if open_blocks[depth][0] == tag:
                    _, start, texts = open_blocks[depth]
                    del open_blocks[depth:]
                    content = "".join(texts)
                    if _LATIN_LETTER.search(content) and not _RIGHT_TO_LEFT_LETTER.search(content):
                        found.add(start)
                    break
    return found


def isolate_html(html: str, lang: str = "") -> str:
    """``html`` (a page's content) with every left-to-right run of its text isolated.

    With ``lang`` (a page shown untranslated, in a left-to-right language): a paragraph, list
    item, cell or heading written wholly in that language is marked ``lang`` and ``dir="ltr"``
    as a whole, so that its sentences and their full stops keep their order; runs inside text
    that mixes both directions are marked ``lang`` (see :func:`isolate_text`)."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    tokens = parser.tokens
    if parser.rawdata:  # an unfinished tag at the very end: keep it as it was
        tokens.append(("raw", parser.rawdata, "", frozenset()))
    whole = _whole_blocks(tokens) if lang else set()
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements, and whether text inside is left alone
    for index, (kind, text, tag, names) in enumerate(tokens):
        leave = bool(stack) and stack[-1][1]
        if kind == "start":
            cut = 1 + len(tag)
            if index in whole and not leave:
                text = f'{text[:cut]} lang="{lang}" dir="ltr"{text[cut:]}'
                names = names | {"dir"}
            elif tag == "code" and "dir" not in names and not leave:
                # Inline code: identifiers, handles and paths read left to right, Urdu in code right to left.
                text = f'{text[:cut]} dir="auto"{text[cut:]}'
            stack.append((tag, leave or tag in _SKIP or "dir" in names))
        elif kind == "end":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == tag:
                    del stack[depth:]
                    break
        elif kind == "data" and not leave:
            text = isolate_text(text, lang)
        out.append(text)
    return "".join(out)
