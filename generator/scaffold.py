"""``portal new``: starting files that validate as written and explain every field."""

from __future__ import annotations

import re
from pathlib import Path

import click

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

LESSON = """\
---
# yaml-language-server: $schema=../schemas/lesson.schema.json
title: "{title}"
summary: "One sentence that says what the reader will be able to do afterwards."
minutes: 5                 # estimated minutes to read and answer the check
tags: []                   # topics, e.g. [disclosure, basics]
prerequisites: []          # ids of lessons to take first (file names without .md)
playbooks: []              # ids of playbooks this lesson teaches, e.g. [tone]
check:                     # optional knowledge check; delete the block to have none
  questions:
    - question: "What should you do first?"
      options:
        - "The right thing"
        - "Something else"
      answer: "The right thing"   # must be one of the options, written exactly the same
      hint: "Reread the section that says what to do first."   # optional: shown after a wrong answer
      explanation: "Why the right thing is right."
---
Write the lesson here in Markdown. Use `##` headings, lists and admonitions:

!!! tip "A practical tip"
    Indent the text of an admonition by four spaces.

Link to another lesson as `[its title](other-lesson.md)` and to a playbook as
`[Tone of voice](../playbooks/tone.yml)`. Add this lesson to a path in
`content/paths/` so that people are led to it.
"""

ROLE = """\
# yaml-language-server: $schema=../schemas/role.schema.json
title: "{title}"
level: 3                   # 1 (e.g. receptionist) to 10 (chief executive)
summary: "Who holds this role, in one or two sentences."
social_media: |
  What social media means in this role, in Markdown: which situations people
  in this role meet, and what is expected of them.
may_post_freely:           # what people in this role may post without asking
  - "Sharing approved posts from the share library"
needs_approval: []         # e.g. - {{what: "Prices or offers", approver: communications-lead}}
do:
  - "Add the disclosure hashtag when you post about work"
dont:
  - "Share anything that is not public yet"
escalate_to: []            # e.g. - {{role: team-lead, when: "A customer threatens legal action"}}
paths: []                  # ids of learning paths assigned to this role
includes: []               # ids of roles whose paths this role takes too, e.g. [team-lead]
"""

PATH = """\
# yaml-language-server: $schema=../schemas/path.schema.json
title: "{title}"
summary: "What this path teaches, and for whom."
steps:                     # lessons in the order they are taken
  - lesson: {lesson}
    due_day: 7             # days after the start date by which it is due
    # required: false      # uncomment to make a step optional
# refresher:               # uncomment to repeat some of the path's lessons at an interval
#   every_months: 12
#   lessons: [{lesson}]
"""


def write_new(root: Path, kind: str, item_id: str) -> Path:
    """Write ``content/<kind>s/<item_id>`` and return its path; refuses to overwrite."""
    if not _ID.match(item_id):
        raise click.BadParameter(
            f"{item_id!r}: use lowercase letters, digits and hyphens, e.g. answering-reviews", param_hint="ID"
        )
    title = item_id.replace("-", " ").capitalize()
    content = root / "content"
    if kind == "lesson":
        path = content / "lessons" / f"{item_id}.md"
        text = LESSON.format(title=title)
    elif kind == "role":
        path = content / "roles" / f"{item_id}.yml"
        text = ROLE.format(title=title)
    else:
        lessons = sorted(p.stem for p in (content / "lessons").glob("*.md"))
        if not lessons:
            raise click.ClickException("a path needs at least one lesson: run `portal new lesson ID` first")
        path = content / "paths" / f"{item_id}.yml"
        text = PATH.format(title=title, lesson=lessons[0])
    if path.exists():
        raise click.ClickException(f"{path.relative_to(root).as_posix()} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
