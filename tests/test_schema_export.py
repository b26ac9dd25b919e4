"""The JSON Schemas editors get: committed, current, draft-07, and true to the sample content."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from conftest import REPO, run_portal
from jsonschema import Draft7Validator

from generator.schema_export import SCHEMA_DIR, schema_texts, stale_schemas
from generator.yamlio import split_front_matter

SCHEMAS = REPO / SCHEMA_DIR
FOLDER_SCHEMA = {"roles": "role", "paths": "path", "playbooks": "playbook", "lessons": "lesson", "posts": "post"}


class Yaml12Loader(yaml.SafeLoader):
    """Typed YAML as editors see it (YAML 1.2 core schema): `no` and `2024-05-01` stay text."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"(?:~|null|Null|NULL|)\Z", ["~", "n", "N", ""]),
    ("bool", r"(?:true|True|TRUE|false|False|FALSE)\Z", list("tTfF")),
    ("int", r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z", list("-+0123456789")),
    (
        "float",
        r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z",
        list("-+0123456789."),
    ),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


def load12(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader with fewer implicit types


def validator(name: str) -> Draft7Validator:
    return Draft7Validator(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")))


def errors(name: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator(name).iter_errors(data)
    ]


def sample_documents() -> list[tuple[str, str, Any]]:
    """(path, schema name, data) for every sample YAML file and every lesson's front matter."""
    found = [("content/portal.yml", "portal", load12((REPO / "content/portal.yml").read_text("utf-8")))]
    for folder, name in FOLDER_SCHEMA.items():
        for path in sorted((REPO / "content" / folder).iterdir()):
            if path.name.count(".") > 1:
                continue  # a translation (<id>.<language>.<ext>): an overlay of its source, checked by the loader
            text = path.read_text("utf-8")
            if folder == "lessons":
                text = split_front_matter(text)[0]
            found.append((path.relative_to(REPO).as_posix(), name, load12(text)))
    return found


def test_the_test_loader_types_scalars_as_editors_do():
    data = load12("a: no\nb: 2024-05-01\nc: 5\nd: false\ne: 12:30\nf: ~\n")
    assert data == {"a": "no", "b": "2024-05-01", "c": 5, "d": False, "e": "12:30", "f": None}


def test_committed_schemas_match_what_portal_schema_writes():
    stale = stale_schemas(REPO, SCHEMAS)
    assert not stale, f"out of date in content/schemas/: {stale}; run `portal schema` and commit the result"


def test_every_schema_is_valid_draft_07():
    for name in schema_texts(REPO):
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        Draft7Validator.check_schema(schema)
        assert "$defs" not in json.dumps(schema), "draft-07 names them definitions"


def _properties(node: Any, where: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":
                continue  # a condition on a field, not a field
            if key == "properties":
                for name, prop in value.items():
                    yield f"{where}.{name}", prop
                    yield from _properties(prop, f"{where}.{name}")
            else:
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item, where)


def test_every_field_of_every_schema_has_a_description():
    for name in schema_texts(REPO):
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        missing = [where for where, prop in _properties(schema) if not prop.get("description")]
        assert not missing, f"{name}: fields without a description: {missing}"


@pytest.mark.parametrize("path,name,data", sample_documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_sample_file_validates_against_its_committed_schema(path, name, data):
    assert errors(name, data) == []


def test_sample_yaml_files_name_their_schema_on_the_first_line():
    files = [REPO / "content/portal.yml"]
    for folder in ("roles", "paths", "playbooks", "posts"):
        files += [p for p in sorted((REPO / "content" / folder).glob("*.yml")) if p.name.count(".") == 1]
    for path in files:
        first = path.read_text("utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path.relative_to(REPO)}: first line is {first!r}"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file(), f"{path.relative_to(REPO)} names {match.group(1)}, which does not exist"
        expected = "portal" if path.name == "portal.yml" else FOLDER_SCHEMA[path.parent.name]
        assert target.name == f"{expected}.schema.json"


def test_files_portal_new_writes_name_their_schema_and_validate_against_it(runner, sample):
    for kind, name in (("lesson", "answering-reviews"), ("role", "intern"), ("path", "interns")):
        assert run_portal(runner, sample, "new", kind, name).exit_code == 0
    lesson = (sample / "content/lessons/answering-reviews.md").read_text("utf-8")
    assert lesson.splitlines()[:2] == ["---", "# yaml-language-server: $schema=../schemas/lesson.schema.json"]
    assert errors("lesson", load12(split_front_matter(lesson)[0])) == []
    for path, name in (("roles/intern.yml", "role"), ("paths/interns.yml", "path")):
        text = (sample / "content" / path).read_text("utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=../schemas/{name}.schema.json"
        assert errors(name, load12(text)) == []


def test_schemas_type_numbers_booleans_and_dates_as_editors_write_them():
    step = {"lesson": "answering-fast", "due_day": 5, "required": False}
    assert errors("path", {"title": "T", "summary": "S", "steps": [step]}) == []
    assert errors("path", {"title": "T", "summary": "S", "steps": [{**step, "due_day": 731}]})
    assert errors("path", {"title": "T", "summary": "S", "steps": [{**step, "required": "no"}]})
    lesson = load12((REPO / "content/lessons/answering-fast.md").read_text("utf-8").split("---")[1])
    assert any("minimum" in e or "less than" in e for e in errors("lesson", {**lesson, "minutes": 0}))


def test_playbook_kind_selects_the_fields_that_may_follow():
    tone = load12((REPO / "content/playbooks/tone.yml").read_text("utf-8"))
    assert errors("playbook", tone) == []
    assert any("situations" in e for e in errors("playbook", {**tone, "situations": []}))
    assert errors("playbook", {**tone, "kind": "negativity"}), "a tone playbook is not a negativity playbook"
    assert any("kind" in e for e in errors("playbook", {k: v for k, v in tone.items() if k != "kind"}))


def test_schema_with_a_custom_playbook_kind_accepts_it(sample):
    template = sample / "overrides/portal/playbooks/events.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("# {{ data.title }}\n", encoding="utf-8")
    schema = json.loads(schema_texts(sample)["playbook.schema.json"])
    assert schema["properties"]["kind"]["enum"] == ["tone", "negativity", "rewards", "events"]
    data = {"kind": "events", "title": "Events", "summary": "Trade fairs.", "fairs": ["Nairobi"]}
    assert list(Draft7Validator(schema).iter_errors(data)) == []


def test_portal_schema_check_reports_stale_files_and_writes_them(runner, sample, tmp_path):
    out = tmp_path / "schemas"
    result = run_portal(runner, sample, "schema", "--out", str(out), "--check")
    assert result.exit_code == 1
    assert "role.schema.json: out of date" in result.output
    assert run_portal(runner, sample, "schema", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_texts(sample))
    assert run_portal(runner, sample, "schema", "--out", str(out), "--check").exit_code == 0


def test_the_loader_does_not_read_the_schemas_folder(runner, sample):
    (sample / "content/schemas/notes.yml").write_text("not: [content", encoding="utf-8")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output
    assert "schemas" not in result.output



# --- translation files ----------------------------------------------------------------------


def _translation_documents() -> list[tuple[str, str, Any]]:
    from generator.schema_export import translation_files, translation_schema_name

    found = []
    for path in translation_files(REPO):
        name = translation_schema_name(REPO, path)
        assert name is not None, "translation_files lists only files that have a translation schema"
        text = path.read_text("utf-8")
        if path.suffix == ".md":
            text = split_front_matter(text)[0]
        found.append((path.relative_to(REPO).as_posix(), name, load12(text)))
    return found


def test_every_translation_file_names_its_translation_schema_on_the_first_line():
    from generator.schema_export import translation_files, translation_schema_lines

    files = translation_files(REPO)
    assert len(files) >= 76
    assert translation_schema_lines(REPO, write=False) == [], "run `portal schema` and commit the result"
    for path in files:
        lines = path.read_text("utf-8").splitlines()
        first = lines[1] if path.suffix == ".md" else lines[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path.relative_to(REPO)}: {first!r}"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file() and target.name.endswith(".translation.schema.json"), match.group(1)


@pytest.mark.parametrize("path,name,data", _translation_documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_sample_translation_validates_against_its_translation_schema(path, name, data):
    assert errors(f"{name}.translation", data) == []


def test_a_translation_schema_offers_the_translatable_fields_only_with_their_descriptions():
    role = json.loads((SCHEMAS / "role.translation.schema.json").read_text("utf-8"))
    fields = role["properties"]
    assert {"source_fingerprint", "title", "summary", "social_media", "do", "dont"} <= set(fields)
    assert not {"level", "paths", "includes"} & set(fields), "ids and numbers are not translated"
    assert set(fields["needs_approval"]["items"]["properties"]) == {"what"}  # not the approver's id
    assert fields["title"]["description"] == "The role's name, e.g. Sales representative."
    assert role["required"] == ["source_fingerprint"]
    negativity = json.loads((SCHEMAS / "playbook-negativity.translation.schema.json").read_text("utf-8"))
    situation = negativity["properties"]["situations"]["items"]["properties"]
    assert "steps" in situation and not {"severity", "owner", "id"} & set(situation)
    assert errors("role.translation", {"source_fingerprint": "abc"}), "the fingerprint is 12 hex digits"


def test_portal_schema_gives_a_new_translation_its_line_without_making_it_outdated(runner, sample):
    new = sample / "content/paths/foundations.el.yml"
    new.unlink()
    fingerprint = (sample / "content/paths/foundations.sw.yml").read_text("utf-8").split('"')[1]
    body = f'source_fingerprint: "{fingerprint}"\r\n# the translator\'s own note\r\ntitle: "Βασικά"\r\n'
    new.write_bytes(body.encode("utf-8"))
    lesson = sample / "content/lessons/answering-fast.zh.md"
    wanted = "# yaml-language-server: $schema=../schemas/lesson.translation.schema.json"
    lesson.write_text(lesson.read_text("utf-8").replace(wanted, "# yaml-language-server: $schema=old.json"), "utf-8")
    before = run_portal(runner, sample, "report", "translations").output
    checked = run_portal(runner, sample, "schema", "--check")
    assert checked.exit_code == 1
    assert "content/paths/foundations.el.yml: its first line does not name its translation schema" in checked.output
    assert "content/lessons/answering-fast.zh.md" in checked.output
    assert run_portal(runner, sample, "schema").exit_code == 0
    line = "# yaml-language-server: $schema=../schemas/path.translation.schema.json"
    assert new.read_bytes().decode("utf-8") == line + "\r\n" + body, "only the line is added; CRLF kept"
    assert lesson.read_text("utf-8").splitlines()[:2] == ["---", wanted]
    assert run_portal(runner, sample, "schema", "--check").exit_code == 0
    assert run_portal(runner, sample, "report", "translations").output == before, "no translation became outdated"
    assert run_portal(runner, sample, "validate").exit_code == 0


def test_stamping_a_translation_also_gives_it_its_schema_line(runner, sample):
    path = sample / "content/roles/ceo.zh.yml"
    path.write_text(path.read_text("utf-8").split("\n", 1)[1], encoding="utf-8")  # without the line
    assert run_portal(runner, sample, "report", "translations", "--stamp", str(path)).exit_code == 0
    assert path.read_text("utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../schemas/role.translation.schema.json")
