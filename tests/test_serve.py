"""`portal serve`: edits show up; a broken edit is reported and the last good site stays served."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def _serving(root, log_path):
    """`portal serve` on ``root`` with its output in ``log_path``: the base URL, once it answers."""
    port = _free_port()
    with log_path.open("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            assert _wait_for(lambda: _get(base) is not None), "serve never came up"
            time.sleep(1)
            yield base
        finally:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
            if proc.poll() is None:
                proc.kill()


def test_serve_refreshes_on_edit_and_keeps_the_last_good_site_on_a_broken_one(sample, tmp_path):
    lesson = sample / "content/lessons/answering-fast.md"
    original = lesson.read_text()
    with _serving(sample, tmp_path / "serve.log") as base:
        url = f"{base}lessons/answering-fast/"
        assert _wait_for(lambda: _get(url) is not None), "serve never came up"
        lesson.write_text(original + "\nA sentence with the word kingfisherblue.\n")
        assert _wait_for(lambda: "kingfisherblue" in (_get(url) or "")), "the edit was not served"
        index = json.loads(_get(f"{base}search/search_index.json") or "{}")
        pages = {entry["location"].partition("#")[0] for entry in index.get("docs", [])}
        assert "lessons/answering-fast/" in pages and "lessons/closing-the-loop/" in pages, "search lost pages"

        lesson.write_text(original.replace("minutes:", "minutes: lots\nminutes_typo:", 1))
        assert _wait_for(lambda: "content/lessons/answering-fast.md:" in (tmp_path / "serve.log").read_text())
        output = (tmp_path / "serve.log").read_text()
        assert "expected a whole number" in output and "Still serving the last good site" in output
        assert "kingfisherblue" in (_get(url) or ""), "the last good page is no longer served"


def test_serve_shows_a_change_to_the_theme_overrides_on_every_page(sample, tmp_path):
    template = sample / "overrides/main.html"
    with _serving(sample, tmp_path / "serve.log") as base:
        url = f"{base}lessons/closing-the-loop/"
        assert _wait_for(lambda: _get(url) is not None), "serve never came up"
        # No page's text changes: an incremental build would render none of them.
        template.write_text(template.read_text().replace(
            "{% block content %}", '{% block content %}<p class="portal-marker">overridemarker</p>', 1
        ))
        assert _wait_for(lambda: "overridemarker" in (_get(url) or "")), "the theme change was not served"
