"""The `portal` command as an editor uses it."""

from __future__ import annotations

import re

from conftest import run_portal


def test_validate_on_the_sample_prints_only_its_summary(runner, repo_root):
    result = run_portal(runner, repo_root, "validate")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert re.fullmatch(r"\d+ files checked: no problems", lines[0])


def test_path_step_naming_a_missing_lesson_points_at_that_step(runner, sample):
    path = sample / "content/paths/foundations.yml"
    text = path.read_text()
    path.write_text(text.replace("lesson: keeping-confidences", "lesson: keeping-confidence"))
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "keeping-confidence" in row)
    col = path.read_text().splitlines()[line - 1].index("keeping-confidence") + 1
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert (
        f"content/paths/foundations.yml:{line}:{col}: unknown lesson `keeping-confidence`; "
        "did you mean `keeping-confidences`?"
    ) in result.output


def test_misspelt_field_suggests_the_right_name(runner, sample):
    path = sample / "content/paths/foundations.yml"
    path.write_text(path.read_text().replace("due_day:", "due_days:", 1))
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert "unknown field `due_days`; did you mean `due_day`?" in result.output
    assert "missing required field `due_day`" in result.output


def test_new_files_validate_as_written(runner, sample):
    for kind, name in (("lesson", "answering-reviews"), ("role", "intern"), ("path", "interns")):
        result = run_portal(runner, sample, "new", kind, name)
        assert result.exit_code == 0, result.output
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output
    assert "error" not in result.output.replace("0 error", "")


def test_new_refuses_to_overwrite_and_odd_ids(runner, sample):
    assert run_portal(runner, sample, "new", "lesson", "answering-fast").exit_code != 0
    assert run_portal(runner, sample, "new", "role", "Not An Id").exit_code != 0
