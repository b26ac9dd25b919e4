"""Deterministic synthetic content at a chosen scale, for benchmarks.

Lessons are of realistic length (about 600 words) with headings, lists, a
table, an admonition and, for two in three, a knowledge check. Everything
follows from the seed, so two runs measure the same content.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

WORDS = (  # noqa: SIM905 (a word list reads and edits better as prose than as a hundred quoted strings)
    "answer customer complaint public reply channel post share employee brand trust fast owner team "
    "escalate crisis tone voice honest helpful plain warm solar system install technician payment "
    "refund outage update follow review privacy consent disclose hashtag manager approve policy rule "
    "community guideline moderate troll spam rumour correct source link campaign measure reach click "
    "quality return weekly report learn lesson path role start day due check question option explain "
    "calm listen apologise fix resolve thread message direct private phone number account device "
    "village market shop office partner supplier launch price result forecast confidential internal"
).split()


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def lesson_body(rng: random.Random) -> str:
    """About 600 words: three sections with paragraphs, a list, a table and an admonition."""
    parts = []
    for section in range(3):
        parts.append(f"## {_sentence(rng, 2, 4)[:-1]}\n")
        parts.append(_paragraph(rng, 5) + "\n")
        if section == 0:
            parts.extend(f"- {_sentence(rng, 5, 10)}" for _ in range(4))
            parts.append("")
        if section == 1:
            parts.append("| Situation | Who answers | Within |\n|---|---|---|")
            parts.extend(f"| {rng.choice(WORDS)} {rng.choice(WORDS)} | {rng.choice(WORDS)} | {rng.randint(5, 90)} min |"
                         for _ in range(3))
            parts.append("")
        if section == 2:
            parts.append(f'!!! tip "{rng.choice(WORDS).capitalize()}"\n    {_sentence(rng)}\n')
        parts.append(_paragraph(rng, 4) + "\n")
    return "\n".join(parts)


def _check(rng: random.Random) -> dict:
    questions = []
    for _ in range(rng.randint(2, 3)):
        options = [_sentence(rng, 3, 6) for _ in range(3)]
        questions.append(
            {"question": _sentence(rng, 6, 10)[:-1] + "?", "options": options,
             "answer": options[rng.randrange(3)], "explanation": _sentence(rng)}
        )
    return {"questions": questions}


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), "utf-8")


def generate(root: Path, *, lessons: int, roles: int, seed: int = 7) -> Path:
    """Write a repository (content/, overrides/, mkdocs.yml) with the given numbers into ``root``."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    portal = yaml.safe_load((REPO / "content/portal.yml").read_text("utf-8"))
    portal.pop("languages", None)
    _dump(content / "portal.yml", portal)

    lesson_ids = [f"lesson-{n:05d}" for n in range(lessons)]
    steps_per_path = 40
    path_ids = []
    for start in range(0, lessons, steps_per_path):
        path_id = f"path-{start // steps_per_path:03d}"
        path_ids.append(path_id)
        chunk = lesson_ids[start : start + steps_per_path]
        # Due days spread within the sample's 30-day onboarding window, in path order.
        steps = [{"lesson": lid, "due_day": 1 + i * 29 // steps_per_path} for i, lid in enumerate(chunk)]
        _dump(content / "paths" / f"{path_id}.yml",
              {"title": f"Path {path_id[5:]}: {_sentence(rng, 2, 4)[:-1]}", "summary": _sentence(rng), "steps": steps})
        for i, lid in enumerate(chunk):
            meta = {
                "title": f"{_sentence(rng, 3, 6)[:-1]} {lid[7:]}",
                "summary": _sentence(rng),
                "minutes": rng.randint(4, 15),
                "tags": sorted({rng.choice(WORDS) for _ in range(2)}),
            }
            if i > 0 and rng.random() < 0.3:
                meta["prerequisites"] = [chunk[i - 1]]
            if rng.random() < 0.67:
                meta["check"] = _check(rng)
            front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
            (content / "lessons").mkdir(parents=True, exist_ok=True)
            (content / "lessons" / f"{lid}.md").write_text(f"---\n{front}---\n{lesson_body(rng)}", "utf-8")

    role_ids = [f"role-{n:03d}" for n in range(roles)]
    for n, rid in enumerate(role_ids):
        assigned = sorted({path_ids[0], *(rng.choice(path_ids) for _ in range(2))} | {path_ids[n % len(path_ids)]})
        other = role_ids[(n + 1) % len(role_ids)]
        _dump(content / "roles" / f"{rid}.yml", {
            "title": f"Role {n}: {_sentence(rng, 2, 3)[:-1]}",
            "level": 1 + n % 10,
            "summary": _sentence(rng),
            "social_media": _paragraph(rng, 6),
            "may_post_freely": [_sentence(rng) for _ in range(3)],
            "needs_approval": [{"what": _sentence(rng), "approver": other}],
            "do": [_sentence(rng) for _ in range(4)],
            "dont": [_sentence(rng) for _ in range(4)],
            "escalate_to": [{"role": other, "when": _sentence(rng)}],
            "paths": assigned,
        })

    _dump(content / "playbooks" / "tone.yml", {
        "kind": "tone", "title": "Tone of voice", "summary": _sentence(rng),
        "we_are": [{"trait": w.capitalize(), "means": _sentence(rng)} for w in ("warm", "plain", "honest")],
        "avoided_words": [{"word": "synergy", "instead": "working together", "why": _sentence(rng)}],
        "examples": [{"channel": "LinkedIn", "before": _sentence(rng), "after": _sentence(rng)}],
    })
    situations = []
    for n, (sid, severity) in enumerate([("customer-complaint", "medium"), ("outage", "high"), ("troll", "low"),
                                         ("crisis", "critical")]):
        situations.append({
            "id": sid, "name": sid.replace("-", " ").capitalize(), "severity": severity,
            "first_response_minutes": 15 * (n + 1), "owner": role_ids[n % roles],
            "recognise": _sentence(rng), "steps": [_sentence(rng) for _ in range(4)],
            "templates": [{"name": "First reply", "text": _sentence(rng)}],
            "escalate_when": [_sentence(rng)], "escalate_to": role_ids[(n + 1) % roles],
        })
    _dump(content / "playbooks" / "negativity.yml", {
        "kind": "negativity", "title": "Handling negative posts", "summary": _sentence(rng),
        "principles": [_sentence(rng) for _ in range(3)], "situations": situations,
    })
    _dump(content / "playbooks" / "rewards.yml", {
        "kind": "rewards", "title": "Recognising ambassadors", "summary": _sentence(rng),
        "actions": [{"id": "share-approved-post", "action": "Share an approved post", "points": 5}],
        "tiers": [{"name": "Listener", "min_points": 0, "recognition": _sentence(rng)},
                  {"name": "Voice", "min_points": 100, "recognition": _sentence(rng)}],
        "recognition": {"cadence": "Monthly", "how": [_sentence(rng)]},
        "fairness": [_sentence(rng)], "disclosure": [_sentence(rng)],
    })
    return root
