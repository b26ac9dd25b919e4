"""Nothing unsafe or half-built reaches the site: builds are atomic, reproducible and sanitized."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, run_portal

from generator.build import FALLBACK_EPOCH, build, build_epoch
from generator.model import page_slug
from generator.postbuild import SEARCH_INDEXES

pytestmark = pytest.mark.slow


def fingerprint(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def gzip_mtime(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[4:8], "little")


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text("utf-8")


def article(html: str) -> str:
    """The page's content, without the theme around it."""
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


# --- killed half-way ---------------------------------------------------------------------------

SLOW_HOOK = '''
import os, pathlib, time

def on_post_page(output, page, config, **kwargs):
    pathlib.Path(os.environ["PORTAL_TEST_WRITING"]).touch()
    time.sleep(0.25)
    return output
'''


def test_build_killed_with_sigterm_while_mkdocs_writes_leaves_the_previous_site_as_it_was(sample, tmp_path):
    site = tmp_path / "site"
    assert subprocess.run([sys.executable, "-m", "generator", "--root", str(sample), "build", "--site-dir",
                           str(site)], capture_output=True, timeout=600).returncode == 0
    before = fingerprint(site)
    # Change the content, and slow MkDocs down so that it is surely killed while writing pages.
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Our targets", "## Our response targets"), "utf-8")
    hook = tmp_path / "slow_hook.py"
    hook.write_text(SLOW_HOOK, "utf-8")
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {hook}\n")
    writing = tmp_path / "writing"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PORTAL_TEST_WRITING": str(writing), "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(sample), "build", "--site-dir", str(site)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 300
        while not (writing.exists() and list(tmp_path.glob(".site.staging-*/**/*.html"))):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "MkDocs never started writing"
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert fingerprint(site) == before
    assert "Our response targets" not in read(site, "lessons/answering-fast")
    assert not list(tmp_path.glob(".site.*")), "the staging folder was left behind"
    assert not list(scratch.iterdir()), "the generated project was left behind"


def test_staging_folders_of_builds_that_were_killed_outright_are_removed(sample, tmp_path):
    site = tmp_path / "site"
    abandoned = tmp_path / ".site.staging-999999999-x1"  # no such process
    (abandoned / "lessons").mkdir(parents=True)
    build(sample, site)
    assert not abandoned.exists()


# --- reproducible ------------------------------------------------------------------------------


def test_two_builds_of_the_same_content_are_byte_identical(sample, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nsite_url: https://portal.example.com/\n")  # so that the sitemap has dates
    first, second = tmp_path / "first", tmp_path / "second"
    build(sample, first)
    build(sample, second)
    assert fingerprint(first) == fingerprint(second)
    assert any((first / index).is_file() for index in SEARCH_INDEXES)  # MkDocs' or Zensical's
    # Not today's date, which MkDocs would write: the fixed date, as the copy is not in git.
    assert "<lastmod>1970-01-01</lastmod>" in (first / "sitemap.xml").read_text("utf-8")
    assert gzip_mtime(first / "sitemap.xml.gz") == FALLBACK_EPOCH
    assert gzip.decompress((first / "sitemap.xml.gz").read_bytes()) == (first / "sitemap.xml").read_bytes()


def test_source_date_epoch_sets_every_date_in_the_site(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("\nsite_url: https://portal.example.com/\n")
    site = tmp_path / "site"
    build(sample, site)
    assert "<lastmod>2023-11-14</lastmod>" in (site / "sitemap.xml").read_text("utf-8")
    assert gzip_mtime(site / "sitemap.xml.gz") == 1699920000  # MkDocs stamps the day
    assert {int(path.stat().st_mtime) for path in site.rglob("*")} == {1700000000}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_without_source_date_epoch_the_date_is_that_of_the_last_commit_to_content(sample, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-03-01T12:00:00Z", "GIT_COMMITTER_DATE": "2024-03-01T12:00:00Z",
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.com",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.com"}
    for command in (["git", "init", "-q"], ["git", "add", "content"], ["git", "commit", "-q", "-m", "Content"]):
        subprocess.run(command, cwd=sample, env=env, check=True, capture_output=True)
    assert build_epoch(sample) == 1709294400
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build_epoch(sample) == 86400


def test_a_bom_and_windows_line_endings_change_nothing_in_the_built_site(sample, tmp_path):
    plain = tmp_path / "plain"
    build(sample, plain)
    for path in (sample / "content").rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8")
            path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert (sample / "content/portal.yml").read_bytes().startswith(b"\xef\xbb\xbf")
    windows = tmp_path / "windows"
    build(sample, windows)
    assert fingerprint(windows) == fingerprint(plain)


# --- the second layer: sanitized HTML ----------------------------------------------------------

LESSON_WITH_THEME_FEATURES = '''
!!! warning "Before you post"
    Check the facts first.

??? note "Why it matters"
    Screenshots last for ever.

```python
def reply(post):
    return "Thank you"
```
'''


def test_sanitizing_keeps_admonitions_and_highlighted_code_and_strips_what_a_template_injected(sample, tmp_path):
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8") + LESSON_WITH_THEME_FEATURES, "utf-8")
    # A custom template is not checked like content: whatever unsafe it adds must still be removed.
    template = (REPO / "generator/templates/lesson.md.j2").read_text("utf-8")
    injected = (
        '<script>alert("template")</script>\n\n'
        '<p><img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">Click</a>'
        ' <a href="data:text/html,hi">Data</a></p>\n\n'
        "<iframe src=\"https://evil.example\"></iframe>\n\n"
    )
    overrides = sample / "overrides/portal"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "lesson.md.j2").write_text(template.replace("{{ body }}", injected + "{{ body }}"), "utf-8")
    site = tmp_path / "site"
    build(sample, site)
    page = article(read(site, "lessons/answering-fast"))
    assert '<div class="admonition warning">' in page
    assert '<p class="admonition-title">Before you post</p>' in page
    assert '<details class="note">' in page and "<summary>Why it matters</summary>" in page
    assert '<div class="highlight"><pre><span></span><code>' in page
    assert '<span class="k">def</span>' in page and '<span class="s2">' in page
    assert re.search(r'<h2 id="our-targets">Our targets<a class="headerlink" href="#our-targets"', page)
    assert 'data-lesson-id="answering-fast"' in page  # the portal's own widgets keep their data
    for unsafe in ("<script", "alert(", "onerror", "javascript:", "data:text", "<iframe"):
        assert unsafe not in page, unsafe


def test_text_from_yaml_never_reaches_mkdocs_as_yaml_or_as_a_template(sample, tmp_path):
    config = sample / "content/portal.yml"
    text = config.read_text("utf-8")
    organisation = re.search(r"^organisation: .*$", text, re.M).group(0)  # type: ignore[union-attr]
    config.write_text(
        text.replace(organisation, "organisation: \"!!python/object/apply:os.system ['touch pwned'] {{ 7*7 }}\""),
        "utf-8",
    )
    site = tmp_path / "site"
    build(sample, site)
    assert not (sample / "pwned").exists() and not Path("pwned").exists()
    home = read(site, "")
    assert "!!python/object/apply:os.system" in home and "{{ 7*7 }}" in home and ">49<" not in home


# --- MkDocs' own checks ------------------------------------------------------------------------


def test_mkdocs_warnings_about_a_generated_page_point_at_the_content_file(runner, sample, tmp_path):
    role = sample / "content/roles/receptionist.yml"
    text = role.read_text("utf-8")
    text = text.replace("social_media: |\n", "social_media: |\n  Read [the rules](../lessons/house-rules.md) first.\n")
    role.write_text(text, "utf-8")
    # Turning MkDocs' check down in mkdocs.yml does not let the broken link through.
    config = sample / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("not_found: warn", "not_found: info"), "utf-8")
    lines = text.splitlines()
    line = lines.index("  Read [the rules](../lessons/house-rules.md) first.") + 1
    col = lines[line - 1].index("../lessons") + 1
    message = (f"content/roles/receptionist.yml:{line}:{col}: link `../lessons/house-rules.md` "
               "points to a page that does not exist")
    # validate reads the link as MkDocs will on the rendered page, and says so first.
    checked = run_portal(runner, sample, "validate")
    assert checked.exit_code == 1 and message in checked.output
    result = run_portal(runner, sample, "build", "--site-dir", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert message in result.output
    assert "the previous site is untouched" in result.output.lower()
    assert not (tmp_path / "site").exists()
    # Behind validate, MkDocs' own warning about the generated page names the content file too.
    from generator.build import BuildFailed, build_portal
    from generator.load import load_content

    portal, _ = load_content(sample)
    assert portal is not None
    with pytest.raises(BuildFailed) as failed:
        build_portal(portal, tmp_path / "staging", tmp_path / "work")
    assert message in failed.value.warnings


# --- ids in scripts without Latin letters ----------------------------------------------------

CHINESE, URDU = "处理投诉", "شکایت کا جواب"


def test_ids_with_no_latin_letters_get_stable_unique_urls_that_links_reach(sample, tmp_path):
    lessons = sample / "content/lessons"
    lessons.joinpath(f"{CHINESE}.md").write_text(
        f"---\ntitle: 处理投诉\nsummary: 如何回应投诉。\nminutes: 5\n---\n"
        f"## 第一步\n\n先道歉。然后看 [下一课]({URDU}.md)。\n", "utf-8"
    )
    lessons.joinpath(f"{URDU}.md").write_text(
        f"---\ntitle: شکایت کا جواب\nsummary: شکایت کا جواب کیسے دیں۔\nminutes: 5\nprerequisites: [{CHINESE}]\n---\n"
        f"## پہلا قدم\n\n[پچھلا سبق]({CHINESE}.md#第一步)\n", "utf-8",
    )
    (sample / "content/paths/complaints-abroad.yml").write_text(
        f"title: Complaints abroad\nsummary: Answering complaints in Chinese and Urdu.\nsteps:\n"
        f"  - lesson: {CHINESE}\n    due_day: 20\n  - lesson: {URDU}\n    due_day: 21\n", "utf-8"
    )
    chinese, urdu = page_slug(CHINESE), page_slug(URDU)
    assert chinese != urdu and chinese.startswith("id-") and urdu.startswith("id-")
    assert page_slug(CHINESE) == chinese  # the same id always gives the same URL
    site = tmp_path / "site"
    build(sample, site)
    page = article(read(site, f"lessons/{urdu}"))
    # Headings keep readable ids of their own words (Unicode slugs), which a link can name.
    assert f'href="../{chinese}/#第一步"' in page
    assert '<h2 id="第一步">第一步' in article(read(site, f"lessons/{chinese}"))
    path_page = read(site, "paths/complaints-abroad")
    assert f"lessons/{chinese}/" in path_page and f"lessons/{urdu}/" in path_page


def test_the_reproducible_build_date_is_given_to_mkdocs_alone(sample, tmp_path, monkeypatch):
    """Which approved posts are current is decided on the real date; only MkDocs' stamps are fixed."""
    import generator.posts as posts

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    seen: list[str | None] = []
    real_today = posts.today

    def spy():
        seen.append(os.environ.get("SOURCE_DATE_EPOCH"))
        return real_today()

    monkeypatch.setattr(posts, "today", spy)
    build(sample, tmp_path / "site", jobs=1)  # the spy sees the calls of this process, not of workers
    assert seen and set(seen) == {None}
