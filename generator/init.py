"""``portal init``: start a new programme in a folder of its own.

A company that adopts the portal should not publish the sample company's lessons or its git
history. ``init`` writes a new project folder: the theme settings and overrides of the project
it is run from, and either a small skeleton of content that validates as written (one role, one
path, two lessons, a tone-of-voice playbook, every field commented) or a copy of the sample to
edit. The new folder has no history, and its ``portal.yml`` starts the What changed page at the
day it was made (``changes_since``), so that a programme kept in a fork starts clean too.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import click

from generator.scaffold import ROLE

# What a project needs besides content/: the theme and Markdown settings and the overrides.
PROJECT_FILES = ("mkdocs.yml",)
PROJECT_DIRS = ("overrides",)

GITIGNORE = """\
/site/
/.portal/
/.venv/
.site.staging-*
"""

PORTAL = """\
# yaml-language-server: $schema=./schemas/portal.schema.json
organisation: "{organisation}"
program: Social media advocacy
tagline: "Clear, honest voices for {organisation}, one post at a time."
introduction: |
  This portal helps everyone at {organisation} take part in conversations about our work online,
  well and safely.

  1. **Pick your role** from the list of roles: its guide says what you may post freely, what
     needs approval first, and whom to call when something goes wrong.
  2. **Follow your learning path**, lesson by lesson, by the day each is due.
  3. **Take the checks**: passing a lesson's questions completes it.
default_language: {language}
languages:                 # every language the portal is published in; add {{code, name}} entries
  - code: {language}
    name: "{language_name}"
disclosure_hashtag: "#{hashtag}"   # the hashtag employees add to show they work here
contacts:
  questions:
    name: Social Media Desk
    email: social@example.com      # replace with your team's address
  escalation:
    name: Communications duty officer
    email: comms@example.com       # replace: where a crisis or a legal threat goes, day or night
changes_since: {today}       # the What changed page lists commits from this date (or commit) on
"""

PATH = """\
# yaml-language-server: $schema=../schemas/path.schema.json
title: Getting started
summary: "What everyone at {organisation} needs before posting about work."
steps:                     # lessons in the order they are taken; due_day counts from the start date
  - lesson: why-your-voice-matters
    due_day: 3
  - lesson: posting-about-work
    due_day: 7
"""

LESSONS = {
    "why-your-voice-matters": """\
---
# yaml-language-server: $schema=../schemas/lesson.schema.json
title: "Why your voice matters"
summary: "Why people trust colleagues more than adverts, and why taking part is your choice."
minutes: 4
playbooks: [tone]
check:
  questions:
    - question: "Do you have to post about work?"
      options:
        - "Yes, everyone must post once a week"
        - "No, taking part is your choice"
        - "Only if your manager asks"
      answer: "No, taking part is your choice"
      explanation: "The programme helps those who want to take part do it well; nobody is required to post."
---
People trust people more than logos. When someone who does the work writes about it, readers
believe it more than any advert, because you know the work first-hand.

## Your choice

Taking part is voluntary, and the training happens during working hours. Read the
[tone of voice playbook](../playbooks/tone.yml) before your first post.
""",
    "posting-about-work": """\
---
# yaml-language-server: $schema=../schemas/lesson.schema.json
title: "Posting about work"
summary: "Say that you work here, share only what is public, and know whom to ask."
minutes: 5
prerequisites: [why-your-voice-matters]
playbooks: [tone]
check:
  questions:
    - question: "You post about a product you helped build. What do you add?"
      options:
        - "Nothing extra: it is your own personal account"
        - "A link to the product's price list and offers"
        - "The disclosure hashtag"
      answer: "The disclosure hashtag"
      explanation: "Readers have a right to know when someone writes about their own employer."
    - question: "A colleague shows you next month's launch plan. May you hint at it online?"
      options:
        - "No: share only what is already public"
        - "Yes, as long as you never name the product itself"
      answer: "No: share only what is already public"
      explanation: "A hint is a leak too; wait until the launch is announced."
---
Three habits keep you and the company safe:

1. **Say that you work here** whenever you post about work: add the disclosure hashtag.
2. **Share only what is public.** Plans, numbers and customers' details stay inside.
3. **Ask when unsure.** The Social Media Desk answers questions; anything urgent goes to the
   Communications duty officer.
""",
}

TONE = """\
# yaml-language-server: $schema=../schemas/playbook.schema.json
kind: tone
title: Tone of voice
summary: "How {organisation} sounds on every channel, from the official account to your own profile."
we_are:                    # what our voice is: one word or a short phrase, and what it means
  - trait: Warm
    means: "We write to one person, use their name when we have it, and say sorry when we got it wrong."
  - trait: Plain
    means: "Short sentences and everyday words; one idea per sentence."
  - trait: Honest
    means: "We say what we know and what we do not know yet, and never promise what nobody confirmed."
we_are_not:
  - trait: Corporate
    means: "No phrases that sound as if nobody wrote them."
avoided_words:             # words we avoid, with what to say instead
  - word: "We apologise for any inconvenience"
    instead: "Sorry, that should not have happened"
    why: "Say what went wrong, in words a person would use."
"""


def esc(text: str) -> str:
    """Text for the inside of a double-quoted YAML string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _hashtag(organisation: str) -> str:
    words = re.findall(r"[^\W_]+", organisation)
    return ("".join(word[:1].upper() + word[1:] for word in words) or "Our") + "Team"


def _copy_project_files(source: Path, target: Path) -> None:
    for name in PROJECT_FILES:
        shutil.copy2(source / name, target / name)
    for name in PROJECT_DIRS:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _skeleton(target: Path, organisation: str, language: str, language_name: str, today: str) -> None:
    content = target / "content"
    values = {"organisation": esc(organisation), "language": language, "language_name": esc(language_name),
              "hashtag": _hashtag(organisation), "today": today}
    _write(content / "portal.yml", PORTAL.format(**values))
    _write(content / "roles" / "employee.yml", ROLE.format(title="Employee").replace(
        "paths: []                  # ids of learning paths assigned to this role",
        "paths: [getting-started]   # ids of learning paths assigned to this role"))
    _write(content / "paths" / "getting-started.yml", PATH.format(**values))
    for lesson_id, text in LESSONS.items():
        _write(content / "lessons" / f"{lesson_id}.md", text)
    _write(content / "playbooks" / "tone.yml", TONE.format(**values))


_SETTING = re.compile(r"^(?P<key>organisation|changes_since):.*$", re.MULTILINE)


def _sample(source: Path, target: Path, organisation: str | None, today: str) -> None:
    shutil.copytree(source / "content", target / "content", ignore=shutil.ignore_patterns("schemas"))
    config = target / "content" / "portal.yml"
    text = config.read_text("utf-8")
    text = re.sub(r"^changes_since:.*\n", "", text, flags=re.MULTILINE)
    if organisation:
        text = re.sub(r"^organisation:.*$", f'organisation: "{esc(organisation)}"', text, count=1,
                      flags=re.MULTILINE)
    text = text.rstrip("\n") + f"\nchanges_since: {today}   # the What changed page lists commits from here on\n"
    config.write_text(text, encoding="utf-8")


def init_project(source: Path, target: Path, *, organisation: str | None, sample: bool,
                 language: str = "en", language_name: str = "English", today: dt.date | None = None) -> Path:
    """Write a new project into ``target`` (missing or empty) from the project at ``source``."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise click.ClickException(f"{target}: the folder exists and is not empty; name a new folder")
    if not (source / "mkdocs.yml").is_file():
        raise click.ClickException(f"{source}: no mkdocs.yml here; run `portal init` from a portal project")
    if not sample and not organisation:
        raise click.ClickException("name the organisation: portal init DIR --organisation NAME")
    day = (today or dt.date.today()).isoformat()
    staging = target.with_name(f".{target.name}.init-tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _copy_project_files(source, staging)
        _write(staging / ".gitignore", GITIGNORE)
        if sample:
            _sample(source, staging, organisation, day)
        else:
            _skeleton(staging, organisation or "", language, language_name, day)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
