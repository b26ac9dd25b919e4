"""The second layer of defence: rendered page HTML keeps only what Material and the portal use.

The checks already refuse ``<script>``, event handlers and ``javascript:``
links in content with their location; this removes anything that slipped
past them, while keeping the classes, ids, ``data-`` and ``aria-``
attributes that Material's styles, admonitions, code highlighting and the
portal's own widgets depend on.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "input", "ins", "kbd", "label", "legend", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var", "fieldset", "button", "output", "textarea", "select",
    "option", "time", "aside", "article", "header", "footer", "main",
}
COMMON = {"class", "id", "title", "lang", "dir", "role", "tabindex", "hidden"}
ATTRIBUTES = {
    "*": COMMON,
    "a": COMMON | {"href", "rel", "download", "hreflang", "type"},
    "img": COMMON | {"src", "alt", "width", "height", "loading"},
    "input": COMMON | {"type", "name", "value", "checked", "disabled", "placeholder", "autocomplete", "required",
                       "min", "max", "step", "accept"},
    "button": COMMON | {"type", "disabled", "name", "value"},
    "label": COMMON | {"for"},
    "textarea": COMMON | {"name", "rows", "cols", "placeholder", "maxlength", "readonly"},
    "select": COMMON | {"name", "multiple"},
    "option": COMMON | {"value", "selected"},
    "output": COMMON | {"for", "name"},
    "ol": COMMON | {"start", "reversed", "type"},
    "td": COMMON | {"colspan", "rowspan", "headers", "align"},
    "th": COMMON | {"colspan", "rowspan", "headers", "scope", "align"},
    "details": COMMON | {"open"},
    "time": COMMON | {"datetime"},
    "col": COMMON | {"span"},
    "q": COMMON | {"cite"},
    "blockquote": COMMON | {"cite"},
}


# Built once: ``nh3.clean`` converts its settings on every call, which was half its cost.
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    generic_attribute_prefixes={"data-", "aria-"},
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """``html`` with only allowed tags, attributes and URL schemes left."""
    return _CLEANER.clean(html)
