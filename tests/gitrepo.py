"""A throwaway git repository holding a copy of the sample portal, edited and committed by a test."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitRepo:
    """Edit files of a sample copy and commit them with fixed dates, as an editor's history would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.git("init", "-q", "-b", "main")
        self.commit("Start the portal")

    def git(self, *args: str) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Marketing editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
            "GIT_COMMITTER_NAME": "Marketing editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
            "GIT_AUTHOR_DATE": f"2024-03-{self.day + 1:02d}T10:00:00+03:00",
            "GIT_COMMITTER_DATE": f"2024-03-{self.day + 1:02d}T10:00:00+03:00",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        }
        result = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return result.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        self.day += 1

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text("utf-8")

    def write(self, rel: str, text: str) -> None:
        self.path(rel).parent.mkdir(parents=True, exist_ok=True)
        self.path(rel).write_text(text, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))
