"""Knowledge checks keep their answer key out of the page: salted hashes, sealed explanations,
the `checks: reveal` setting, the patterns validate warns about, and the browser's SHA-256 held
to Python's hashlib."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_portal

from generator import answerkey, schema
from generator.build import build
from generator.render import Renderer
from generator.validate import validate

HASH_JS = REPO / "generator" / "assets" / "portal-hash.js"

TEXTS = [
    "", "abc", "a" * 55, "a" * 56, "a" * 63, "a" * 64, "a" * 65, "a" * 119, "a" * 120, "x" * 1000,
    "Jua ☀ جوا 朱阿 Τζούα 🙂", "answer\n0123456789abcdef\n0,3",
]


def lesson_check(meta: dict) -> list[tuple[list[str], str, str]]:
    return [(q["options"], q["answer"], q["explanation"]) for q in meta["check"]["questions"]]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---", 2)[1])


# --- the browser's hashing is Python's ---------------------------------------------------------

NODE = """
require(process.argv[1]);
const h = globalThis.portalHash;
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({
  digests: input.texts.map((text) => h.sha256Hex(text)),
  streams: input.streams.map(([key, length]) => h.keystreamHex(key, length)),
  hashes: input.answers.map(([salt, chosen]) => h.answerHash(salt, chosen)),
  opened: input.sealed.map(([sealed, salt, chosen]) => h.unseal(sealed, salt, chosen)),
}));
"""


def test_the_pages_sha256_keystream_and_sealing_match_pythons():
    node = shutil.which("node")
    if node is None:
        pytest.fail("this test needs Node.js (apt-get install nodejs) to run the page's hashing")
    salt = answerkey.question_salt("seed", "ur", "answering-fast", 2)
    key = bytes(range(32))
    sealed = answerkey.seal("جواب: 15 منٹ کے اندر. " * 5, answerkey.reveal_key(salt, "2"))
    given = {
        "texts": TEXTS,
        "streams": [[key.hex(), n] for n in (1, 31, 32, 33, 100)],
        "answers": [[salt, chosen] for chosen in ("0", "1", "2", "0,3")],
        "sealed": [[sealed, salt, "2"], [sealed, salt, "1"]],
    }
    run = subprocess.run([node, "-e", NODE, str(HASH_JS)], input=json.dumps(given), capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    import hashlib

    assert got["digests"] == [hashlib.sha256(text.encode()).hexdigest() for text in TEXTS]
    assert got["streams"] == [answerkey.keystream(key, n).hex() for n in (1, 31, 32, 33, 100)]
    assert got["hashes"] == [answerkey.answer_hash(salt, c) for c in ("0", "1", "2", "0,3")]
    assert got["opened"][0] == "جواب: 15 منٹ کے اندر. " * 5
    assert got["opened"][1] != got["opened"][0]  # the wrong answer's key opens nothing readable


def test_a_sealed_text_opens_only_with_the_right_selection():
    salt = answerkey.question_salt("seed", "en", "lesson", 1)
    sealed = answerkey.seal("Because readers judge us by our reply.", answerkey.reveal_key(salt, "1"))
    assert answerkey.unseal(sealed, answerkey.reveal_key(salt, "1")) == "Because readers judge us by our reply."
    for wrong in ("0", "2", "3"):
        try:
            opened = answerkey.unseal(sealed, answerkey.reveal_key(salt, wrong))
        except UnicodeDecodeError:
            continue
        assert opened != "Because readers judge us by our reply."


# --- the built site holds no answer key ---------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("answer-key") / "site"
    build(REPO, site)
    return site


def test_the_built_site_holds_no_plain_answer_key(site):
    lessons = sorted((REPO / "content" / "lessons").glob("*.md"))
    explanations = []
    for path in lessons:
        meta = front_matter(path)
        if meta.get("check"):
            explanations += [q["explanation"] for q in meta["check"]["questions"]]
    assert len(explanations) > 70  # every language's
    files = [p for p in site.rglob("*") if p.suffix in {".html", ".js", ".json", ".xml"}]
    for path in files:
        text = path.read_text("utf-8")
        assert "data-correct" not in text, path
        if path.parent.name != "assets":  # the script names these (for reveal: always); pages must not
            assert "data-answer" not in text, path
            assert "portal-option--answer" not in text, path
        unescaped = html.unescape(text)
        for explanation in explanations:
            # Explanations are in the site only sealed (search index and catalogue included).
            assert explanation not in unescaped and explanation not in text, (path, explanation[:40])


def test_each_pages_hash_matches_the_right_option_and_its_sealed_explanation_opens_with_it(site):
    for lesson, language in (("answering-fast", "en"), ("owning-complaints-in-public", "ur")):
        suffix = "" if language == "en" else f".{language}"
        meta = front_matter(REPO / "content" / "lessons" / f"{lesson}{suffix}.md")
        page = site / ("" if language == "en" else language) / "lessons" / lesson / "index.html"
        fieldsets = re.findall(r'data-salt="(\w+)" data-hash="(\w+)">.*?data-sealed="([^"]+)"',
                               page.read_text("utf-8"), re.S)
        questions = meta["check"]["questions"]
        assert len(fieldsets) == len(questions)
        for (salt, digest, sealed), question in zip(fieldsets, questions, strict=True):
            right = str(question["options"].index(question["answer"]))
            assert digest == answerkey.answer_hash(salt, right)
            wrong = [str(i) for i in range(len(question["options"])) if str(i) != right]
            assert all(answerkey.answer_hash(salt, w) != digest for w in wrong)
            assert answerkey.unseal(sealed, answerkey.reveal_key(salt, right)) == question["explanation"]
            base64.b64decode(sealed, validate=True)


def test_salts_differ_by_question_and_language(site):
    salts = re.findall(r'data-salt="(\w+)"', (site / "lessons/answering-fast/index.html").read_text("utf-8"))
    salts += re.findall(r'data-salt="(\w+)"', (site / "sw/lessons/answering-fast/index.html").read_text("utf-8"))
    assert len(salts) == 4 and len(set(salts)) == 4


# --- reveal: after_pass | never | always -------------------------------------------------------


def check_html(root: Path, lesson: str = "answering-fast") -> str:
    portal, problems = validate(root)
    assert portal is not None and not problems.errors, [p.format() for p in problems.errors]
    return str(Renderer(portal).knowledge_check(portal.lessons[lesson]))


def set_reveal(root: Path, reveal: str) -> None:
    config = root / "content" / "portal.yml"
    config.write_text(config.read_text("utf-8") + f"checks:\n  reveal: {reveal}\n", "utf-8")


def test_reveal_never_puts_no_explanation_in_the_page(sample):
    set_reveal(sample, "never")
    page = check_html(sample)
    assert 'data-reveal="never"' in page
    assert "portal-explanation" not in page and "data-sealed" not in page
    assert "Customer complaints have a 15-minute" not in page
    assert "The table under “Our targets”" in page  # the hint stays


def test_reveal_always_puts_the_right_place_and_explanation_in_the_page(sample):
    set_reveal(sample, "always")
    page = check_html(sample)
    assert 'data-reveal="always"' in page
    assert 'data-answer="2" hidden>Customer complaints have a 15-minute' in page


def test_reveal_after_pass_is_the_default(sample):
    page = check_html(sample)
    assert 'data-reveal="after_pass"' in page and "data-sealed=" in page
    assert "Customer complaints have a 15-minute" not in page


def test_an_unknown_reveal_is_reported_at_its_value(sample, runner):
    set_reveal(sample, "sometimes")
    config = sample / "content" / "portal.yml"
    number = config.read_text("utf-8").splitlines().index("  reveal: sometimes") + 1
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 1
    assert f"content/portal.yml:{number}:11: " in result.output
    line = next(line for line in result.output.splitlines() if line.startswith(f"content/portal.yml:{number}:"))
    assert "after_pass" in line and "never" in line and "always" in line


def test_salts_are_reproducible_and_change_with_source_date_epoch(sample, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = check_html(sample), check_html(sample)
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = check_html(sample)
    assert stamped == check_html(sample)
    assert re.findall(r'data-salt="(\w+)"', stamped) != re.findall(r'data-salt="(\w+)"', first)


# --- validate warns about checks a guesser passes ----------------------------------------------


def question(options: list[str], answer: str) -> schema.Question:
    return schema.Question(question="Which?", options=options, answer=answer, explanation="Because.")


def giveaways(*questions: schema.Question) -> list[str]:
    return list(answerkey.giveaways(schema.KnowledgeCheck(questions=list(questions))))


def test_right_answers_in_one_place_are_a_giveaway():
    found = giveaways(question(["Yes", "No, never", "Maybe"], "Yes"), question(["Now", "Later on", "Never"], "Now"))
    assert found == ["the right answer is option 1 in every question: a guesser passes by always picking it"]


def test_right_answers_that_are_always_the_longest_are_a_giveaway():
    found = giveaways(question(["A", "The long right one"], "The long right one"),
                      question(["Longest right answer here", "Short"], "Longest right answer here"))
    assert found == ["the right answer is the longest option in every question: a guesser passes by picking it"]


def test_a_tie_for_longest_is_no_giveaway_and_neither_are_mixed_places():
    assert giveaways(question(["Blue", "Pink", "Red"], "Blue"), question(["Up", "Down"], "Down")) == []


def test_one_question_warns_only_when_its_right_option_stands_out():
    assert giveaways(question(["Short one", "Rather longer"], "Rather longer")) == []  # longest, not by half
    standout = "Within 15 minutes of the post"
    assert giveaways(question(["Within 4 hours", standout], standout)) == [
        "the right answer is much longer than the other options (over 1.5 times): a guesser picks it"
    ]
    assert giveaways(question(["Within 4 hours", "Within 15 minutes"], "Within 15 minutes")) == []


GUESSABLE = """---
title: "Guessable"
summary: "A lesson whose check a guesser passes."
minutes: 3
check:
  questions:
    - question: "First?"
      options: ["The right and longest one", "Wrong", "Also wrong"]
      answer: "The right and longest one"
      explanation: "Because."
    - question: "Second?"
      options: ["Right, and long as well", "No", "Nope"]
      answer: "Right, and long as well"
      explanation: "Because."
---
Text.
"""


def test_validate_warns_at_the_check_and_still_passes(sample, runner):
    (sample / "content" / "lessons" / "guessable.md").write_text(GUESSABLE, "utf-8")
    result = run_portal(runner, sample, "validate")
    assert result.exit_code == 0, result.output
    assert ("content/lessons/guessable.md:5:1: warning: the right answer is option 1 in every question: "
            "a guesser passes by always picking it") in result.output
    assert ("content/lessons/guessable.md:5:1: warning: the right answer is the longest option in every "
            "question: a guesser passes by picking it") in result.output


def test_the_sample_gives_no_check_away():
    _, problems = validate(REPO)
    assert not [p.format() for p in problems.warnings if "guesser" in p.message]
    # ... and, with its right answers spread out, no place and no length wins by much.
    places, longest, total = {}, 0, 0
    for path in (REPO / "content" / "lessons").glob("*.md"):
        if path.name.count(".") > 1 or not front_matter(path).get("check"):
            continue
        for options, answer, _ in lesson_check(front_matter(path)):
            place = options.index(answer)
            places[place] = places.get(place, 0) + 1
            longest += len(answer) > max(len(o) for o in options if o != answer)
            total += 1
    assert max(places.values()) < total / 2 and longest < total / 2

