"""Page dates and the What changed page, from git history (and gracefully without it)."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from gitrepo import GitRepo
from site_links import navigation

from generator import history
from generator.build import build
from generator.render import Renderer
from generator.validate import validate

LESSON = "content/lessons/answering-fast.md"
NEG = "content/playbooks/negativity.yml"


@pytest.fixture
def repo(sample) -> GitRepo:
    """The sample committed on 1 March, then two edits on 2 and 3 March."""
    repo = GitRepo(sample)
    repo.replace(NEG, "first_response_minutes: 15", "first_response_minutes: 30")
    repo.commit("Give complaints half an hour")
    repo.replace(LESSON, "minutes: 9", "minutes: 10")
    repo.commit("Answering fast takes a minute longer")
    return repo


def renderer(root) -> Renderer:
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, problems.items
    return Renderer(portal)


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n", 2)[1])


def test_each_page_carries_the_date_its_source_last_changed(repo):
    pages = renderer(repo.root).render()
    assert front_matter(pages["lessons/answering-fast.md"])["portal_changed"] == {
        "date": "2024-03-03", "label": "Last changed"}
    assert front_matter(pages["playbooks/negativity.md"])["portal_changed"]["date"] == "2024-03-02"
    assert front_matter(pages["roles/engineer.md"])["portal_changed"]["date"] == "2024-03-01"
    assert "portal_changed" not in front_matter(pages["roles/index.md"]), "index pages have no single source"


def test_dates_come_from_one_git_log_for_all_files(repo, monkeypatch):
    started = []
    real = subprocess.Popen

    def counting(*args, **kwargs):
        started.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting)
    wanted = {p.relative_to(repo.root).as_posix() for p in (repo.root / "content").rglob("*.*")
              if "schemas" not in p.parts}
    dates = history.last_changed(repo.root, wanted)
    assert len(started) == 1 and started[0][:4] == ["git", "-c", "core.quotepath=off", "log"]
    assert dates[LESSON] == "2024-03-03" and dates[NEG] == "2024-03-02"
    assert dates["content/portal.yml"] == "2024-03-01"


def test_uncommitted_and_new_files_fall_back_gracefully(repo):
    repo.write("content/lessons/brand-new.md", repo.read(LESSON))
    repo.replace(LESSON, "minutes: 10", "minutes: 11")
    pages = renderer(repo.root).render()
    assert "portal_changed" not in front_matter(pages["lessons/brand-new.md"])
    assert front_matter(pages["lessons/answering-fast.md"])["portal_changed"]["date"] == "2024-03-03", \
        "the last committed change"


def test_outside_a_git_checkout_there_are_no_dates_and_no_changes_page(sample):
    rendered = renderer(sample)
    pages = rendered.render()
    assert "changes.md" not in pages
    assert all("portal_changed" not in front_matter(p) for p in pages.values() if p.startswith("---"))
    assert "changes.md" not in str(rendered.nav())


def test_what_changed_lists_recent_commits_with_date_subject_and_changes(repo):
    rendered = renderer(repo.root)
    page = rendered.render()["changes.md"]
    body = page.split("---\n", 2)[2]
    first = body.index("## 2024\\-03\\-03 · Answering fast takes a minute longer")
    second = body.index("## 2024\\-03\\-02 · Give complaints half an hour")
    assert first < second, "newest first"
    assert "- Lesson [*Answering fast*](lessons/answering-fast.md): time 9 min -> 10 min" in body
    assert ("- [*Handling negative posts*](playbooks/negativity.md) > Customer complaint: "
            "first response 15 min -> 30 min") in body
    assert "## 2024\\-03\\-01 · Start the portal" in body
    assert re.search(r"\n- … and \d+ more changes in this commit\n", body), "a first commit is cut short"
    assert {"What changed": "changes.md"} in rendered.nav()


def test_commits_that_change_no_rule_are_left_out_and_the_count_is_configurable(repo):
    repo.replace(NEG, "kind: negativity\n", "# reviewed in March\nkind: negativity\n")
    repo.commit("Add a comment")
    body = renderer(repo.root).render()["changes.md"]
    assert "Add a comment" not in body
    repo.replace("content/portal.yml", "organisation:", "recent_changes: 2\norganisation:")
    repo.commit("Show fewer changes")
    body = renderer(repo.root).render()["changes.md"]
    assert "- Portal settings: recent changes 10 -> 2" in body
    assert "Give complaints half an hour" not in body, "only the last 2 commits to content/ are read"
    repo.replace("content/portal.yml", "recent_changes: 2", "recent_changes: 0")
    repo.commit("No changes page")
    assert "changes.md" not in renderer(repo.root).render()


def test_a_shallow_clone_lists_what_it_has(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    pages = renderer(clone).render()
    assert front_matter(pages["lessons/answering-fast.md"])["portal_changed"]["date"] == "2024-03-03"
    assert "changes.md" not in pages, "the one commit here has no parent to compare with"


def test_rendering_twice_gives_the_same_pages(repo):
    assert renderer(repo.root).render() == renderer(repo.root).render()


@pytest.mark.slow
def test_built_pages_show_the_date_and_the_changes_page_is_in_the_navigation(repo, tmp_path):
    site = tmp_path / "site"
    build(repo.root, site)
    lesson = (site / "lessons/answering-fast/index.html").read_text("utf-8")
    # The date is isolated (<bdi>) so that it reads left to right inside a right-to-left sentence.
    assert 'Last changed <bdi><time datetime="2024-03-03">2024-03-03</time></bdi>' in lesson
    changes = (site / "changes/index.html").read_text("utf-8")
    assert 'href="../lessons/answering-fast/"' in changes
    assert "first response 15 min -&gt; 30 min" in changes
    assert ("changes/", "What changed") in navigation(site)
