"""Whatever bytes or YAML an editor saves, the loader answers with content or located problems.

Never a traceback: every outcome is either checked data or problems that
each name a file, a line and a column an editor can go to.
"""

from __future__ import annotations

import shutil
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator import schema
from generator.errors import Problems
from generator.load import check_shape, load_content
from generator.validate import check_portal
from generator.yamlio import Document, YamlProblem, decode, parse, split_front_matter

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODELS: list[type[BaseModel]] = [schema.PortalConfig, schema.Role, schema.LearningPath, schema.LessonMeta,
                                 *schema.BUILTIN_PLAYBOOKS.values()]
PORTAL_YML = b"""organisation: Example Co
introduction: Welcome.
disclosure_hashtag: "#Example"
contacts:
  questions: {name: Desk}
  escalation: {name: Duty officer}
"""

# Pieces that YAML and Markdown treat specially, mixed with ordinary and unusual text.
_TOKENS = [
    "title", "minutes", "steps", "lesson", "due_day", "required", "kind", "check", "questions", "answer",
    ": ", ":", "- ", "  ", "    ", "\t", "\n", "\r\n", "---", "...", "&a ", "*a", "!!python/name:os.system ",
    "!tag ", "<<: ", "? ", "|", ">-", "'", '"', "{", "}", "[", "]", ",", "#", "%YAML 1.2", "~", "null",
    "NO", "on", "12:30", "1.10", "0x1F", "2024-03-01", "-5", "9999999999999999999999", "\ufeff", "\x00",
    "\x07", "\u200b", "\u202e", "é", "中文", "اردو", "\\u0000", "<script>", "](javascript:x)", "[a](../../x)",
    "<img src=x\nonerror=y>", "{ onclick=z }", "%2e%2e/", "\ud7ff",
]
yaml_like_text = st.lists(
    st.one_of(st.sampled_from(_TOKENS), st.text(alphabet=string.ascii_letters + " -_", max_size=8)), max_size=60
).map("".join)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
    st.sampled_from(["NO", "yes", "12:30", "1.10", "2024-03-01", "~", "", " ", "&x", "*x", "!!str"]),
)
structures = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(["title", "steps", "kind", "minutes"])),
                        inner, max_size=5),
    ),
    max_leaves=30,
)


def check_outcome(result: Document | None, problem: YamlProblem | None) -> None:
    if problem is not None:
        assert problem.line >= 1 and problem.col >= 1 and problem.message
    else:
        assert isinstance(result, Document)


def read(raw: bytes, *, lesson: bool) -> None:
    """Decode and parse as the loader does; only YamlProblem may escape."""
    try:
        text = decode(raw)
        if lesson:
            front, _, _ = split_front_matter(text)
            check_outcome(parse(front, line_offset=1), None)
        else:
            check_outcome(parse(text), None)
    except YamlProblem as problem:
        check_outcome(None, problem)


def check_every_model(doc: Document) -> None:
    for model in MODELS:
        problems = Problems()
        checked = check_shape(model, doc, "content/x.yml", problems)
        assert (checked is None) == bool(problems.errors)
        for found in problems.items:
            assert found.line >= 1 and found.col >= 1 and found.message


@contextmanager
def portal_with(files: dict[str, bytes]) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="portal-property-"))
    try:
        (root / "content").mkdir()
        (root / "content/portal.yml").write_bytes(PORTAL_YML)
        for rel, data in files.items():
            path = root / "content" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(root)


def load_and_check(files: dict[str, bytes]) -> None:
    """The whole loader and every cross-file check: problems are located in a file that was given."""
    with portal_with(files) as root:
        portal, problems = load_content(root)
        assert portal is not None
        check_portal(portal, problems)
        given_files = {f"content/{rel}" for rel in files}
        for found in problems.items:
            assert found.path in given_files
            assert found.line >= 0 and found.col >= 0 and found.message


@PROPERTY
@given(st.binary(max_size=3000))
def test_any_bytes_give_data_or_a_located_problem(raw):
    read(raw, lesson=False)
    read(b"---\n" + raw, lesson=True)


@PROPERTY
@given(yaml_like_text)
def test_any_yaml_like_text_gives_data_or_a_located_problem(text):
    raw = text.encode("utf-8", "surrogatepass")
    read(raw, lesson=False)
    try:
        doc = parse(decode(raw))
    except YamlProblem:
        return
    check_every_model(doc)


@PROPERTY
@given(structures, st.booleans(), st.booleans())
def test_any_yaml_document_is_checked_against_every_schema_without_crashing(data, flow, canonical):
    text = yaml.dump(data, default_flow_style=flow, canonical=canonical, allow_unicode=True)
    try:
        doc = parse(decode(text.encode("utf-8")))
    except YamlProblem as problem:
        check_outcome(None, problem)
        return
    check_every_model(doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1500), yaml_like_text, yaml_like_text)
def test_whole_loader_and_checks_never_crash_on_any_lesson_role_or_path(lesson, role, path):
    load_and_check({
        "lessons/any.md": b"---\ntitle: Any\nsummary: Any.\nminutes: 5\n---\n" + lesson,
        "lessons/raw.md": lesson,
        "roles/any.yml": role.encode("utf-8", "surrogatepass"),
        "paths/any.yml": path.encode("utf-8", "surrogatepass"),
    })
