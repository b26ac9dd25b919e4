"""What each published language needs from the theme and its search.

The portal builds one MkDocs project per language (see :mod:`generator.build`),
so every language gets its own URL prefix (the default language at the site
root), its own ``theme.language`` (Material's interface strings, and
``dir="rtl"`` for Urdu) and its own search index with a word separator and a
pipeline that suit it. Languages are linked with ``extra.alternate``; the
portal's ``overrides/partials/alternate.html`` makes each entry lead to the
same page in the other language.
"""

from __future__ import annotations

import posixpath
from typing import Any

from generator.model import Portal

RIGHT_TO_LEFT = frozenset({"ar", "ckb", "dv", "fa", "he", "ks", "ku-IQ", "ps", "sd", "ug", "ur", "yi"})
"""Languages written right to left (Material reads the same from its interface strings)."""

ISO_639_1 = frozenset((
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
))
"""Two-letter language codes: a file suffix that is none of these (nor a declared code) is a typo."""

_WORD_BREAKS = r"[\s\-.,;:!?()\[\]" "\"'«»“”‘’…]+"
"""Spaces, hyphens and punctuation: without a stemmer that trims words, "habari," must split at the comma.
The quote is not escaped: Zensical's search compiles the separator with JavaScript's ``u`` flag, under
which ``\\"`` is an error that leaves search unavailable."""

SEARCH: dict[str, dict[str, Any]] = {
    # Chinese has no spaces between words. Material's search plugin segments the text into words
    # with jieba at build time and marks the breaks with U+200B, which JavaScript's \s does not
    # match: the separator must name it. In the browser, Material matches a Chinese query against
    # the words of the index, so a two-character word is found inside a longer sentence.
    "zh": {"separator": r"[\s\u200b\u3000\-、。，．？！；]+"},
    # Material ships lunr's Greek stemmer, which also folds accents and case, but MkDocs' option
    # check knows only the languages MkDocs itself ships and silently turns `el` into English.
    # The portal's plugin names Greek in the built index instead (`search_lang`).
    "el": {"separator": _WORD_BREAKS, "pipeline": ["stopWordFilter", "stemmer"], "index_lang": "el"},
    # English words meet their other forms ("complaints", "complaining") through lunr's stemmer; the
    # theme's default leaves it out, and splitting at punctuation lets "complaints," be stemmed.
    "en": {"separator": _WORD_BREAKS, "pipeline": ["stopWordFilter", "stemmer"]},
    # No lunr stemmer exists for Swahili or Urdu: index whole words, split at spaces and at the
    # punctuation of the language (Urdu: ، ؛ ؟ ۔), and keep the English stop-word filter away.
    # Swahili inflects mostly at the front (ma-jibu, ku-jibu, a-na-jibu): a query word is also
    # looked for inside the words of the index (`search_infix`, see the portal's search worker).
    "sw": {"separator": _WORD_BREAKS, "pipeline": [], "infix": True},
    "ur": {"separator": r"[\s\-.,;:!?()\[\]" "\"'«»،؛؟۔]+", "pipeline": []},
}
"""Search settings per language; a language not listed keeps the theme's own defaults."""

PLUGIN_NAME = "advocacy-portal"


def direction(code: str) -> str:
    """``rtl`` or ``ltr`` for a language code."""
    return "rtl" if code in RIGHT_TO_LEFT or code.split("-")[0] in RIGHT_TO_LEFT else "ltr"


def codes(portal: Portal) -> list[str]:
    """The portal's languages, the default first (it is published at the site root)."""
    default = portal.config.default_language
    return [default, *(lang.code for lang in portal.config.languages if lang.code != default)]


def name_of(portal: Portal, code: str) -> str:
    """The language's own name as declared in portal.yml (the code when it is not declared)."""
    return next((lang.name for lang in portal.config.languages if lang.code == code), code)


def prefix(portal: Portal, code: str) -> str:
    """The folder of a language below the site root: empty for the default language."""
    return "" if code == portal.config.default_language else code


def root_link(portal: Portal, from_code: str, to_code: str) -> str:
    """The relative URL from one language's home to another's, e.g. ``../el/``."""
    here = prefix(portal, from_code) or "."
    there = prefix(portal, to_code) or "."
    link = posixpath.relpath(there, here)
    return "./" if link == "." else link + "/"


def configure(config: dict[str, Any], portal: Portal, language: str) -> None:
    """Add to one language's MkDocs config: its search settings and the links to the other languages."""
    search = dict(SEARCH.get(language) or SEARCH.get(language.split("-")[0]) or {})
    index_lang = search.pop("index_lang", None)
    infix = search.pop("infix", False)
    _set_plugin_options(config, "search", search)
    if index_lang:
        _set_plugin_options(config, PLUGIN_NAME, {"search_lang": index_lang})
    if infix:
        _set_plugin_options(config, PLUGIN_NAME, {"search_infix": True})
    if language != portal.config.default_language:
        # The theme's scripts and styles are the same in every language: the language sites use
        # the copy at the site root (one download for a reader who switches language).
        shared = root_link(portal, language, portal.config.default_language)
        _set_plugin_options(config, PLUGIN_NAME, {"theme_assets": shared})
    if len(codes(portal)) > 1:
        extra = dict(config.get("extra") or {})
        extra["alternate"] = [
            {"name": name_of(portal, code), "lang": code, "link": root_link(portal, language, code)}
            for code in codes(portal)
        ]
        # overrides/main.html: the theme keeps its settings (the light or dark palette among
        # them) per site; every language shares those of the portal's root instead.
        extra["portal_root"] = root_link(portal, language, portal.config.default_language)
        config["extra"] = extra


def _set_plugin_options(config: dict[str, Any], name: str, options: dict[str, Any]) -> None:
    if not options:
        return
    plugins = []
    for entry in config.get("plugins") or []:
        entry_name = entry if isinstance(entry, str) else next(iter(entry))
        if entry_name == name:
            merged = {} if isinstance(entry, str) else dict(entry[entry_name] or {})
            merged.update(options)
            entry = {name: merged}
        plugins.append(entry)
    config["plugins"] = plugins
