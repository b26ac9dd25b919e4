"""The catalogue of mistakes an editor can make, and what `portal` tells them about each.

Each file in ``tests/cases/`` is one case: the files it writes into (or the
edits it makes to) a small, valid portal (``tests/cases/base/``), the command
(``validate``, or ``build`` for what only MkDocs sees), and the expected exit
status and output exactly as an editor reads it: ``path:line:col: message``,
the source line, a caret under the place, and a hint. Every case also checks
that ``portal build`` over a previously built site fails and leaves that site
byte for byte as it was.

``pytest tests/test_catalogue.py --update-goldens`` rewrites the ``expect:``
section of every case from what the command printed; review the diff.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, run_portal

CASES_DIR = Path(__file__).parent / "cases"
BASE = CASES_DIR / "base"
CASES = sorted(CASES_DIR.glob("*.yml"))
_SUMMARY = re.compile(r"^(\d+ files checked: .*|validation failed with \d+ error\(s\)|build stopped: .*)$")
_LOCATED = re.compile(r"^(?:WARNING -  )?(\S+):(\d+):(\d+): (warning: )?(.*)$")


def make_repo(root: Path, case: dict[str, Any]) -> Path:
    """A copy of the base portal (with the repository's theme settings) changed as the case says."""
    shutil.copytree(BASE / "content", root / "content")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for rel in case.get("delete", []):
        target = root / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for rel in case.get("mkdir", []):
        (root / rel).mkdir(parents=True, exist_ok=True)
    for rel, edits in case.get("edit", {}).items():
        path = root / rel
        text = path.read_text("utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{rel}: {old!r} must occur once in the base file"
            text = text.replace(old, new)
        path.write_text(text, "utf-8")
    for rel, text in case.get("write", {}).items():
        _write(root / rel, text.encode("utf-8"))
    for rel, spec in case.get("raw", {}).items():
        # A string stands for bytes, one character per byte; a mapping gives text and an encoding.
        data = spec.encode("latin-1") if isinstance(spec, str) else spec["text"].encode(spec["encoding"])
        _write(root / rel, data)
    for rel, size in case.get("size", {}).items():
        line = b"- a line of padding that makes the file far too large\n"
        _write(root / rel, b"title: Too big\nnotes:\n" + line * (size // len(line) + 1))
    for rel, target in case.get("symlink", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    return root


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def fingerprint(site: Path) -> dict[str, str]:
    """Every file of a site with the hash of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The base portal built once: the site every failing case must leave as it was."""
    root = make_repo(tmp_path_factory.mktemp("base"), {})
    site = root / "built-site"
    result = run_portal(CliRunner(), root, "build", "--site-dir", str(site))
    assert result.exit_code == 0, result.output
    return site, fingerprint(site)


def editor_output(output: str) -> tuple[str, int]:
    """The output without the summary lines (they count files), and the error count the summary gave."""
    errors = -1
    kept = []
    for line in output.splitlines():
        if _SUMMARY.match(line):
            count = re.search(r"(\d+) error\(s\)", line)
            if count and line.endswith("warning(s)"):
                errors = int(count.group(1))
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip("\n"), errors


def located_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if _LOCATED.match(line)]


def update_golden(case_file: Path, exit_code: int, output: str) -> None:
    text = case_file.read_text("utf-8")
    head = text[: text.index("\nexpect:")] if "\nexpect:" in text else text.rstrip("\n")
    block = "".join(f"    {line}\n" if line else "\n" for line in output.split("\n"))
    candidate = f"{head}\nexpect:\n  exit: {exit_code}\n  output: |\n{block}"
    try:
        loaded = yaml.safe_load(candidate)["expect"]["output"]
    except yaml.YAMLError:
        loaded = None
    if loaded is None or loaded.rstrip("\n") != output:
        quoted = yaml.safe_dump(output, default_style='"', allow_unicode=False, width=100000).strip()
        candidate = f"{head}\nexpect:\n  exit: {exit_code}\n  output: {quoted}\n"
    case_file.write_text(candidate, "utf-8")


def test_the_catalogue_covers_at_least_forty_mistakes():
    assert len(CASES) >= 40


def test_the_base_portal_is_valid(tmp_path):
    root = make_repo(tmp_path, {})
    result = run_portal(CliRunner(), root, "validate")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


@pytest.mark.parametrize("case_file", CASES, ids=lambda path: path.stem)
def test_mistake_is_reported_where_it_is_and_the_previous_site_is_untouched(
    case_file: Path, previous_site: tuple[Path, dict[str, str]], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    case = yaml.safe_load(case_file.read_text("utf-8"))
    assert case.get("about"), "say in `about` what mistake the case shows"
    root = make_repo(tmp_path / "repo", case)
    site_before, hashes_before = previous_site
    site = tmp_path / "site"
    shutil.copytree(site_before, site)
    runner = CliRunner()
    command = case.get("command", "validate")

    args = ("build", "--site-dir", str(site)) if command == "build" else ("validate",)
    result = run_portal(runner, root, *args)
    output, errors = editor_output(result.output)
    if request.config.getoption("--update-goldens"):
        update_golden(case_file, result.exit_code, output)
        case = yaml.safe_load(case_file.read_text("utf-8"))
    expected = case["expect"]
    assert result.exit_code == expected["exit"], result.output
    assert output == expected["output"].rstrip("\n")
    located = located_lines(output)
    assert located, "every case reports at least one located problem"
    if command == "validate":
        error_lines = [line for line in located if not _LOCATED.match(line).group(4)]  # type: ignore[union-attr]
        assert errors == len(error_lines), "the summary counts every error printed"

    if expected["exit"] == 0:
        return  # only warnings: the build may go ahead
    if command == "validate":
        built = run_portal(runner, root, "build", "--site-dir", str(site))
        assert built.exit_code == 1
        for line in located:
            assert line in built.output, "the build reports what validate reported"
    assert fingerprint(site) == hashes_before, "the previously built site was changed"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "a staging folder was left behind"
