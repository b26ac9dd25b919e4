"""Nothing left behind: a killed build's scratch folder goes on the next run, a live one's never."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO

from generator.scratch import LOCK_NAME, ScratchDir, sweep

sys.path.insert(0, str(REPO / "bench"))
import synth


def _portal_command(root: Path, tmp: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return [sys.executable, "-m", "generator", "--root", str(root), "build"], env


def _build_folders(tmp: Path) -> set[Path]:
    return set(tmp.glob("portal-build-*")) | set(tmp.glob(".portal-build-*"))


def _wait_for_folder(tmp: Path, process: subprocess.Popen) -> Path:
    deadline = time.monotonic() + 300  # a safety net only; nothing here measures time
    while time.monotonic() < deadline:
        found = sorted(tmp.glob("portal-build-*"))
        if found:
            return found[0]
        assert process.poll() is None, "the build ended before it made its scratch folder"
        time.sleep(0.05)
    raise AssertionError("no scratch folder appeared")


def test_a_build_killed_outright_leaves_nothing_after_the_next_build(tmp_path):
    root = synth.generate(tmp_path / "repo", lessons=3, roles=2)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    command, env = _portal_command(root, tmp)
    killed = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    left = _wait_for_folder(tmp, killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert left.is_dir(), "SIGKILL gives the build no chance to clean up: the next run must"
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not left.exists()
    assert _build_folders(tmp) == set(), "the finished build removed its own folder too"


def test_two_builds_at_once_keep_each_others_folders(tmp_path):
    root = synth.generate(tmp_path / "repo", lessons=3, roles=2)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    command, env = _portal_command(root, tmp)
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        folder = _wait_for_folder(tmp, first)
        # What a second build does on starting, while the first one is running:
        with ScratchDir("portal-build-", tmp) as second:
            assert folder.is_dir(), "the second build removed the running first build's folder"
            assert sweep("portal-build-", tmp) == []
        assert not second.exists()
    finally:
        _, errors = first.communicate(timeout=600)
    assert first.returncode == 0, errors
    assert _build_folders(tmp) == set()


def test_only_folders_whose_lock_is_free_are_removed(tmp_path):
    live = ScratchDir("portal-build-", tmp_path)
    dead = tmp_path / "portal-build-dead"
    dead.mkdir()
    (dead / LOCK_NAME).touch()  # its process is gone: nobody holds the lock
    (dead / "page.html").write_text("left behind")
    other = tmp_path / "portal-serve-dead"
    other.mkdir()
    (other / LOCK_NAME).touch()
    try:
        assert sweep("portal-build-", tmp_path) == [dead]
        assert live.path.is_dir() and not dead.exists() and other.is_dir()
    finally:
        live.close()
    assert not live.path.exists()


def test_a_folder_without_a_lock_is_kept_while_it_may_belong_to_a_running_older_version(tmp_path):
    recent = tmp_path / "portal-build-recent"
    recent.mkdir()
    old = tmp_path / "portal-build-old"
    old.mkdir()
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    assert sweep("portal-build-", tmp_path) == [old]
    assert recent.is_dir() and not old.exists()
