"""`portal init` and `changes_since`: a company's own programme starts without the sample's content or history."""

from __future__ import annotations

import pytest
from conftest import REPO, run_portal
from gitrepo import GitRepo
from test_history import renderer

from generator.build import build
from generator.validate import validate


def test_the_skeleton_validates_and_builds_as_written(runner, tmp_path):
    target = tmp_path / "acme"
    result = run_portal(runner, REPO, "init", str(target), "--organisation", 'Acme "Solar" Ltd')
    assert result.exit_code == 0, result.output
    portal, problems = validate(target)
    assert portal is not None and not problems.items, problems.items
    assert portal.config.organisation == 'Acme "Solar" Ltd'
    assert portal.config.disclosure_hashtag == "#AcmeSolarLtdTeam"
    assert set(portal.roles) == {"employee"} and set(portal.paths) == {"getting-started"}
    assert len(portal.lessons) == 2, "a skeleton, not the sample"
    assert not (target / ".git").exists(), "no history comes along"
    assert (target / "content" / "schemas" / "lesson.schema.json").is_file(), "editors get their help at once"
    assert (target / "overrides" / "main.html").is_file() and (target / "mkdocs.yml").is_file()


@pytest.mark.slow
def test_a_new_programme_builds(runner, tmp_path):
    target = tmp_path / "acme"
    run_portal(runner, REPO, "init", str(target), "--organisation", "Acme")
    build(target, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "Acme" in home and "Jua" not in home


def test_the_sample_can_be_taken_to_edit_with_the_changes_page_starting_today(runner, tmp_path):
    target = tmp_path / "copy"
    result = run_portal(runner, REPO, "init", str(target), "--sample", "--organisation", "Kilima Power")
    assert result.exit_code == 0, result.output
    portal, problems = validate(target)
    assert portal is not None and not problems.errors, problems.items
    assert portal.config.organisation == "Kilima Power"
    assert portal.config.changes_since and len(portal.config.changes_since) == 10
    assert len(portal.lessons) == len(validate(REPO)[0].lessons)


def test_init_never_writes_into_a_folder_that_has_files(runner, tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine", "utf-8")
    result = runner.invoke(__import__("generator.cli", fromlist=["main"]).main,
                           ["--root", str(REPO), "init", str(target), "--organisation", "Acme"])
    assert result.exit_code != 0 and "not empty" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert not list(tmp_path.glob(".taken*")), "no half-written folder is left behind"


def test_init_without_an_organisation_says_what_is_missing(runner, tmp_path):
    result = runner.invoke(__import__("generator.cli", fromlist=["main"]).main,
                           ["--root", str(REPO), "init", str(tmp_path / "x")])
    assert result.exit_code != 0 and "--organisation" in result.output
    assert not (tmp_path / "x").exists()


@pytest.fixture
def history(sample) -> GitRepo:
    """The sample's own commit on 1 March, then the company's edits on 2 and 3 March."""
    repo = GitRepo(sample)
    repo.replace("content/playbooks/negativity.yml", "first_response_minutes: 15", "first_response_minutes: 30")
    repo.commit("Give complaints half an hour")
    repo.replace("content/lessons/answering-fast.md", "minutes: 9", "minutes: 10")
    repo.commit("Answering fast takes a minute longer")
    return repo


def test_what_changed_starts_at_the_date_set_in_portal_yml(history):
    history.replace("content/portal.yml", "organisation:", "changes_since: 2024-03-03\norganisation:")
    history.commit("Our programme starts here")
    body = renderer(history.root).render()["changes.md"]
    assert "Answering fast takes a minute longer" in body and "Our programme starts here" in body
    assert "Give complaints half an hour" not in body and "Start the portal" not in body


def test_what_changed_starts_after_the_commit_set_in_portal_yml(history):
    second = history.git("rev-parse", "HEAD~1").strip()
    history.replace("content/portal.yml", "organisation:", f"changes_since: {second[:10]}\norganisation:")
    history.commit("Our programme starts here")
    body = renderer(history.root).render()["changes.md"]
    assert "Answering fast takes a minute longer" in body
    assert "Give complaints half an hour" not in body and "Start the portal" not in body


def test_a_commit_that_is_not_in_the_repository_is_a_located_error(history, runner):
    history.replace("content/portal.yml", "organisation:", "changes_since: abcdef1234\norganisation:")
    result = run_portal(runner, history.root, "validate")
    assert result.exit_code == 1
    assert "content/portal.yml:2:16: changes_since: there is no commit `abcdef1234` in this repository" in result.output


def test_changes_since_must_be_a_date_or_a_commit(history, runner):
    history.replace("content/portal.yml", "organisation:", "changes_since: last spring\norganisation:")
    result = run_portal(runner, history.root, "validate")
    assert result.exit_code == 1 and "content/portal.yml:2:16:" in result.output
