"""Choosing the engine, and building the languages in parallel: the same site, and failures that stay safe."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from conftest import run_portal

from generator import engines
from generator.build import build

pytestmark = pytest.mark.slow


def tree(site: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every file and folder below ``site``: its permission bits and its bytes (a link: its target)."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for path in sorted(site.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            content: bytes | str = os.readlink(path)
        elif path.is_dir():
            content = "<folder>"
        else:
            content = path.read_bytes()
        found[path.relative_to(site).as_posix()] = (stat.S_IMODE(info.st_mode), content)
    return found


def test_languages_built_in_parallel_give_the_site_built_one_after_the_other_byte_for_byte(
    sample, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # Small parts: every language's files are finished and compressed by both workers.
    monkeypatch.setattr("generator.build.FINISH_PART_BYTES", 64 * 1024)
    sequential, parallel = tmp_path / "sequential", tmp_path / "parallel"
    first = build(sample, sequential, jobs=1)
    second = build(sample, parallel, jobs=3)
    assert first.pages == second.pages
    one, other = tree(sequential), tree(parallel)
    assert sorted(one) == sorted(other)
    differing = [name for name in one if one[name] != other[name]]
    assert not differing, f"differ between the two builds: {differing[:10]}"
    assert {"sw", "el", "zh", "ur"} <= {name for name in one if "/" not in name}
    assert not list(tmp_path.glob(".*")), "a staging or language folder was left behind"


def test_a_built_language_is_shared_out_in_parts_that_hold_each_file_once(tmp_path, monkeypatch):
    from generator.build import _finish_parts, _LanguageTask

    site = tmp_path / "en"
    (site / "search").mkdir(parents=True)
    (site / "search/search_index.json").write_text("{}", "utf-8")
    (site / "sitemap.xml").write_text("<urlset/>", "utf-8")
    for number in range(40):
        (site / f"page-{number:02}").mkdir()
        (site / f"page-{number:02}/index.html").write_bytes(b"x" * 1000)
    monkeypatch.setattr("generator.build.FINISH_PART_BYTES", 4000)
    parts = _finish_parts(_LanguageTask("en", True, site))
    assert parts[0].search and parts[0].files == ("search/search_index.json",)
    assert all(not part.search for part in parts[1:]) and len(parts) == 1 + 11  # ten of four pages, then the sitemap
    files = [name for part in parts for name in part.files]
    assert sorted(files) == sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    assert len(files) == len(set(files))


FAILING_HOOK = '''
from mkdocs.exceptions import PluginError

def on_config(config, **kwargs):
    if config.theme["language"] == "{language}":
        raise PluginError("this language's build was made to fail")
    return config
'''


@pytest.mark.parametrize("language", ["en", "ur"])
def test_a_language_that_fails_in_a_parallel_build_is_named_and_the_previous_site_stays(
    runner, sample, tmp_path, language
):
    site = tmp_path / "site"
    assert run_portal(runner, sample, "build", "--site-dir", str(site), "--jobs", "2").exit_code == 0
    before = tree(site)
    hook = tmp_path / "failing_hook.py"
    hook.write_text(FAILING_HOOK.format(language=language), "utf-8")
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {hook}\n")
    lesson = sample / "content/lessons/answering-fast.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Our targets", "## Our response targets"), "utf-8")
    result = run_portal(runner, sample, "build", "--site-dir", str(site), "--jobs", "2")
    assert result.exit_code == 1
    # MkDocs logs the plugin's error, then aborts; both reach the output of the parent process.
    assert "this language's build was made to fail" in result.output
    assert f"MkDocs failed for language '{language}'" in result.output or engines.properdocs_active()
    assert "The previous site is untouched." in result.output
    assert tree(site) == before
    assert not [path.name for path in tmp_path.glob(".site*")], "a staging or language folder was left behind"


KILLING_HOOK = '''
import os, signal

def on_config(config, **kwargs):
    if config.theme["language"] == "el":
        os.kill(os.getpid(), signal.SIGKILL)
    return config
'''


def test_a_worker_killed_outright_fails_the_build_instead_of_hanging_it(runner, sample, tmp_path):
    site = tmp_path / "site"
    assert run_portal(runner, sample, "build", "--site-dir", str(site), "--jobs", "2").exit_code == 0
    before = tree(site)
    hook = tmp_path / "killing_hook.py"
    hook.write_text(KILLING_HOOK, "utf-8")
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {hook}\n")
    result = run_portal(runner, sample, "build", "--site-dir", str(site), "--jobs", "2")
    assert result.exit_code == 1
    assert "ended abruptly" in result.output and "The previous site is untouched." in result.output
    assert tree(site) == before
    assert not list(tmp_path.glob(".site*"))


def test_every_failing_language_of_a_parallel_build_is_reported(sample, tmp_path):
    from generator.build import BuildFailed, build_portal
    from generator.load import load_content

    hook = tmp_path / "failing_hook.py"
    hook.write_text(FAILING_HOOK.replace('== "{language}"', 'in ("sw", "zh")'), "utf-8")
    with (sample / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"\nhooks:\n  - {hook}\n")
    # And a broken link that only MkDocs sees (validate is not asked), in the English role guide
    # (shown, untranslated, in Greek and Urdu too).
    role = sample / "content/roles/receptionist.yml"
    role.write_text(role.read_text("utf-8").replace(
        "social_media: |\n", "social_media: |\n  Read [the rules](../lessons/house-rules.md) first.\n"), "utf-8")
    portal, _ = load_content(sample)
    assert portal is not None
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(BuildFailed) as failed:
        build_portal(portal, staging, tmp_path / "work", jobs=2)
    message = str(failed.value)
    for language in ("en", "sw", "zh"):
        assert f"failed for language '{language}'" in message
    assert any(warning.startswith("content/roles/receptionist.yml:") for warning in failed.value.warnings)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["failing_hook.py", "repo", "staging", "work"]


def test_an_unknown_engine_in_the_environment_is_refused_by_name(runner, sample, monkeypatch):
    monkeypatch.setenv(engines.ENGINE_ENV, "hugo")
    with pytest.raises(engines.EngineUnavailable, match="PORTAL_ENGINE='hugo' names no engine"):
        engines.default_engine()
    result = run_portal(runner, sample, "build", "--engine", "hugo")
    assert result.exit_code == 2 and "'hugo' is not one of" in result.output


def test_choosing_properdocs_after_mkdocs_was_loaded_is_refused_with_what_to_do_instead():
    import mkdocs  # noqa: F401  (loaded by the suite anyway)

    if engines.properdocs_active():
        with pytest.raises(engines.EngineUnavailable, match="ProperDocs already replaced MkDocs"):
            engines.activate("mkdocs")
    else:
        with pytest.raises(engines.EngineUnavailable, match="set PORTAL_ENGINE=properdocs"):
            engines.activate("properdocs")


# --- the Zensical adapter, with a stand-in for the command -------------------------------------

FAKE_ZENSICAL = '''#!{python}
"""Stands in for `zensical build`: checks the project is self-contained, writes site/ inside it."""
import pathlib, sys, yaml

args = sys.argv[1:]
assert args[:3] == ["build", "--clean", "--strict"], args
config_path = pathlib.Path(args[args.index("--config-file") + 1])
text = config_path.read_text("utf-8")
config = yaml.load(text, Loader=yaml.UnsafeLoader)
if config["docs_dir"] != "docs" or config["site_dir"] != "site":
    sys.exit("error: docs_dir and site_dir must be relative: " + repr((config["docs_dir"], config["site_dir"])))
language = config["theme"]["language"]
if language == "{failing}":
    print("Error: could not render the page for " + language, file=sys.stderr)
    sys.exit(1)
pages = sorted(p for p in (config_path.parent / "docs").rglob("*.md"))
site = config_path.parent / "site"
(site / "lessons").mkdir(parents=True)
(site / "index.html").write_text(f"<html lang={{language}}>{{len(pages)}} pages</html>", "utf-8")
print("Build finished")
'''


def fake_zensical(tmp_path: Path, failing: str = "") -> Path:
    command = tmp_path / "bin" / "zensical"
    command.parent.mkdir()
    command.write_text(FAKE_ZENSICAL.format(python=sys.executable, failing=failing), "utf-8")
    command.chmod(0o755)
    return command


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_zensical_builds_each_language_in_its_own_project_and_the_site_is_assembled(
    runner, sample, tmp_path, monkeypatch, jobs
):
    monkeypatch.setenv(engines.ZENSICAL_ENV, str(fake_zensical(tmp_path)))
    site = tmp_path / "site"
    result = run_portal(runner, sample, "build", "--engine", "zensical", "--site-dir", str(site), "--jobs", jobs)
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' not in (site / "index.html").read_text("utf-8")  # the stand-in's own page
    assert (site / "index.html").read_text("utf-8").startswith("<html lang=en>")
    for language in ("sw", "el", "zh", "ur"):
        # The generator's pass after any engine sets the direction on <html> (right to left in Urdu).
        expected = f'<html lang={language} dir="rtl">' if language == "ur" else f"<html lang={language}>"
        assert (site / language / "index.html").read_text("utf-8").startswith(expected)
        assert (site / language / "lessons").is_dir()
    assert not list(tmp_path.glob(".site*"))


def test_zensical_failing_for_one_language_is_reported_and_the_previous_site_stays(
    runner, sample, tmp_path, monkeypatch
):
    site = tmp_path / "site"
    assert run_portal(runner, sample, "build", "--site-dir", str(site)).exit_code == 0
    before = tree(site)
    monkeypatch.setenv(engines.ZENSICAL_ENV, str(fake_zensical(tmp_path, failing="zh")))
    result = run_portal(runner, sample, "build", "--engine", "zensical", "--site-dir", str(site))
    assert result.exit_code == 1
    assert "Zensical failed for language 'zh': Error: could not render the page for zh" in result.output
    assert tree(site) == before
    assert not list(tmp_path.glob(".site*"))


def test_zensical_missing_is_said_with_how_to_install_it(runner, sample, tmp_path, monkeypatch):
    monkeypatch.delenv(engines.ZENSICAL_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    if (Path(engines.__file__).resolve().parent.parent / ".venv-zensical/bin/zensical").is_file():
        pytest.skip("this checkout has its own .venv-zensical")
    result = run_portal(runner, sample, "build", "--engine", "zensical", "--site-dir", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert "Zensical is not installed: make setup-zensical" in result.output
    assert not (tmp_path / "site").exists()
