"""JSON Schemas for editors, exported from the same pydantic models the validator uses.

Editors' YAML tools (the VS Code YAML extension, among others) speak JSON
Schema draft-07 and see *typed* YAML 1.2: ``minutes: 5`` is a number,
``required: false`` a boolean, ``2024-05-01`` a string. The models read
every scalar as text (see :mod:`generator.schema`), so the export keeps the
type each field finally has and writes the constraints in draft-07 words.

One file per content type, written to ``content/schemas/`` and committed, so
that each content file can name its schema on its first line::

    # yaml-language-server: $schema=../schemas/role.schema.json

Translation files get a schema of their own kind (``role.translation.schema.json``,
one per playbook kind, ...): only the translatable fields, with their descriptions,
and the source fingerprint. :func:`translation_schema_lines` writes the line that
names it at the top of every translation file (``portal schema`` runs it).
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import schema
from generator.kinds.registry import CONTENT_KINDS, PLAYBOOK_KINDS, TRANSLATABLE

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = Path("content") / "schemas"
"""Below the repository root. The loader reads only the folders of content types, never this one."""

# pydantic cannot push bounds through a type that parses text first (``Int``), so it
# writes them under its own names; draft-07 knows them as these.
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(ref_template="#/definitions/{model}")


def _draft07(node: Any) -> Any:
    """Rewrite pydantic's output (draft 2020-12 flavoured) into plain draft-07."""
    if isinstance(node, list):
        return [_draft07(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            out["definitions"] = {name: _draft07(sub) for name, sub in value.items()}
        elif key in _BOUNDS:
            out[_BOUNDS[key]] = value
        elif key == "title":
            continue  # pydantic's titles ("Min Points", "RewardAction") say less than the descriptions
        elif key in ("properties", "definitions"):
            out[key] = {name: _draft07(sub) for name, sub in value.items()}
        else:
            out[key] = _draft07(value)
    if "$ref" in out and len(out) > 1:
        # draft-07 ignores every keyword beside $ref; keep the description where editors read it
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def _document(title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    """A schema file: the draft-07 header first, then the body."""
    return {"$schema": DRAFT_07, "title": title, "description": description, **body}


def _simple(model: type[BaseModel], title: str) -> Callable[[Path], dict[str, Any]]:
    def make(root: Path) -> dict[str, Any]:
        body = _draft07(_model_schema(model))
        description = body.pop("description", "") or ""
        definitions = body.pop("definitions", None)
        if definitions:
            body["definitions"] = definitions  # after the fields, where a reader looks last
        return _document(title, description, body)

    return make


def custom_playbook_kinds(root: Path) -> list[str]:
    """Kinds that have a template in ``overrides/portal/playbooks/`` (besides the built-in ones)."""
    folder = root / "overrides" / "portal" / "playbooks"
    if not folder.is_dir():
        return []
    kinds = (p.name[: -len(".md.j2")] for p in folder.glob("*.md.j2"))
    return sorted(k for k in kinds if k and not k.startswith("_") and k not in PLAYBOOK_KINDS)


def playbook_schema(root: Path) -> dict[str, Any]:
    """One schema for every playbook: ``kind`` selects the fields (draft-07 ``if``/``then``)."""
    definitions: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    models: dict[str, type[BaseModel]] = {name: kind.model for name, kind in PLAYBOOK_KINDS.items()}
    custom = custom_playbook_kinds(root)
    for kind, model in models.items():
        converted = _draft07(_model_schema(model))
        definitions.update(converted.pop("definitions", {}))
        definitions[model.__name__] = converted
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/definitions/{model.__name__}"},
            }
        )
    if custom:
        converted = _draft07(_model_schema(schema.CustomPlaybook))
        definitions.update(converted.pop("definitions", {}))
        definitions["CustomPlaybook"] = converted
        branches.append(
            {
                "if": {"properties": {"kind": {"enum": custom}}, "required": ["kind"]},
                "then": {"$ref": "#/definitions/CustomPlaybook"},
            }
        )
    kinds = [*models, *custom]
    body = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {
                "description": "What sort of playbook this is; it decides which fields follow. "
                + "Built in: "
                + ", ".join(PLAYBOOK_KINDS)
                + (f"; with a template in overrides/portal/playbooks/: {', '.join(custom)}" if custom else "")
                + ".",
                "enum": kinds,
            }
        },
        "allOf": branches,
        "definitions": dict(sorted(definitions.items())),
    }
    return _document(
        "Playbook", f"`content/playbooks/<id>.yml`: a playbook of one kind ({', '.join(PLAYBOOK_KINDS)}).", body
    )


SCHEMAS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "portal": _simple(schema.PortalConfig, "Portal settings"),
    **{kind.singular: _simple(kind.model, kind.schema_title) if kind.model is not None else playbook_schema
       for kind in CONTENT_KINDS.values()},
}
"""Every content file type, by the name its schema file carries (``<name>.schema.json``)."""


# --- translation files ------------------------------------------------------------------------

FINGERPRINT_KEY = "source_fingerprint"  # as generator.translations reads it
TRANSLATION_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "portal": (schema.PortalConfig, "Portal settings"),
    **{kind.singular: (kind.model, kind.schema_title) for kind in TRANSLATABLE.values() if kind.model is not None},
    **{f"playbook-{name}": (kind.model, f"Playbook ({name})") for name, kind in PLAYBOOK_KINDS.items()},
    "playbook-custom": (schema.CustomPlaybook, "Playbook (a kind with its own template)"),
}
"""Every kind of translation file, by the name its schema carries (``<name>.translation.schema.json``)."""


def _translatable_node(annotation: Any, metadata: list[Any]) -> dict[str, Any] | None:
    """The schema of a value as a translation may hold it; None when it holds nothing to translate."""
    annotation, more = schema.unwrap_annotation(annotation)
    if any(isinstance(m, schema.Translatable) for m in [*metadata, *more]):
        return {"type": ["string", "null"]}  # left empty, the source's text shows
    if typing.get_origin(annotation) is list:
        inner = _translatable_node(typing.get_args(annotation)[0], [])
        return None if inner is None else {"type": "array", "items": inner}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = _translatable_fields(annotation)
        if not fields:
            return None
        summary = (annotation.__doc__ or "").strip().split("\n")[0]
        return {"description": summary, "type": "object", "properties": fields} if summary else {
            "type": "object", "properties": fields}
    return None


def _translatable_fields(model: type[BaseModel]) -> dict[str, Any]:
    fields = {}
    for name, field in model.model_fields.items():
        node = _translatable_node(field.annotation, list(field.metadata))
        if node is not None:
            fields[name] = {"description": field.description or "", **{k: v for k, v in node.items()
                                                                        if k != "description"}}
    return fields


def translation_schema(name: str) -> dict[str, Any]:
    """The schema of one kind of translation file: the fingerprint and the translatable fields.

    Fields that are not text (ids, numbers, references) are not listed: a translation leaves
    them out or copies them exactly, which the loader checks against the source. Nothing is
    required but the fingerprint, since a field left out shows the source's text.
    """
    model, title = TRANSLATION_MODELS[name]
    properties = {
        FINGERPRINT_KEY: {
            "description": "The fingerprint of the source file this translation was made from; "
            "`portal report translations --stamp <file>` records it once the translation is up to date.",
            "type": "string",
            "pattern": "^[0-9a-f]{12}$",
        },
        **_translatable_fields(model),
    }
    description = (
        f"Translation of {(model.__doc__ or '').strip().splitlines()[0]} It keeps the source's keys and lists, "
        "holding only translated text; a field left out shows the source's text."
    )
    return _document(f"{title}, translated", description,
                     {"type": "object", "required": [FINGERPRINT_KEY], "properties": properties})


_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)*\Z")
SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=\S*\Z")


def translation_schema_name(root: Path, path: Path) -> str | None:
    """The kind of translation schema for the file at ``path`` (in ``root/content``), or None.

    None for a file that is not a translation (no language in its name) and for a playbook
    translation whose source cannot be read (its kind is unknown).
    """
    from generator.yamlio import YamlProblem, decode, parse

    content = root / "content"
    folder = path.parent.name if path.parent != content else ""
    suffix = TRANSLATABLE[folder].suffix if folder in TRANSLATABLE else ".yml"
    if not path.name.endswith(suffix):
        return None
    item_id, dot, language = path.name[: -len(suffix)].rpartition(".")
    if not dot or not _LANGUAGE.match(language):
        return None
    if folder == "":
        return "portal" if item_id == "portal" else None
    if folder in TRANSLATABLE and TRANSLATABLE[folder].model is not None:
        return TRANSLATABLE[folder].singular
    if folder != "playbooks":
        return None
    try:
        data = parse(decode((path.parent / f"{item_id}.yml").read_bytes())).data
    except (OSError, YamlProblem):
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str):
        return None
    return f"playbook-{kind}" if kind in PLAYBOOK_KINDS else "playbook-custom"


def translation_files(root: Path) -> list[Path]:
    """Every file in content/ whose name carries a language: ``portal.sw.yml``, ``roles/ceo.zh.yml``, ..."""
    content = root / "content"
    found = sorted(content.glob("portal.*.yml"))
    for folder, suffix in ((folder, kind.suffix) for folder, kind in TRANSLATABLE.items()):
        found += sorted(p for p in (content / folder).glob(f"*.*{suffix}") if p.is_file())
    return [p for p in found if translation_schema_name(root, p) is not None]


def schema_line(root: Path, path: Path, name: str) -> str:
    """``# yaml-language-server: $schema=<relative path>`` for a file in content/ and a schema name."""
    target = root / SCHEMA_DIR / f"{name}.translation.schema.json"
    relative = Path(*[".."] * len(path.parent.relative_to(root / "content").parts), "schemas")
    return f"# yaml-language-server: $schema={(relative / target.name).as_posix()}"


def translation_schema_lines(root: Path, *, write: bool) -> list[Path]:
    """Translation files whose first line does not name their schema; ``write`` puts the line in."""
    return [path for path in translation_files(root) if fix_schema_line(root, path, write=write)]


def fix_schema_line(root: Path, path: Path, *, write: bool = True) -> bool:
    """Whether the translation file at ``path`` lacks the line naming its schema; ``write`` puts it in.

    The line goes first in a YAML file and first inside a lesson's front matter, and replaces
    a schema line already there. Nothing else in the file changes (comments, layout, line
    endings, byte order mark). A comment changes no data, so no translation becomes outdated:
    the recorded fingerprint is the source's, and the source is not touched.
    """
    name = translation_schema_name(root, path)
    if name is None:
        return False
    wanted = schema_line(root, path, name)
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False  # validate reports the file
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    at = 0
    if path.suffix == ".md":
        if lines[0] != "---":
            return False  # no front matter to hold it: validate reports the file
        at = 1
    if at < len(lines) and lines[at] == wanted:
        return False
    if write:
        if at < len(lines) and SCHEMA_LINE.match(lines[at]):
            lines[at] = wanted
        else:
            lines.insert(at, wanted)
        data = "\n".join(lines).replace("\n", newline).encode("utf-8")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return True


def schema_texts(root: Path) -> dict[str, str]:
    """``{file name: JSON text}`` for every content type, exactly as ``portal schema`` writes them."""
    texts = {
        f"{name}.schema.json": json.dumps(make(root), indent=2, ensure_ascii=False) + "\n"
        for name, make in SCHEMAS.items()
    }
    for name in TRANSLATION_MODELS:
        texts[f"{name}.translation.schema.json"] = (
            json.dumps(translation_schema(name), indent=2, ensure_ascii=False) + "\n"
        )
    return texts


def write_schemas(root: Path, out_dir: Path) -> list[Path]:
    """Write every schema into ``out_dir``; returns the files whose text changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_texts(root).items():
        path = out_dir / name
        if not path.is_file() or path.read_text("utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(root: Path, out_dir: Path) -> list[str]:
    """Names of schema files in ``out_dir`` that are missing or differ from what the models give."""
    stale = []
    for name, text in schema_texts(root).items():
        path = out_dir / name
        if not path.is_file() or path.read_text("utf-8") != text:
            stale.append(name)
    return stale
