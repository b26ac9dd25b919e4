"""Translations kept beside their source: ``roles/ceo.sw.yml``, ``lessons/<id>.el.md``, ``portal.zh.yml``.

A translated YAML file is an *overlay* of its source: the same keys, the same
list lengths in the same order, holding only translated text. Values that are
not text (ids, numbers, due days, references to roles, lessons, paths and
playbooks, severities, true/false) are left out or written exactly as in the
source; a field left out shows the source's text. A translated lesson has the
same front matter rules (its knowledge check keeps the number and order of
questions and options, and its ``answer`` is the translation of the correct
option) and a translated body.

Every translation records, as ``source_fingerprint``, the first 12 hex digits
of the SHA-256 of the source file it was made from. When the source changes,
the recorded fingerprint no longer matches and ``portal report translations``
lists the translation as outdated; ``--stamp`` records the current one after
a translator has brought the file up to date.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import markup, schema
from generator.errors import Problems
from generator.kinds.registry import PLAYBOOK_KINDS, TRANSLATABLE
from generator.languages import ISO_639_1, codes, direction, name_of
from generator.links import check_lesson_body, place_in_field
from generator.lookup import MESSAGES, USER_TEMPLATES
from generator.model import OWN_FOLDERS, Item, Lesson, Portal
from generator.shape import ContentCache, check_shape, closest, field_name, read_text, relative
from generator.yamlio import Document, YamlProblem, decode, load_settings, parse, problems_from, split_front_matter

FINGERPRINT_KEY = "source_fingerprint"
_FINGERPRINT = re.compile(r"[0-9a-f]{12}\Z")
_SUFFIX = {"portal": ".yml", **{folder: kind.suffix for folder, kind in TRANSLATABLE.items()}}
_PAGE_KINDS = {"home": "portal", **{kind.singular: folder for folder, kind in TRANSLATABLE.items() if kind.page}}
"""The page kinds the renderer names in a page's meta, and the content kind each one shows."""


@dataclasses.dataclass
class Translation:
    """One checked translation file, merged with its source into complete data."""

    language: str
    kind: str
    """``portal``, ``roles``, ``paths``, ``lessons`` or ``playbooks``."""
    item_id: str
    """The source item's id (empty for ``portal``)."""
    source: str
    """The translation file, relative to the repository root."""
    of: str
    """The source file it translates."""
    doc: Document
    data: Any
    """The source's data with the translated text in place: a model from :mod:`generator.schema`."""
    recorded: str
    """The source fingerprint recorded in the file."""
    current: str
    """The source fingerprint now."""
    body: str = ""
    body_line: int = 1

    @property
    def outdated(self) -> bool:
        return self.recorded != self.current


def text_fingerprint(text: str) -> str:
    """The fingerprint of a source file's text: 12 hex digits of the SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def file_fingerprint(path: Path) -> str:
    """The fingerprint of a file as the loader reads it (no BOM, LF line endings)."""
    return text_fingerprint(decode(path.read_bytes()))


def split_name(name: str, suffix: str) -> tuple[str, str | None]:
    """``ceo.sw.yml`` gives ``("ceo", "sw")``; ``ceo.yml`` gives ``("ceo", None)``."""
    stem = name[: -len(suffix)] if name.endswith(suffix) else name
    item_id, dot, language = stem.rpartition(".")
    return (item_id, language) if dot else (stem, None)


def translation_path(source: str, language: str) -> str:
    """``content/roles/ceo.yml`` and ``sw`` give ``content/roles/ceo.sw.yml``."""
    stem, _, suffix = source.rpartition(".")
    return f"{stem}.{language}.{suffix}"


# --- reading ---------------------------------------------------------------------------------


def load_translations(
    portal: Portal, files: list[tuple[str, Path]], problems: Problems, cache: ContentCache | None = None
) -> None:
    """Read and check every translation file; the good ones go to ``portal.translations``.

    ``files`` are ``(kind, path)`` pairs the loader set aside because their names carry a
    language (``kind`` is ``portal`` for ``content/portal.<lang>.yml``). With ``cache``, a
    file is checked again only when its bytes or its source changed.
    """
    root = portal.root
    declared = codes(portal)
    for kind, path in files:
        rel = relative(path, root)
        item_id, language = split_name(path.name, _SUFFIX[kind])
        if language is None or not _language_is_usable(portal, language, declared, rel, problems):
            continue
        source_path = path.with_name(item_id + _SUFFIX[kind])
        source_rel = relative(source_path, root)
        if kind == "portal":
            if item_id != "portal":
                continue  # not a translation of portal.yml: the loader does not read such files
            item_id, item = "", None
        else:
            item = _items(portal, kind).get(item_id)
            if item is None:
                if not source_path.exists():
                    problems.add(rel, 0, 0, f"a translation of {source_rel}, which does not exist",
                                 hint="a translation keeps its source's file name, with the language before "
                                 "the extension")
                continue  # the source has errors of its own, already reported
        load = functools.partial(_load_one, portal, kind, item_id, item, path, rel, source_path, source_rel, language)
        # The result depends on the source as read in this run: its item, or for portal.yml its document.
        source = item if item is not None else portal.config_doc
        translation = cache.read(path, problems, load, source) if cache is not None else load(problems, None)
        if translation is not None:
            portal.translations.setdefault(language, {})[(kind, item_id)] = translation


def _items(portal: Portal, kind: str) -> dict[str, Item[Any]]:
    return portal.items(kind)


def _language_is_usable(portal: Portal, language: str, declared: list[str], rel: str, problems: Problems) -> bool:
    default = portal.config.default_language
    others = [code for code in declared if code != default]
    if language == default:
        problems.add(rel, 0, 0, f"`{language}` is the default language: the source file is already in it",
                     hint="remove the language from the file name, or the file")
        return False
    if language in declared:
        return True
    if language.split("-")[0] in ISO_639_1:
        problems.add(rel, 0, 0, f"a translation into `{language}`, which content/portal.yml does not declare",
                     hint=f"add `- {{code: {language}, name: ...}}` to `languages` in content/portal.yml"
                     + (f", or use one of: {', '.join(others)}" if others else ""))
    else:
        problems.add(rel, 0, 0, f"unknown language suffix `.{language}` in the file name",
                     hint=("declared languages: " + ", ".join(others)) if others
                     else "declare languages in content/portal.yml (`languages`) before translating")
    return False


def _load_one(
    portal: Portal, kind: str, item_id: str, item: Any, path: Path, rel: str,
    source_path: Path, source_rel: str, language: str, problems: Problems, raw: bytes | None = None,
) -> Translation | None:
    text = read_text(path, portal.root, problems, raw)
    if text is None:
        return None
    try:
        current = file_fingerprint(source_path)
    except (OSError, YamlProblem):
        return None  # the source cannot be read; its own problem is reported
    body, body_line = "", 1
    try:
        if kind == "lessons":
            front, body, body_line = split_front_matter(text)
            doc = parse(front, line_offset=1)
        else:
            doc = parse(text)
    except YamlProblem as exc:
        problems.extend(problems_from(exc, rel))
        return None
    if not isinstance(doc.data, dict):
        line, col = doc.value_at(())
        problems.add(rel, line, col, "expected a mapping of fields (key: value), like the source")
        return None
    recorded = _check_fingerprint(doc, rel, problems)
    if kind == "portal":
        model: type[BaseModel] = schema.PortalConfig
        source_data = portal.config_doc.data
    else:
        model = _model_of(kind, item)
        source_data = item.doc.data
    overlay = {key: value for key, value in doc.data.items() if key != FINGERPRINT_KEY}
    before = len(problems.errors)
    _Overlay(model, doc, rel, source_rel, problems).check(source_data, overlay, ())
    if len(problems.errors) > before or recorded is None:
        return None
    merged = _merge(source_data, overlay)
    data = check_shape(model, Document(merged, doc.values, doc.keys), rel, problems)
    if data is None:
        return None
    if isinstance(data, schema.LessonMeta):
        if not body.strip():
            problems.add(rel, body_line, 1, "the translation has no text below its front matter",
                         hint="translate the lesson's text too")
            return None
        if not _check_answers(item.data, data, doc, rel, problems):
            return None
    return Translation(language, kind, item_id, rel, source_rel, doc, data, recorded, current, body, body_line)


def _check_fingerprint(doc: Document, rel: str, problems: Problems) -> str | None:
    value = doc.data.get(FINGERPRINT_KEY)
    hint = f"run `portal report translations --stamp {rel}` once the translation matches its source"
    if value is None:
        line, col = doc.value_at(())
        problems.add(rel, line, col, f"missing `{FINGERPRINT_KEY}`: the fingerprint of the source it translates",
                     hint=hint)
        return None
    if not isinstance(value, str) or not _FINGERPRINT.match(value.strip()):
        line, col = doc.value_at((FINGERPRINT_KEY,))
        problems.add(rel, line, col, f"`{FINGERPRINT_KEY}` must be 12 lowercase hex digits", hint=hint)
        return None
    return value.strip()


def _model_of(kind: str, item: Item[Any]) -> type[BaseModel]:
    model = TRANSLATABLE[kind].model
    if model is not None:
        return model
    playbook_kind = PLAYBOOK_KINDS.get(item.data.kind)
    return playbook_kind.model if playbook_kind is not None else schema.CustomPlaybook


class _Overlay:
    """Compare a translation's data with its source's, reporting every change that is not text."""

    def __init__(self, model: type[BaseModel], doc: Document, rel: str, source_rel: str, problems: Problems):
        self.model, self.doc, self.rel, self.source_rel, self.problems = model, doc, rel, source_rel, problems

    def error(self, loc: tuple[Any, ...], message: str, hint: str | None = None, *, at_key: bool = False) -> None:
        line, col = self.doc.where(loc) if at_key else self.doc.value_at(loc)
        self.problems.add(self.rel, line, col, message, hint=hint)

    def check(self, source: Any, translated: Any, loc: tuple[Any, ...]) -> None:
        field = field_name(loc)
        if isinstance(translated, dict):
            if not isinstance(source, dict):
                self.error(loc, f"`{field}` is a mapping here but {_shape(source)} in the source ({self.source_rel})")
                return
            for key, value in translated.items():
                if key not in source:
                    guess = closest(key, source)
                    where = f"`{field_name((*loc, key))}`"
                    self.error((*loc, key), f"{where} is not in the source ({self.source_rel})"
                               + (f"; did you mean `{guess}`?" if guess else ""),
                               hint="a translation holds the source's fields only, with their text translated",
                               at_key=True)
                    continue
                self.check(source[key], value, (*loc, key))
        elif isinstance(translated, list):
            if not isinstance(source, list):
                self.error(loc, f"`{field}` is a list here but {_shape(source)} in the source ({self.source_rel})")
            elif len(translated) != len(source):
                self.error(loc, f"`{field}` has {len(translated)} item(s) here but {len(source)} in the source "
                           f"({self.source_rel})",
                           hint="a translation keeps every list of its source, item for item and in the same order")
            else:
                for index, (src, tr) in enumerate(zip(source, translated, strict=True)):
                    self.check(src, tr, (*loc, index))
        elif translated is None:
            return  # an empty value shows the source's
        elif isinstance(source, (dict, list)):
            self.error(loc, f"`{field}` is text here but {_shape(source)} in the source ({self.source_rel})",
                       hint="translate the fields inside it instead")
        elif not _is_text(self.model, loc) and translated.strip() != (source or "").strip():
            shown = "nothing" if source is None else f"`{source}`"
            self.error(loc, f"`{field}` is `{translated}` here but {shown} in the source ({self.source_rel}); "
                       "a translation changes text only",
                       hint="leave this field out of the translation, or write it exactly as in the source")


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else "text"


def _merge(source: Any, translated: Any) -> Any:
    """The source with the translation's values in place (the two have the same shape)."""
    if isinstance(source, dict) and isinstance(translated, dict):
        merged = dict(source)
        for key, value in translated.items():
            merged[key] = _merge(source.get(key), value)
        return merged
    if isinstance(source, list) and isinstance(translated, list):
        return [_merge(s, t) for s, t in zip(source, translated, strict=True)]
    return source if translated is None else translated


def _is_text(model: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    """Whether the schema marks the value at ``loc`` as translatable text.

    A field the model does not describe (the own fields of a custom playbook kind) counts as
    text: its structure is still checked, its words may change.
    """
    current: Any = model
    metadata: list[Any] = []
    for part in loc:
        current, more = schema.unwrap_annotation(current)
        if isinstance(part, int):
            if typing.get_origin(current) is not list:
                return True
            current, metadata = typing.get_args(current)[0], []
        else:
            if not (isinstance(current, type) and issubclass(current, BaseModel)):
                return True
            field = current.model_fields.get(part)
            if field is None:
                return True
            current, metadata = field.annotation, list(field.metadata)
    _, more = schema.unwrap_annotation(current)
    return any(isinstance(m, schema.Translatable) for m in [*metadata, *more])


def _check_answers(source: schema.LessonMeta, translated: schema.LessonMeta, doc: Document, rel: str,
                   problems: Problems) -> bool:
    """The correct option keeps its place: ``answer`` is the translation of the source's answer."""
    if source.check is None or translated.check is None:
        return True
    fine = True
    for index, (src, tr) in enumerate(zip(source.check.questions, translated.check.questions, strict=True)):
        if src.answer not in src.options:
            continue  # reported in the source
        right = src.options.index(src.answer)
        line, col = doc.value_at(("check", "questions", index, "answer"))
        if len(set(tr.options)) != len(tr.options):
            oline, ocol = doc.value_at(("check", "questions", index, "options"))
            problems.add(rel, oline, ocol, "two options are the same")
            fine = False
        elif tr.answer != tr.options[right]:
            if tr.answer in tr.options:
                message = (f"the answer is option {tr.options.index(tr.answer) + 1} here but option {right + 1} "
                           "in the source")
            else:
                message = f"the answer must be the translation of option {right + 1}, written exactly as that option"
            problems.add(rel, line, col, message, hint=f"copy option {right + 1} of this question exactly")
            fine = False
    return fine


# --- cross-file checks -----------------------------------------------------------------------


def check_translations(
    portal: Portal, problems: Problems, theme_has_language: Callable[[Path, str], bool] | None = None
) -> None:
    """The declared languages, and the Markdown and links of every translation.

    ``theme_has_language(root, code)`` tells whether the site's theme speaks a declared
    language; the engine's side knows (see :func:`generator.project.theme_has_language`).
    """
    _check_languages(portal, problems, theme_has_language)
    for translations in portal.translations.values():
        for translation in translations.values():
            if translation.kind == "lessons":
                original = portal.lessons[translation.item_id]
                lesson = dataclasses.replace(original, data=translation.data, source=translation.source,
                                             doc=translation.doc, body=translation.body,
                                             body_line=translation.body_line)
                check_lesson_body(portal, lesson, problems)
            for field in _MARKDOWN_FIELDS:
                text = getattr(translation.data, field, None)
                if not text or (field,) not in translation.doc.values:
                    continue  # a field the translation leaves out shows the source's text, checked there
                found = markup.hazards(text)
                if not found:
                    continue
                place = place_in_field(portal.root / translation.source, translation.doc.value_at((field,)), text)
                for hazard in found:
                    problems.add(translation.source, *place(hazard.line, hazard.col),
                                 f"{hazard.message} (in `{field}`)",
                                 hint="this field is Markdown; ask a developer for an approved component")


_MARKDOWN_FIELDS = tuple(dict.fromkeys(
    ["introduction", *(field for kind in TRANSLATABLE.values() for field in kind.markdown_fields)]
))
"""Fields written in Markdown: portal.yml's introduction and those the content kinds declare."""


def _check_languages(
    portal: Portal, problems: Problems, theme_has_language: Callable[[Path, str], bool] | None
) -> None:
    config, doc = portal.config, portal.config_doc
    source = "content/portal.yml"
    if not config.languages:
        return
    declared = [lang.code for lang in config.languages]
    if config.default_language not in declared:
        line, col = doc.value_at(("default_language",) if "default_language" in doc.data else ("languages",))
        problems.add(source, line, col, f"the default language `{config.default_language}` is not in `languages`",
                     hint="list every language the portal is published in, the default one included")
    seen: set[str] = set()
    for index, code in enumerate(declared):
        if code in seen:
            line, col = doc.value_at(("languages", index, "code"))
            problems.add(source, line, col, f"language `{code}` is declared twice")
            continue
        seen.add(code)
        line, col = doc.value_at(("languages", index, "code"))
        if theme_has_language is not None and not theme_has_language(portal.root, code):
            problems.add(source, line, col, f"the theme has no interface strings for `{code}`",
                         hint=f"add overrides/partials/languages/{code}.html "
                         "(copy Material's en.html and translate it)")
        missing = _missing_messages(portal.root, code)
        if missing:
            problems.add(source, line, col, f"{len(missing)} interface string(s) of the portal have no `{code}` "
                         f"translation and show in English: {', '.join(missing[:5])}"
                         + (", ..." if len(missing) > 5 else ""),
                         severity="warning",
                         hint=f"add them to generator/messages/{code}.yml or overrides/portal/messages/{code}.yml")


def _missing_messages(root: Path, code: str) -> list[str]:
    def keys(path: Path) -> set[str]:
        if not path.is_file():
            return set()
        data = load_settings(path.read_text("utf-8")) or {}
        return set(data) if isinstance(data, dict) else set()

    wanted = keys(MESSAGES / "en.yml") | keys(root / USER_TEMPLATES / "messages" / "en.yml")
    have = keys(MESSAGES / f"{code}.yml") | keys(root / USER_TEMPLATES / "messages" / f"{code}.yml")
    return sorted(wanted - have)


# --- a portal in one language ----------------------------------------------------------------


def localize(portal: Portal, language: str) -> Portal:
    """The portal with the text of ``language`` where a translation exists, the source's elsewhere."""
    if language == portal.config.default_language or portal.language == language:
        return portal
    found = portal.translations.get(language, {})
    fallbacks: set[tuple[str, str]] = set()

    def swap(kind: str, items: dict[str, Any]) -> dict[str, Any]:
        result = {}
        for item_id, item in items.items():
            translation = found.get((kind, item_id))
            if translation is None:
                fallbacks.add((kind, item_id))
                result[item_id] = item
                continue
            changes: dict[str, Any] = {"data": translation.data, "source": translation.source, "doc": translation.doc}
            if isinstance(item, Lesson):
                # The fingerprint stays the source's: progress counts whichever language it was made in.
                changes.update(body=translation.body, body_line=translation.body_line)
            result[item_id] = dataclasses.replace(item, **changes)
        return result

    home = found.get(("portal", ""))
    if home is None:
        fallbacks.add(("portal", ""))
    swapped: dict[str, Any] = {folder: swap(folder, portal.items(folder))
                               for folder in TRANSLATABLE if folder in OWN_FOLDERS}
    return dataclasses.replace(
        portal,
        config=home.data if home else portal.config,
        config_doc=home.doc if home else portal.config_doc,
        others={folder: swap(folder, items) if folder in TRANSLATABLE else items
                for folder, items in portal.others.items()},
        language=language,
        fallbacks=fallbacks,
        **swapped,
    )


def fallback_meta(portal: Portal, page_kind: str, item_id: str, t: Any) -> dict[str, Any]:
    """Front matter that makes the theme say a page is shown untranslated, in the reader's language."""
    kind = _PAGE_KINDS.get(page_kind)
    if not portal.language or kind is None or (kind, item_id) not in portal.fallbacks:
        return {}
    default = portal.config.default_language
    return {"portal_fallback": {
        "lang": default,
        "dir": direction(default),
        "note": t("fallback_note", language=name_of(portal, default)),
        # Lessons mark their own words (lesson.md.j2); in a language of the other direction the
        # plugin marks the untranslated paragraphs. Elsewhere the theme marks the whole page.
        "wrap": page_kind != "lesson" and direction(portal.language) == direction(default),
    }}


# --- status and stamping ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PageStatus:
    """Where one page stands in one language."""

    language: str
    source: str
    translation: str
    state: str
    """``current``, ``outdated`` or ``missing``."""
    recorded: str | None = None
    current: str | None = None


def status(portal: Portal) -> list[PageStatus]:
    """For each language but the default and each source file: translated, outdated or missing."""
    root = portal.root
    sources = ["content/portal.yml", *(item.source for kind in TRANSLATABLE for item in _items(portal, kind).values())]
    result = []
    for language in codes(portal)[1:]:
        for source in sources:
            target = translation_path(source, language)
            path = root / target
            if not path.is_file():
                result.append(PageStatus(language, source, target, "missing"))
                continue
            try:
                current = file_fingerprint(root / source)
            except (OSError, YamlProblem):
                continue
            recorded = recorded_fingerprint(path)
            state = "current" if recorded == current else "outdated"
            result.append(PageStatus(language, source, target, state, recorded, current))
    return result


def recorded_fingerprint(path: Path) -> str | None:
    """The ``source_fingerprint`` a translation file records, or None when it cannot be read."""
    try:
        text = decode(path.read_bytes())
        if path.suffix == ".md":
            text = split_front_matter(text)[0]
        data = parse(text).data
    except (OSError, YamlProblem):
        return None
    value = data.get(FINGERPRINT_KEY) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else None


_FINGERPRINT_LINE = re.compile(r"^source_fingerprint[ \t]*:.*$", re.MULTILINE)


def stamp(path: Path, source: Path) -> str:
    """Record ``source``'s current fingerprint in the translation at ``path``; returns the fingerprint.

    Only the ``source_fingerprint`` line changes (it is added as the first key when missing);
    the file keeps its comments, layout and line endings.
    """
    fingerprint = file_fingerprint(source)
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    line = f'{FINGERPRINT_KEY}: "{fingerprint}"'
    if path.suffix == ".md":
        if not text.startswith("---\n"):
            raise ValueError(f"{path.name}: a translated lesson starts with front matter between --- lines")
        end = text.find("\n---", 4)
        front = text[4:end + 1] if end >= 0 else ""
        if end < 0:
            raise ValueError(f"{path.name}: the front matter has no closing --- line")
        front = _set_line(front, line)
        text = "---\n" + front + text[end + 1:]
    else:
        text = _set_line(text, line)
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return fingerprint


def _set_line(yaml_text: str, line: str) -> str:
    if _FINGERPRINT_LINE.search(yaml_text):
        return _FINGERPRINT_LINE.sub(line, yaml_text, count=1)
    lines = yaml_text.split("\n")
    at = 0
    while at < len(lines) and lines[at].startswith("#"):
        at += 1  # after leading comments such as a schema line
    lines.insert(at, line)
    return "\n".join(lines)
