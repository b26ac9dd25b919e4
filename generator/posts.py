"""Approved posts: the networks they go to, how each network counts them, their checks and the share page.

A post (``content/posts/<id>.yml``) holds one text per network. What a
reader finally shares is that text, the post's hashtags and (when the
rewards playbook says so) the disclosure hashtag, followed by the post's
link. The checks count exactly that message the way the network does, and
``assets/share.js`` repeats the same counting in the browser for the
reader's own words; the two must stay in step (the browser test compares
them on every sample post).

How networks count, as assumed here:

- Every network counts Unicode characters (code points after NFC
  normalisation), not bytes or UTF-16 units.
- X weighs characters: Latin, Greek, Cyrillic, Arabic script and most
  punctuation count 1, everything else (Chinese, Japanese, emoji) counts 2,
  against 280; every link counts 23 whatever its length (X shortens links).
  An emoji counts 2 however many code points make it (a skin tone, a
  family joined by zero-width joiners, a flag, a keycap), as in the
  official ``twitter-text`` library: ``tests/vectors/x-count.json``, made
  from it, is checked against this counter and the browser's.
- LinkedIn (3,000), Facebook (63,206) and Instagram (2,200 for a caption)
  count links as written, one per character.
- Networks added in ``portal.yml`` count links as written unless they give a
  ``link_length``.
- A link is text starting with ``http://`` or ``https://`` up to the next
  space or character that cannot be part of an address; trailing
  punctuation is not part of it, except a closing parenthesis that closes
  one opened in the link. Bare domain names count as written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from generator import schema
from generator.errors import Problems
from generator.load import closest
from generator.model import Item, Portal
from generator.yamlio import Document, YamlProblem, decode

if TYPE_CHECKING:
    from generator.render import Renderer

SHARE_PAGE = "share.md"
"""The share page's place in the docs folder."""

ROLE_STORAGE_KEYS: tuple[str, ...] = ("advocacy-portal:role",)
"""localStorage keys under which other parts of the portal remember the reader's role; the share
page preselects that role in its filter."""


@dataclasses.dataclass(frozen=True)
class Network:
    """A network approved posts are written for, and how it counts a post."""

    id: str
    name: str
    limit: int
    link_length: int | None = None
    """Characters every link counts (the network shortens links); None: as written."""
    weighted: bool = False
    """True for X's weighted count (see the module docstring)."""
    share_url: str | None = None
    """The network's share page with ``{url}`` and ``{text}`` placeholders; None: copy only."""


BUILTIN_NETWORKS: dict[str, Network] = {
    "linkedin": Network(
        "linkedin", "LinkedIn", 3000,
        share_url="https://www.linkedin.com/sharing/share-offsite/?url={url}",
    ),
    "x": Network(
        "x", "X", 280, link_length=23, weighted=True,
        share_url="https://twitter.com/intent/tweet?text={text}&url={url}",
    ),
    "facebook": Network(
        "facebook", "Facebook", 63206,
        share_url="https://www.facebook.com/sharer/sharer.php?u={url}&quote={text}",
    ),
    "instagram": Network("instagram", "Instagram", 2200),
}

_ALIASES = {"twitter": "x", "fb": "facebook", "ig": "instagram", "insta": "instagram", "linked-in": "linkedin"}
_NETWORK_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# The share page hands these to assets/lib/posts.js (browser_rules below).
# The scheme in any case, as X reads it (HTTPS://... is a link too); spelled out rather than with
# a case-insensitive group, which the browser's expressions do not all support.
_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_TRAILING = ".,:;!?'\")]"
_BARE_WWW = re.compile(r"(?<![\w/.@-])www\.[A-Za-z0-9-]+\.[A-Za-z0-9.\-/?#=&%_~]+")
_X_ONE = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# An emoji as one unit: a pictograph with its variation selector or skin tone, joined to others
# by zero-width joiners; a flag (two regional indicators or a tag sequence); a keycap.
_PICTOGRAPH = (
    "[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf"
    "\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]"
    "[\ufe0e\ufe0f]?[\U0001f3fb-\U0001f3ff]?"
)
_EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}|[0-9#*]\ufe0f?\u20e3|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    f"|{_PICTOGRAPH}(?:\u200d{_PICTOGRAPH})*"
)


def browser_rules() -> dict[str, Any]:
    """The counting rules' expressions and weights as the share page hands them to its script
    (``assets/lib/posts.js`` compiles the same expressions), so that they are written only here."""
    return {
        "link": _script_pattern(_URL.pattern),
        "link_trailing": _URL_TRAILING,
        "one": [list(pair) for pair in _X_ONE],
        "emoji": _script_pattern(_EMOJI.pattern),
    }


def _script_pattern(pattern: str) -> str:
    """``pattern`` with every character beyond ASCII written as a ``\\u{...}`` escape, which
    JavaScript's expressions with the ``u`` flag read as that character: the page stays ASCII and
    no joiner or variation selector is left bare in its HTML."""
    return "".join(ch if ord(ch) < 128 else f"\\u{{{ord(ch):x}}}" for ch in pattern)


def networks(portal: Portal) -> dict[str, Network]:
    """The built-in networks and those ``portal.yml`` adds (which replace a built-in one of the same id)."""
    found = dict(BUILTIN_NETWORKS)
    for net_id, spec in portal.config.networks.items():
        found[net_id] = Network(net_id, spec.name, spec.limit, link_length=spec.link_length, share_url=spec.share_url)
    return found


# --- counting ---------------------------------------------------------------------------------


def links_in(text: str) -> list[tuple[int, int]]:
    """Start and end of every link in ``text``, without trailing punctuation."""
    spans = []
    for match in _URL.finditer(text):
        url = _trim_link(match.group())
        if len(url) > len("https://"):
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _trim_link(url: str) -> str:
    """A matched address without the punctuation after it; ``)`` stays when it closes a ``(`` of the link."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _characters(text: str, network: Network) -> int:
    if not network.weighted:
        return len(text)
    total, position = 0, 0
    for match in _EMOJI.finditer(text):
        if len(match.group()) > 1:  # a single code point weighs as any other character
            total += _weighted(text[position:match.start()]) + 2
            position = match.end()
    return total + _weighted(text[position:])


def _weighted(text: str) -> int:
    total = 0
    for ch in text:
        code = ord(ch)
        total += 1 if any(low <= code <= high for low, high in _X_ONE) else 2
    return total


def count(text: str, network: Network) -> int:
    """The length of ``text`` as ``network`` counts it."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in links_in(text):
        total += _characters(text[position:start], network)
        total += network.link_length if network.link_length is not None else _characters(text[start:end], network)
        position = end
    return total + _characters(text[position:], network)


# --- what is shared ---------------------------------------------------------------------------


def has_hashtag(text: str, tag: str) -> bool:
    """Whether ``tag`` stands in ``text`` as a whole hashtag (networks match hashtags in any case)."""
    return re.search(rf"(?<![\w#]){re.escape(tag)}(?!\w)", text, re.IGNORECASE) is not None


def starting_text(text: str, hashtags: Iterable[str], disclosure: str, appended: bool) -> str:
    """The text a reader starts from: the network's text, then the hashtags it lacks, the disclosure first."""
    text = text.strip()
    tags: list[str] = []
    for tag in ([disclosure] if appended else []) + list(hashtags):
        if not has_hashtag(text, tag) and all(t.casefold() != tag.casefold() for t in tags):
            tags.append(tag)
    return text + ("\n\n" + " ".join(tags) if tags else "")


def shared_message(text: str, disclosure: str, appended: bool) -> str:
    """What is shared from a reader's text: the disclosure is added when the playbook says so and it is missing."""
    text = text.strip()
    if appended and not has_hashtag(text, disclosure):
        text = (text + "\n\n" if text else "") + disclosure
    return text


def counted(message: str, link: str) -> str:
    """The message as the network receives it: the link follows the text."""
    return f"{message} {link}" if message else link


def encode(value: str) -> str:
    """URL-encode like JavaScript's ``encodeURIComponent`` (the browser updates the same links)."""
    return quote(value, safe="!*'()")


def share_href(network: Network, message: str, link: str) -> str | None:
    """The network's own share page for ``message`` and ``link``, or None when it has none."""
    if network.share_url is None:
        return None
    return network.share_url.replace("{url}", encode(link)).replace("{text}", encode(message))


# --- the rewards and tone playbooks -----------------------------------------------------------


def rewards_playbook(portal: Portal) -> Item[Any] | None:
    """The first ``kind: rewards`` playbook, which sets the disclosure and points rules for sharing."""
    return next((p for p in portal.playbooks.values() if getattr(p.data, "kind", None) == "rewards"), None)


def disclosure_appended(portal: Portal) -> bool:
    rewards = rewards_playbook(portal)
    return bool(rewards is not None and rewards.data.disclosure_appended)


@dataclasses.dataclass(frozen=True)
class AvoidedWord:
    """One word or phrase of a tone playbook's ``avoided_words`` (an entry may list several, by commas)."""

    word: str
    choice: schema.WordChoice
    pattern: re.Pattern[str]


def avoided_words(portal: Portal) -> list[AvoidedWord]:
    found = []
    for playbook in portal.playbooks.values():
        if getattr(playbook.data, "kind", None) != "tone":
            continue
        for choice in playbook.data.avoided_words:  # type: ignore[attr-defined]
            for word in (w.strip() for w in choice.word.split(",")):
                if word:
                    found.append(AvoidedWord(word, choice, word_pattern(word)))
    return found


def word_pattern(word: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern; the words of a phrase may be split over lines."""
    body = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


# --- which posts a page shows -----------------------------------------------------------------


def today() -> dt.date:
    """The build's "today": the UTC date of SOURCE_DATE_EPOCH when set (reproducible builds), else the local date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def post_language(portal: Portal, post: Item[schema.Post]) -> str:
    return post.data.language or portal.config.default_language


def is_current(post: Item[schema.Post], day: dt.date) -> bool:
    return post.data.publish <= day <= post.data.expires


def current_posts(portal: Portal, language: str, day: dt.date) -> list[Item[schema.Post]]:
    """The posts the site of ``language`` shows on ``day``: published, not expired; newest first."""
    chosen = [p for p in portal.posts.values() if post_language(portal, p) == language and is_current(p, day)]
    return sorted(chosen, key=lambda p: (-p.data.publish.toordinal(), p.data.title.casefold(), p.id))


def audience(portal: Portal, post: Item[schema.Post]) -> list[Item[schema.Role]]:
    """The roles a post is meant for: those it names and those assigned a path it names; [] means everyone."""
    wanted = set(post.data.roles)
    return [r for r in portal.roles_by_level() if r.id in wanted or set(r.data.paths) & set(post.data.paths)]


# --- checks -----------------------------------------------------------------------------------


def check_posts(portal: Portal, problems: Problems) -> None:
    """Every check of approved posts and of the networks ``portal.yml`` adds."""
    _check_network_definitions(portal, problems)
    known = networks(portal)
    tag = portal.config.disclosure_hashtag
    appended = disclosure_appended(portal)
    avoided = avoided_words(portal)
    # Whether the disclosure is added for the editor is a setting of the rewards playbook: when a
    # playbook could not be read and none of those read is it, every post's check would be a guess.
    unsure = sorted(portal.unreadable.get("playbooks", ())) if rewards_playbook(portal) is None else []
    for post in portal.posts.values():
        _check_post(portal, post, known, tag, appended, avoided, problems, check_disclosure=not unsure)
        if unsure and post.data.networks:
            from generator.validate import unreadable_source  # local: validate imports this module

            for playbook_id in unsure:
                problems.skip(unreadable_source(portal, "playbooks", playbook_id),
                              "the disclosure hashtag of posts")


def _check_network_definitions(portal: Portal, problems: Problems) -> None:
    source = "content/portal.yml"
    doc = portal.config_doc
    for net_id, spec in portal.config.networks.items():
        if not _NETWORK_ID.match(net_id):
            line, col = doc.where(("networks", net_id))
            problems.add(source, line, col, f"network id `{net_id}` is not in the expected form",
                         hint="use lowercase letters, digits and hyphens, e.g. wechat")
        if spec.share_url is not None:
            placeholders = set(re.findall(r"\{([^{}]*)\}", spec.share_url))
            line, col = doc.value_at(("networks", net_id, "share_url"))
            if "url" not in placeholders:
                problems.add(source, line, col, "the share address has no {url} placeholder",
                             hint="write where the link goes, e.g. ...share.php?url={url}&title={text}")
            for name in sorted(placeholders - {"url", "text"}):
                problems.add(source, line, col, f"unknown placeholder {{{name}}} in the share address",
                             hint="only {url} and {text} are filled in")


def _check_post(
    portal: Portal, post: Item[schema.Post], known: dict[str, Network], tag: str, appended: bool,
    avoided: list[AvoidedWord], problems: Problems, *, check_disclosure: bool = True,
) -> None:
    from generator.validate import _reference  # local: validate imports this module

    data = post.data
    if not data.link.startswith("https://"):
        line, col = post.value_at("link")
        problems.add(post.source, line, col, f"the link `{data.link}` does not start with https://",
                     hint="link only to secure (https://) addresses")
    elif links_in(data.link) != [(0, len(data.link))]:
        line, col = post.value_at("link")
        problems.add(post.source, line, col, f"`{data.link}` is not a single web address",
                     hint="write one address such as https://jua-energy.example/kits, without spaces")
    if data.expires < data.publish:
        line, col = post.value_at("expires")
        problems.add(post.source, line, col,
                     f"expires on {data.expires.isoformat()}, before it is published on {data.publish.isoformat()}",
                     hint="the expiry date is the last day the post may be shared")
    for i, role_id in enumerate(data.roles):
        _reference(problems, post, ("roles", i), role_id, portal.roles, "role", portal)
    for i, path_id in enumerate(data.paths):
        _reference(problems, post, ("paths", i), path_id, portal.paths, "path", portal)
    if data.language is not None:
        _check_language(portal, post, problems)
    for net_id, text in data.networks.items():
        network = known.get(net_id)
        if network is None:
            _unknown_network(post, net_id, known, problems)
        _check_links_in_text(portal, post, net_id, text, problems)
        for word in avoided:
            found = _locate(portal, post, ("networks", net_id), word.pattern, text)
            if found is None:
                continue
            line, col, written = found
            choice = word.choice
            message = f"`{written}` is on the tone playbook's list of words to avoid"
            if choice.instead:
                message += f"; instead, say: {choice.instead}"
            problems.add(post.source, line, col, message, hint=choice.why)
        start = starting_text(text, data.hashtags, tag, appended)
        line, col = post.value_at("networks", net_id)
        if check_disclosure and not has_hashtag(start, tag):
            problems.add(post.source, line, col, f"the disclosure hashtag {tag} is missing",
                         hint=f"add {tag} to the text or to `hashtags`; the rewards playbook asks for it in every "
                         "post (or set `disclosure_appended: true` there to add it automatically)")
        if data.link and data.link in text:
            where = _locate(portal, post, ("networks", net_id), re.compile(re.escape(data.link)), text)
            at_line, at_col = (where[0], where[1]) if where else (line, col)
            problems.add(post.source, at_line, at_col, "the text repeats the post's link",
                         hint="leave it out: the link is added after the text when the post is shared")
        if network is None:
            continue
        message = shared_message(start, tag, appended)
        length = count(counted(message, data.link), network)
        if length > network.limit:
            parts = ["the link" + (f" (counted as {network.link_length})" if network.link_length else "")]
            if data.hashtags:
                parts.append("the hashtags")
            if appended:
                parts.append(tag)
            problems.add(post.source, line, col,
                         f"the {network.name} text is {length} characters as {network.name} counts them; "
                         f"the limit is {network.limit}",
                         hint=f"shorten it by {length - network.limit}; the count includes " + _and(parts))


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _check_language(portal: Portal, post: Item[schema.Post], problems: Problems) -> None:
    languages = site_languages(portal)
    language = post.data.language
    if languages is not None and language not in languages:
        line, col = post.value_at("language")
        guess = closest(str(language), languages)
        problems.add(post.source, line, col, f"the portal has no site in language `{language}`"
                     + (f"; did you mean `{guess}`?" if guess else ""),
                     hint="languages of this portal: " + ", ".join(languages))


def site_languages(portal: Portal) -> list[str] | None:
    """The languages the portal builds a site for, when ``portal.yml`` lists them (None: not known)."""
    listed = getattr(portal.config, "languages", None)
    if not listed:
        return None
    codes = [getattr(entry, "code", entry) for entry in listed]
    return [portal.config.default_language, *[c for c in codes if c != portal.config.default_language]]


def _unknown_network(post: Item[schema.Post], net_id: str, known: dict[str, Network], problems: Problems) -> None:
    line, col = post.where("networks", net_id)
    folded = net_id.casefold().strip()
    guess = _ALIASES.get(folded)
    guess = guess or next((n.id for n in known.values() if n.name.casefold() == folded), None)
    guess = guess or closest(folded, known)
    message = f"unknown network `{net_id}`" + (f"; did you mean `{guess}`?" if guess else "")
    problems.add(post.source, line, col, message,
                 hint=None if guess else "known networks: " + ", ".join(known)
                 + "; add others under `networks:` in content/portal.yml")


def _check_links_in_text(portal: Portal, post: Item[schema.Post], net_id: str, text: str, problems: Problems) -> None:
    for start, end in links_in(text):
        url = text[start:end]
        if url.startswith("http://"):
            found = _locate(portal, post, ("networks", net_id), re.compile(re.escape(url)), text)
            line, col = found[:2] if found else post.value_at("networks", net_id)
            problems.add(post.source, line, col, f"the link `{url}` does not start with https://",
                         hint="link only to secure (https://) addresses")
    for match in _BARE_WWW.finditer(text):
        address = match.group().rstrip(_URL_TRAILING)
        found = _locate(portal, post, ("networks", net_id), re.compile(re.escape(address)), text)
        line, col = found[:2] if found else post.value_at("networks", net_id)
        problems.add(post.source, line, col, f"the link `{address}` has no https://",
                     hint=f"write it as https://{address}")


# --- pointing into the source -----------------------------------------------------------------


@cache
def _source_lines(path: Path, mtime: float) -> list[str]:
    try:
        return decode(path.read_bytes()).split("\n")
    except (OSError, YamlProblem):
        return []


def _locate(
    portal: Portal, item: Item[Any], loc: tuple[Any, ...], pattern: re.Pattern[str], value: str
) -> tuple[int, int, str] | None:
    """Line, column and the matched text of ``pattern`` inside the value at ``loc``, or None if absent.

    The value's lines are searched in the source file (between where the value
    starts and where the next key or value starts), so the column points at
    the word itself whatever the YAML style; a match found only in the parsed
    value (a phrase folded over two lines) points at the value's start.
    """
    match = pattern.search(value)
    if match is None:
        return None
    start = item.doc.value_at(loc)
    end = _next_position(item.doc, start)
    path = portal.root / item.source
    try:
        lines = _source_lines(path, path.stat().st_mtime)
    except OSError:
        lines = []
    for number in range(start[0], min(end[0], len(lines)) + 1):
        line = lines[number - 1]
        first = start[1] - 1 if number == start[0] else 0
        last = end[1] - 1 if number == end[0] else len(line)
        found = pattern.search(line, first, max(first, last))
        if found is not None:
            return number, found.start() + 1, found.group()
    return start[0], start[1], match.group()


def _next_position(doc: Document, start: tuple[int, int]) -> tuple[int, int]:
    later = [p for p in (*doc.values.values(), *doc.keys.values()) if p > start]
    return min(later) if later else (10**9, 0)


# --- the share page ---------------------------------------------------------------------------


def share_page(renderer: Renderer) -> str:
    """The share page for the renderer's language."""
    portal, t = renderer.portal, renderer.t
    day = today()
    known = networks(portal)
    tag = portal.config.disclosure_hashtag
    appended = disclosure_appended(portal)
    posts = []
    shown_networks: dict[str, Network] = {}
    for post in current_posts(portal, renderer.language, day):
        roles = audience(portal, post)
        blocks = []
        for net_id, text in post.data.networks.items():
            network = known[net_id]
            shown_networks[net_id] = network
            start = starting_text(text, post.data.hashtags, tag, appended)
            message = shared_message(start, tag, appended)
            blocks.append({
                "network": network,
                "field": f"post-{post.slug}-{net_id}",
                "text": _textarea_text(start),
                "rows": min(14, max(3, len(start) // 70 + start.count("\n") + 2)),
                "count": count(counted(message, post.data.link), network),
                "href": share_href(network, message, post.data.link),
                "text_in_link": bool(network.share_url and "{text}" in network.share_url),
            })
        posts.append({"item": post, "roles": roles, "blocks": blocks})
    order = [n for n in known if n in shown_networks]
    rewards = rewards_playbook(portal)
    share_actions = [a for a in rewards.data.actions if a.share] if rewards is not None else []
    points = " ".join(
        t("share_points", action=a.action, n=a.points, limit=a.limit) if a.limit
        else t("share_points_nolimit", action=a.action, n=a.points)
        for a in share_actions
    )
    strings = {
        key: t(f"share_js_{key}")
        for key in ("count", "over", "shown", "none", "copied", "copy_failed", "added", "missing", "blocked")
    }
    meta = renderer.meta(t("share_title"), "share")
    meta["hide"] = ["toc"]
    return renderer.page(
        "share.md.j2", SHARE_PAGE, meta,
        posts=posts, networks=[shown_networks[n] for n in order], roles=portal.roles_by_level(),
        rewards=rewards, points=points, disclosure=tag, appended=appended,
        strings=strings, role_keys=ROLE_STORAGE_KEYS, rules=browser_rules(),
    )


def _textarea_text(text: str) -> Markup:
    """Text for a <textarea> in a raw HTML block: escaped, with line breaks as references so that a
    blank line cannot end the HTML block in Markdown."""
    return Markup(html.escape(text, quote=True).replace("\n", "&#10;"))


def has_share_page(portal: Portal) -> bool:
    """The share page exists once there is any approved post (in any language, current or not)."""
    return bool(portal.posts)
