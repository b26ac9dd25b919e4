"""`portal export`: LMS packages of a learning path, checked without a browser.

Manifests are validated by lxml against the standards' own schemas (see tests/lms_support.py); the
same content gives the same bytes; bad requests stop with located errors and write nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_portal
from lms_support import fetch_scorm_schemas, validate

pytestmark = pytest.mark.slow

PATH = "foundations"
LESSONS = ["why-employees-matter", "your-accounts-your-voice", "disclosing-your-employer", "keeping-confidences",
           "tone-of-voice-basics", "sharing-approved-posts", "spotting-trouble-early", "when-to-stay-silent",
           "customer-privacy-online"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, bytes]:
    """The receptionist's path as each format, through the command, from the repository's sample."""
    from click.testing import CliRunner
    from conftest import REPO

    out = tmp_path_factory.mktemp("export")
    zips = {}
    for fmt in ("scorm2004", "scorm12", "cmi5"):
        result = run_portal(CliRunner(), REPO, "export", PATH, "--format", fmt, "-o", str(out / f"{fmt}.zip"))
        assert result.exit_code == 0, result.output
        zips[fmt] = (out / f"{fmt}.zip").read_bytes()
    return zips


@pytest.fixture(scope="module")
def scorm_schemas(tmp_path_factory) -> Path:
    return fetch_scorm_schemas(tmp_path_factory.mktemp("schemas"))


def read(zipped: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return archive.read(name)


def names(zipped: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        return archive.namelist()


@pytest.mark.parametrize("fmt", ["scorm2004", "scorm12"])
def test_scorm_manifests_are_valid_against_the_official_schemas(exported, scorm_schemas, fmt):
    assert validate(read(exported[fmt], "imsmanifest.xml"), fmt, scorm_schemas) == []


def test_the_validator_does_reject_a_broken_manifest(exported, scorm_schemas):
    broken = read(exported["scorm2004"], "imsmanifest.xml").replace(b'action="disabled"', b'action="maybe"')
    assert validate(broken, "scorm2004", scorm_schemas)
    assert validate(read(exported["cmi5"], "cmi5.xml").replace(b'moveOn="Passed"', b'moveOn="Eventually"'),
                    "cmi5", None)


def test_cmi5_course_structure_is_valid_and_moves_on_by_the_pass_mark(exported):
    manifest = read(exported["cmi5"], "cmi5.xml")
    assert validate(manifest, "cmi5", None) == []
    text = manifest.decode()
    units = re.findall(r'<au id="[^"]*/lessons/([^"]+)" moveOn="(\w+)"( masteryScore="([\d.]+)")?', text)
    assert [u[0] for u in units] == LESSONS
    without_check = {"why-employees-matter", "tone-of-voice-basics"}  # reading them is the whole lesson
    for lesson, move_on, _, mastery in units:
        if lesson in without_check:
            assert (move_on, mastery) == ("Completed", "")
        else:  # the sample's checks leave out pass_mark: every answer must be right
            assert (move_on, mastery) == ("Passed", "1")
    assert "content version " in text and "(6 min)" in text


def test_scorm_manifests_name_each_lesson_in_path_order_with_the_content_version(exported):
    manifest = read(exported["scorm2004"], "imsmanifest.xml").decode()
    assert re.findall(r'<item identifier="lesson\.([^"]+)"', manifest) == LESSONS
    version = re.search(r'<manifest identifier="advocacy-portal\.foundations\.en" version="([0-9a-f]{12})"', manifest)
    assert version
    # each lesson after the first is disabled until the one before is satisfied
    assert manifest.count('action="disabled"') == len(LESSONS) - 1
    scorm12 = read(exported["scorm12"], "imsmanifest.xml").decode()
    prerequisites = re.findall(r'<adlcp:prerequisites type="aicc_script">lesson\.([^<]+)<', scorm12)
    assert prerequisites == LESSONS[:-1]
    assert scorm12.count("<adlcp:masteryscore>100</adlcp:masteryscore>") == len(LESSONS) - 2


def test_pages_are_self_contained_with_relative_links_only(exported):
    files = names(exported["scorm2004"])
    assert files == sorted(files)
    for name in files:
        if not name.endswith(".html"):
            continue
        page = read(exported["scorm2004"], name).decode()
        for tag, url in re.findall(r'<(\w+)\b[^>]*?\s(?:href|src)="([^"]*)"', page):
            if tag == "a" and (url.startswith(("#", "https://", "mailto:"))):
                continue
            assert not re.match(r"^[a-z]+:|^/", url), f"{name}: {url}"
            target = (Path(name).parent / url.split("#")[0]).as_posix()
            resolved = Path("/pkg", target).resolve().as_posix().removeprefix("/pkg/")
            assert resolved in files, f"{name} links {url}, not in the package"
        assert "md-header__inner" not in page and "md-sidebar--primary" not in page  # the LMS navigates
    assert "assets/lms.js" in files and "playbooks/tone/index.html" in files


def test_the_same_content_gives_a_byte_identical_zip(exported, tmp_path, runner, repo_root):
    result = run_portal(runner, repo_root, "export", PATH, "--format", "scorm2004", "-o", str(tmp_path / "again.zip"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.zip").read_bytes() == exported["scorm2004"]


def test_link_playbooks_points_to_the_published_portal(tmp_path, runner, repo_root):
    target = tmp_path / "linked.zip"
    result = run_portal(runner, repo_root, "export", PATH, "--format", "cmi5", "--link-playbooks",
                        "https://learn.jua-energy.example/", "-o", str(target))
    assert result.exit_code == 0, result.output
    zipped = target.read_bytes()
    assert not [n for n in names(zipped) if n.startswith("playbooks/")]
    page = read(zipped, "lessons/tone-of-voice-basics/index.html").decode()
    assert 'href="https://learn.jua-energy.example/playbooks/tone/" target="_blank"' in page


def test_unknown_path_is_an_error_that_names_the_paths(tmp_path, runner, repo_root):
    result = run_portal(runner, repo_root, "export", "receptionist", "--format", "scorm2004",
                        "-o", str(tmp_path / "x.zip"))
    assert result.exit_code == 1
    assert "unknown path `receptionist`; `receptionist` is a role, its paths are: foundations" in result.output
    assert not list(tmp_path.iterdir())


def test_missing_translation_is_located_unless_falling_back(sample, tmp_path, runner):
    # The sample is translated throughout: this copy of it loses one lesson's Urdu.
    (sample / "content" / "lessons" / "keeping-confidences.ur.md").unlink()
    out = tmp_path / "out"
    out.mkdir()
    result = run_portal(runner, sample, "export", PATH, "--format", "scorm12", "--language", "ur",
                        "-o", str(out / "ur.zip"))
    assert result.exit_code == 1
    assert re.search(r"content/paths/foundations\.yml:\d+:\d+: lesson `keeping-confidences` has no ur translation "
                     r"\(no content/lessons/keeping-confidences\.ur\.md\)", result.output)
    assert "--fallback en" in result.output
    assert not list(out.iterdir())
    fell_back = run_portal(runner, sample, "export", PATH, "--format", "scorm12", "--language", "ur",
                           "--fallback", "en", "-o", str(out / "ur.zip"))
    assert fell_back.exit_code == 0, fell_back.output
    assert [p.name for p in out.iterdir()] == ["ur.zip"]


def test_cmi5_needs_site_url(sample, tmp_path, runner):
    config = sample / "content" / "portal.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text("utf-8")), "utf-8")
    result = run_portal(runner, sample, "export", PATH, "--format", "cmi5", "-o", str(tmp_path / "c.zip"))
    assert result.exit_code == 1
    assert re.search(r"content/portal.yml:\d+:\d+: cmi5 names each lesson by an address made from `site_url`",
                     result.output)
    assert not (tmp_path / "c.zip").exists()


def test_all_exports_every_path_of_a_language_and_says_which_lessons_fell_back(sample, tmp_path, runner):
    # The sample is translated throughout: this copy of it loses one lesson's Greek.
    (sample / "content" / "lessons" / "keeping-confidences.el.md").unlink()
    out = tmp_path / "out"
    out.mkdir()
    result = run_portal(runner, sample, "export", "--all", "--language", "el", "--format", "scorm12",
                        "--fallback", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    paths = sorted(p.stem for p in (sample / "content" / "paths").glob("*.yml") if p.stem.count(".") == 0)
    assert sorted(p.name for p in out.iterdir()) == [f"{p}-el-scorm12.zip" for p in paths]
    assert re.search(r"note: \d+ lesson\(s\) not translated into el are in en: .*keeping-confidences", result.output)
    page = read((out / "foundations-el-scorm12.zip").read_bytes(), "lessons/disclosing-your-employer/index.html")
    assert '<html lang="el"' in page.decode()


def test_a_package_leaves_the_sites_learning_records_to_the_lms(sample, tmp_path, runner):
    config = sample / "content" / "portal.yml"
    config.write_text(config.read_text("utf-8") + "learning_records:\n  endpoint: /xapi/\n"
                      "  auth: proxy\n  identity: sso\n  identity_endpoint: /xapi/whoami\n", "utf-8")
    result = run_portal(runner, sample, "export", PATH, "--format", "cmi5", "-o", str(tmp_path / "c.zip"))
    assert result.exit_code == 0, result.output
    zipped = (tmp_path / "c.zip").read_bytes()
    assert "assets/records.js" not in names(zipped)
    page = read(zipped, "lessons/disclosing-your-employer/index.html").decode()
    assert "lms.js" in page
    for left in ("records.js", "portal-records", "/xapi/whoami", "Content-Security-Policy"):
        assert left not in page, left


def test_an_interrupted_write_leaves_no_part_of_a_zip(tmp_path, monkeypatch):
    from generator import lms

    (tmp_path / "old.zip").write_bytes(b"the previous export")

    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(lms.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        lms.write_atomically(tmp_path / "old.zip", b"new bytes")
    assert [p.name for p in tmp_path.iterdir()] == ["old.zip"]
    assert (tmp_path / "old.zip").read_bytes() == b"the previous export"


@pytest.mark.parametrize("fmt", ["scorm2004", "scorm12"])
def test_every_file_the_manifest_names_is_in_the_zip_with_each_lessons_minutes(exported, fmt):
    from lxml import etree

    zipped = exported[fmt]
    manifest = read(zipped, "imsmanifest.xml").decode()
    inside = set(names(zipped))
    named = re.findall(r'<file href="([^"]+)"', manifest) + re.findall(r"<adlcp:location>([^<]+)<", manifest)
    assert named and set(named) <= inside
    assert {n for n in inside if n.endswith(".html") or n.startswith("assets/")} <= set(named)
    first = etree.fromstring(read(zipped, "metadata/why-employees-matter.xml"))
    ns = {"lom": "http://ltsc.ieee.org/xsd/LOM"}
    assert first.findtext(".//lom:typicalLearningTime/lom:duration", namespaces=ns) == "PT6M"
    assert first.findtext(".//lom:description/lom:string", namespaces=ns).startswith("Why Jua Energy asks")
