"""JSON Schemas for editors, exported from the same pydantic models the validator uses.

Editors' YAML tools (the VS Code YAML extension, among others) speak JSON
Schema draft-07 and see *typed* YAML 1.2: ``minutes: 5`` is a number,
``required: false`` a boolean, ``2024-05-01`` a string. The models read
every scalar as text (see :mod:`generator.schema`), so the export keeps the
type each field finally has and writes the constraints in draft-07 words.

One file per content type, written to ``content/schemas/`` and committed, so
that each content file can name its schema on its first line::

    # yaml-language-server: $schema=../schemas/role.schema.json
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import schema

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
    return sorted(k for k in kinds if k and not k.startswith("_") and k not in schema.BUILTIN_PLAYBOOKS)


def playbook_schema(root: Path) -> dict[str, Any]:
    """One schema for every playbook: ``kind`` selects the fields (draft-07 ``if``/``then``)."""
    definitions: dict[str, Any] = {}
    branches: list[dict[str, Any]] = []
    models: dict[str, type[BaseModel]] = dict(schema.BUILTIN_PLAYBOOKS)
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
                + ", ".join(schema.BUILTIN_PLAYBOOKS)
                + (f"; with a template in overrides/portal/playbooks/: {', '.join(custom)}" if custom else "")
                + ".",
                "enum": kinds,
            }
        },
        "allOf": branches,
        "definitions": dict(sorted(definitions.items())),
    }
    return _document(
        "Playbook", "`content/playbooks/<id>.yml`: a playbook of one kind (tone, negativity, rewards).", body
    )


SCHEMAS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "portal": _simple(schema.PortalConfig, "Portal settings"),
    "role": _simple(schema.Role, "Role"),
    "path": _simple(schema.LearningPath, "Learning path"),
    "lesson": _simple(schema.LessonMeta, "Lesson front matter"),
    "playbook": playbook_schema,
    "post": _simple(schema.Post, "Approved post"),
}
"""Every content file type, by the name its schema file carries (``<name>.schema.json``)."""


def schema_texts(root: Path) -> dict[str, str]:
    """``{file name: JSON text}`` for every content type, exactly as ``portal schema`` writes them."""
    return {
        f"{name}.schema.json": json.dumps(make(root), indent=2, ensure_ascii=False) + "\n"
        for name, make in SCHEMAS.items()
    }


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
