"""Every problem at its own place: in the file that has it, at the line of the problem itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import run_portal


def _located(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def test_problems_in_a_translated_block_field_are_located_at_their_own_lines(sample, runner):
    translation = sample / "content/playbooks/negativity.sw.yml"
    _edit(translation, "  mzima, na lile", "  mzima <img src=x onerror=alert(1)>, na lile")
    _edit(translation, "  wanaohusika.\n", "  wanaohusika. [x](javascript:alert(2))\n")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    lines = translation.read_text("utf-8").split("\n")
    located = _located(result.output)
    # The picture is reported too (no picture can come from content/), at its own place.
    assert len(located) == 3, result.output
    assert "picture `x` is not part of the portal" in located[0], result.output
    for message, needle in zip(located, ("x onerror", "onerror", "javascript:"), strict=True):
        path, line, col = message.split(":")[:3]
        assert path == "content/playbooks/negativity.sw.yml"
        assert lines[int(line) - 1][int(col) - 1 :].startswith(needle), message


def test_a_problem_in_a_source_field_is_reported_once_not_in_its_translations(sample, runner):
    source = sample / "content/roles/ceo.yml"
    _edit(source, "  note about a visit", "  note <b onclick=x>about</b> a visit")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    located = _located(result.output)
    assert len(located) == 1, result.output
    assert located[0].startswith("content/roles/ceo.yml:9:11: event-handler attribute 'onclick'")


def test_did_you_mean_never_offers_the_name_typed_nor_one_that_looks_the_same():
    from generator.shape import closest, same_looking

    assert closest("keeping-confidence", ["keeping-confidence", "keeping-calm"]) == "keeping-calm"
    nfd, nfc = "inge\u0301nieur", "ing\u00e9nieur"
    assert closest(nfd, [nfc]) is None
    assert closest("second-steps\u200b", ["second-steps"]) is None
    twin = same_looking(nfd, [nfc, "agent"])
    assert twin is not None and twin[0] == nfc
    assert "NFD here, NFC there" in twin[1]


def test_a_broken_role_file_is_reported_once_and_posts_do_not_call_it_missing(sample, runner):
    (sample / "content/roles/engineer.yml").write_text('title: "Engineer\nlevel: 3\n', "utf-8")
    (sample / "content/playbooks/rewards.yml").write_text("# kind: rewards\n", "utf-8")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert "there is no content/roles/engineer.yml" not in result.output
    assert "unknown role `engineer`" not in result.output
    assert "disclosure hashtag" not in result.output.replace("the disclosure hashtag of posts", "")
    errors = [line for line in _located(result.output) if ": warning: " not in line]
    assert [line.split(":")[0] for line in errors] == ["content/playbooks/rewards.yml", "content/roles/engineer.yml"]
    skipped = [line for line in _located(result.output) if "were skipped" in line]
    assert len(skipped) == 2, result.output


def _portal(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``portal`` run as an editor runs it: a separate process, its whole output kept."""
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), *args],
                          capture_output=True, text=True, check=False)


def test_template_mistakes_are_located_by_validate_and_build_without_a_traceback(tmp_path):
    from test_catalogue import fingerprint, make_repo

    root = make_repo(tmp_path / "repo", {})
    site = tmp_path / "site"
    assert _portal(root, "build", "--site-dir", str(site)).returncode == 0
    before = fingerprint(site)

    (root / "content/playbooks/faq.yml").write_text("kind: faq\ntitle: Questions\nsummary: Common questions.\n")
    template = root / "overrides/portal/playbooks/faq.md.j2"
    template.parent.mkdir(parents=True)
    template.write_text("# {{ data.title }}\n\nAsk {{ contact_person.name }}.\n")
    for command in (("validate",), ("build", "--site-dir", str(site))):
        result = _portal(root, *command)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "overrides/portal/playbooks/faq.md.j2:3:1: template error: 'contact_person' is undefined" in output
        assert "Traceback" not in output
    template.write_text("# {{ data.title }\n")
    result = _portal(root, "validate")
    assert "overrides/portal/playbooks/faq.md.j2:1:1: template syntax error" in result.stdout + result.stderr

    template.unlink()
    (root / "content/playbooks/faq.yml").unlink()
    main = root / "overrides/main.html"
    original = main.read_text("utf-8")
    # The inserted call is on the line after `{% block content %}`, wherever main.html has it.
    line = original[: original.index("{% block content %}\n")].count("\n") + 2
    main.write_text(original.replace("{% block content %}\n", "{% block content %}\n  {{ banner() }}\n"))
    for command in (("validate",), ("build", "--site-dir", str(site))):
        result = _portal(root, *command)
        output = result.stdout + result.stderr
        assert result.returncode == 1
        assert f"overrides/main.html:{line}:3: template error: 'banner' is undefined" in output
        assert "Traceback" not in output
    # A page's missing attribute shows only when MkDocs renders the page: the build says where.
    main.write_text(original.replace("{% block content %}\n", "{% block content %}\n  {{ page.banner.text }}\n"))
    assert _portal(root, "validate").returncode == 0
    result = _portal(root, "build", "--site-dir", str(site))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert f"overrides/main.html:{line}:3: template error:" in output, output
    assert "Traceback" not in output
    assert fingerprint(site) == before
