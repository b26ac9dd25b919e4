"""The YAML loader: YAML 1.2 scalars, positions, and what content may not use."""

from __future__ import annotations

import pytest

from generator.yamlio import YamlProblem, decode, parse, split_front_matter


def test_plain_scalars_stay_text_so_no_means_no_and_times_are_not_numbers():
    doc = parse("a: NO\nb: 12:30\nc: 1.10\nd: 2024-03-01\ne: on\n")
    assert doc.data == {"a": "NO", "b": "12:30", "c": "1.10", "d": "2024-03-01", "e": "on"}


def test_null_forms_become_none():
    assert parse("a: ~\nb:\nc: null\n").data == {"a": None, "b": None, "c": None}


def test_every_key_and_value_has_its_line_and_column():
    doc = parse("title: x\nsteps:\n  - lesson: a\n    due_day: 3\n")
    assert doc.keys[("steps", 0, "due_day")] == (4, 5)
    assert doc.values[("steps", 0, "due_day")] == (4, 14)
    assert doc.values[("steps", 0)] == (3, 5)


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first defined on line 1)"),
        ("a: &x [1]\nb: *x\n", 1, 4, "anchor '&x' is not allowed"),
        ("a: !!python/object/apply:os.system [ls]\n", 1, 4, "tag"),
        ("<<: {a: 1}\n", 1, 1, "merge keys"),
        ("a: 1\n---\nb: 2\n", 2, 1, "second YAML document"),
        ("1: one\n", 1, 1, "is not text"),
        ("[a]: b\n", 1, 1, "a key must be text"),
        ("# nothing here\n", 1, 1, "empty"),
        ("", 1, 1, "empty"),
        ("a: b: c\n", 1, 5, "YAML syntax error"),
        ("a:\n\tb: 1\n", 2, 1, "YAML syntax error"),
    ],
)
def test_structures_content_never_needs_are_refused_with_their_place(text, line, col, words):
    with pytest.raises(YamlProblem) as caught:
        parse(text)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert words in caught.value.message


def test_alias_bomb_is_refused_at_the_first_anchor():
    bomb = "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    with pytest.raises(YamlProblem, match="anchor '&a'"):
        parse(bomb)


def test_invalid_utf8_is_located_at_the_bad_byte_with_the_fix():
    with pytest.raises(YamlProblem) as caught:
        decode(b"title: ok\nsummary: caf\xe9 au lait\n")
    assert (caught.value.line, caught.value.col) == (2, 13)
    assert "re-save" in (caught.value.hint or "")


def test_utf16_is_refused():
    with pytest.raises(YamlProblem, match="UTF-16"):
        decode("title: x\n".encode("utf-16"))


def test_bom_and_crlf_change_nothing():
    plain = parse(decode(b"a: 1\nb: two\n"))
    windows = parse(decode(b"\xef\xbb\xbfa: 1\r\nb: two\r\n"))
    assert plain.data == windows.data and plain.values == windows.values


def test_front_matter_lines_count_from_the_top_of_the_file():
    front, body, body_line = split_front_matter("---\ntitle: x\nminutes: 5\n---\nBody\n")
    assert parse(front, line_offset=1).values[("minutes",)] == (3, 10)
    assert body == "Body\n" and body_line == 5


def test_tags_are_named_as_the_editor_wrote_them():
    with pytest.raises(YamlProblem, match=r"tag '!!python/object/apply:os.system' is not allowed"):
        parse("a: !!python/object/apply:os.system [ls]\n")


def test_nesting_deeper_than_content_needs_is_refused_before_it_costs_memory():
    with pytest.raises(YamlProblem, match="nested more than 32 levels") as caught:
        parse("steps: " + "[" * 200_000)
    assert (caught.value.line, caught.value.col) == (1, 39)


def test_deep_flow_nesting_below_block_levels_is_located_at_the_level_past_the_limit():
    # PyYAML 6.0.4 refuses 1,000 levels with its own words before the builder sees level 33.
    with pytest.raises(YamlProblem, match="nested more than 32 levels") as caught:
        parse("a:\n  b: " + "[" * 2_000)
    assert (caught.value.line, caught.value.col) == (2, 36)


def test_utf16_without_a_byte_order_mark_is_named_as_such():
    with pytest.raises(YamlProblem, match="UTF-16"):
        decode("title: x\n".encode("utf-16-le"))


def test_a_nul_byte_is_located():
    with pytest.raises(YamlProblem, match="NUL") as caught:
        decode(b"title: ok\nsummary: a\x00b\n")
    assert (caught.value.line, caught.value.col) == (2, 11)


def test_files_over_the_size_limit_are_refused_before_parsing():
    from generator.yamlio import MAX_BYTES

    with pytest.raises(YamlProblem, match="the limit is"):
        decode(b"#" * (MAX_BYTES + 1))


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("number", "1.5", "expected a whole number, got '1.5'"),
        ("number", "12:30", "expected a whole number, got '12:30'"),
        ("number", "0x1F", "expected a whole number, got '0x1F'"),
        ("flag", "yes", "expected true or false, got 'yes'"),
        ("flag", "on", "expected true or false, got 'on'"),
        ("day", "01/03/2024", "expected a date written YYYY-MM-DD, got '01/03/2024'"),
        ("day", "2024-02-30", "'2024-02-30' is not a real date (day is out of range for month)"),
    ],
)
def test_yaml_12_text_is_read_as_a_number_boolean_or_date_only_where_the_schema_asks(field, text, words):
    import pydantic

    from generator import schema
    from generator.errors import Problems
    from generator.load import check_shape

    class Sample(schema.Model):
        number: schema.Int = 0
        flag: schema.Bool = False
        day: schema.Date | None = None

    problems = Problems()
    assert check_shape(Sample, parse(f"{field}: {text}\n"), "x.yml", problems) is None
    assert [(p.line, p.col, p.message) for p in problems.items] == [(1, len(field) + 3, f"`{field}` {words}")]
    good = Sample.model_validate(parse("number: 12\nflag: false\nday: 2024-03-01\n").data)
    assert (good.number, good.flag, str(good.day)) == (12, False, "2024-03-01")
    assert isinstance(pydantic.TypeAdapter(schema.Int).validate_python("-3"), int)


@pytest.mark.parametrize("text", [
    "a: 1\nb: |\n  x\n  <i onclick=1>\n",
    "a: 1\nb: >\n  x y\n\n  <i onclick=1>\n",
    "a: 1\nb: \"x\n  y <i\n  onclick=1>\"\n",
    "a: 1\nb: x\n  y\n  <i onclick=1>\n",
    "a: 1\nb: 'it''s\n  <i onclick=1>'\n",
    "a: 1\nb: |-  # a comment with onclick in it\n  x\n  <i onclick=1>\n",
])
def test_a_place_inside_a_text_value_is_found_in_the_file_whatever_its_style(text):
    from generator.markup import hazards
    from generator.yamlio import locate_in_scalar

    doc = parse(text)
    value = doc.data["b"]
    [found] = hazards(value)
    line, col = locate_in_scalar(text, doc.values[("b",)], value, found.line, found.col)
    assert text.split("\n")[line - 1][col - 1 :].startswith("onclick")
