"""One run of `portal validate` reports every mistake, wherever it is.

A copy of the sample programme gets twelve different mistakes in eight files,
the kind a busy editor makes in one pull request. One run must report all
twelve, each at its file, line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_portal

# (file, text to replace, replacement, what the message says, the text the column points at)
MISTAKES = [
    ("content/portal.yml", 'disclosure_hashtag: "#JuaTeam"', 'disclosure_hashtag: "JuaTeam"',
     "`disclosure_hashtag` 'JuaTeam' is not in the expected form", '"JuaTeam"'),
    ("content/roles/receptionist.yml", "level: 1\n", "level: 11\n",
     "`level` must be at most 10, got 11", "11"),
    ("content/paths/foundations.yml", "lesson: keeping-confidences", "lesson: keeping-confidence",
     "unknown lesson `keeping-confidence`; did you mean `keeping-confidences`?", "keeping-confidence"),
    ("content/paths/foundations.yml", "lesson: spotting-trouble-early", "lesson: why-employees-matter",
     "lesson `why-employees-matter` is already step 1 of this path", "why-employees-matter\n    due_day: 14"),
    ("content/lessons/answering-fast.md", "minutes: 9\n", "minutes: 0\n",
     "`minutes` must be at least 1, got 0", "0\n"),
    ("content/lessons/answering-fast.md", "## Our targets\n", "## Our targets\n\n<script>alert(1)</script>\n",
     "<script> is not allowed", "<script>"),
    ("content/lessons/closing-the-loop.md", 'prerequisites: ["taking-it-private"]',
     'prerequisites: ["taking-it-privately"]',
     "unknown lesson `taking-it-privately`; did you mean `taking-it-private`?", '"taking-it-privately"'),
    ("content/lessons/closing-the-loop.md", "## Who fixes what\n",
     "## Who fixes what\n\nSee [the escalation lesson](escalating-early.md).\n",
     "link `escalating-early.md` points to a page that does not exist", "escalating-early.md"),
    ("content/lessons/who-does-what.md", '      answer: "The communications lead"',
     '      answer: "The communication lead"',
     "the answer is not one of the options; did you mean `The communications lead`?", '"The communication lead"'),
    ("content/lessons/who-does-what.md", "\n## ", "\nAsk [here](javascript:alert(document.cookie)).\n\n## ",
     "'javascript:' links are not allowed", "javascript:"),
    ("content/playbooks/negativity.yml", "    owner: customer-service-agent\n",
     "    owner: customer-service\n",
     "unknown role `customer-service`; did you mean `customer-service-agent`?", "customer-service\n"),
    ("content/playbooks/tone.yml", "title: Tone of voice\n", "title: Tone of voice\ntitle: Our voice\n",
     "duplicate key 'title' (first defined on line 3)", "title: Our voice"),
]


def break_sample(root: Path) -> list[tuple[str, int, int, str]]:
    """Make every mistake; return where each one must be reported."""
    expected = []
    for rel, old, new, message, marker in MISTAKES:
        path = root / rel
        text = path.read_text("utf-8")
        assert old in text, f"{rel} no longer holds {old!r}; update the mistake"
        start = text.index(old)
        text = text[:start] + new + text[start + len(old):]
        path.write_text(text, "utf-8")
        at = text.index(marker, start)
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        expected.append((rel, line, col, message))
    return expected


def test_one_validate_run_reports_twelve_mistakes_in_eight_files(runner, sample):
    expected = break_sample(sample)
    assert len({rel for rel, *_ in expected}) == 8 and len(expected) == 12
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines()
              if re.match(r"content/\S+:\d+:\d+: (?!warning:)", line)]
    for rel, line, col, message in expected:
        assert f"{rel}:{line}:{col}: {message}" in errors, f"not reported: {rel}:{line}:{col}: {message}"
    assert len(errors) == 12, "\n".join(errors)
    assert re.search(r"^\d+ files checked: 12 error\(s\), \d+ warning\(s\)$", result.output, re.M)


def test_the_readme_shows_real_messages(runner, sample):
    """The editor's section of the README quotes `portal validate` exactly; keep it true."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    quoted = readme.split("```\n$ portal validate\n", 1)[1].split("```", 1)[0]
    slips = [
        ("content/lessons/answering-fast.md", "minutes: 9\n", "minutes: 0\n"),
        ("content/playbooks/negativity.yml", "    owner: customer-service-agent\n", "    owner: customer-service\n"),
        ("content/playbooks/tone.yml", "title: Tone of voice\n", "title: Tone of voice\ntitle: Our voice\n"),
    ]
    for rel, old, new in slips:
        path = sample / rel
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1

    def problems_only(text: str) -> str:
        summary = re.compile(r"\d+ files checked|validation failed")
        return "\n".join(line for line in text.splitlines() if not summary.match(line))

    assert problems_only(result.output) == problems_only(quoted)
