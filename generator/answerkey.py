"""A knowledge check's answer key as a page may carry it: salted hashes and sealed texts.

A static page must let the browser tell a right answer from a wrong one, so whatever the
page holds, someone who runs its code on every combination of options finds the answers.
What this module stops is the cheaper thing: reading them from the page source. Per
question the page holds

* a salt: 16 bytes from the build seed, the language, the lesson and the question number,
  so that two questions (or two builds of changed content) with the right answer in the
  same place never show the same hash;
* ``SHA-256("answer" | salt | selection)``, where the selection is the right options'
  places in the source order (``"2"``, or ``"0,3"`` for several), checked by the browser;
* the text revealed once the check is passed (the explanation), XORed with a keystream
  from ``SHA-256("reveal" | salt | selection)``: only a browser that was given the right
  selection can open it.

The salt is not a secret: it is in the page. Nothing in the build could be, since the
browser needs all of it to check an answer, and whoever can read the content repository
can read the answers there. The seed is therefore reproducible: the lesson's content
fingerprint and, when set, ``SOURCE_DATE_EPOCH``, so two builds of the same content are
byte-identical and a changed lesson gets new salts.

``generator/assets/portal-hash.js`` repeats the hashing in the browser, without
``crypto.subtle`` (absent on plain-http intranet hosts and some ``file://`` pages).
The rules :func:`giveaways` applies are also here, beside the key they protect.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator import schema

VERSION = "advocacy-portal check 1"
"""Part of every salt: a new scheme gets new salts."""

STANDOUT = 1.5
"""A one-question check warns when its right option is this many times longer than any other."""


def build_seed(lesson_fingerprint: str) -> str:
    """The seed of one lesson's salts: its content, and the release date when one is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return f"{VERSION}\n{epoch}\n{lesson_fingerprint}"


def question_salt(seed: str, language: str, lesson_id: str, number: int) -> str:
    """32 hex digits for question ``number`` (from 1) of a lesson in ``language``."""
    material = f"{seed}\n{language}\n{lesson_id}\n{number}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def selection(places: Iterable[int]) -> str:
    """The chosen options' places (0-based, source order), sorted and joined by commas."""
    return ",".join(str(place) for place in sorted(set(places)))


def answer_hash(salt: str, chosen: str) -> str:
    """What the page holds to check a selection: hex SHA-256 of ``answer``, the salt and it."""
    return hashlib.sha256(f"answer\n{salt}\n{chosen}".encode()).hexdigest()


def reveal_key(salt: str, chosen: str) -> bytes:
    """The key that opens a question's reveal text; it needs the right selection."""
    return hashlib.sha256(f"reveal\n{salt}\n{chosen}".encode()).digest()


def keystream(key: bytes, length: int) -> bytes:
    """``SHA-256(key | counter)`` blocks (counter: 4 bytes, big-endian, from 0), cut to ``length``."""
    blocks = (hashlib.sha256(key + n.to_bytes(4, "big")).digest() for n in range((length + 31) // 32))
    return b"".join(blocks)[:length]


def seal(text: str, key: bytes) -> str:
    """``text`` as UTF-8 XOR the keystream of ``key``, in base64."""
    data = text.encode("utf-8")
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, keystream(key, len(data)), strict=True))).decode()


def unseal(sealed: str, key: bytes) -> str:
    """The inverse of :func:`seal` (the browser's job; here for tests)."""
    data = base64.b64decode(sealed)
    return bytes(a ^ b for a, b in zip(data, keystream(key, len(data)), strict=True)).decode("utf-8")


@dataclass(frozen=True)
class SealedQuestion:
    salt: str
    hash: str
    sealed: str
    """The explanation, sealed with the right selection's key."""


def seal_question(seed: str, language: str, lesson_id: str, number: int,
                  question: schema.Question) -> SealedQuestion:
    salt = question_salt(seed, language, lesson_id, number)
    right = selection([question.options.index(question.answer)])
    return SealedQuestion(salt, answer_hash(salt, right), seal(question.explanation, reveal_key(salt, right)))


# --- patterns a guesser can use ----------------------------------------------------------------


def _right_place(question: schema.Question) -> int | None:
    return question.options.index(question.answer) if question.answer in question.options else None


def _is_longest(question: schema.Question, place: int, factor: float = 1.0) -> bool:
    """The right option is longer than every other (by ``factor``), counted in characters."""
    right = len(question.options[place])
    others = [len(option) for i, option in enumerate(question.options) if i != place]
    return bool(others) and right > max(others) * factor


def giveaways(check: schema.KnowledgeCheck) -> Iterator[str]:
    """What lets someone pass ``check`` without reading the lesson, as warning messages.

    With two or more questions: every right answer in the same place, or every right
    answer the longest option. One question shows no pattern of places (its answer has
    to be somewhere), so it warns only when its right option stands out: half again as
    long as the longest other one.
    """
    places = [_right_place(q) for q in check.questions]
    if any(place is None for place in places):
        return  # a wrong answer is reported as an error
    known = [p for p in places if p is not None]
    if len(known) >= 2:
        if len(set(known)) == 1:
            yield (f"the right answer is option {known[0] + 1} in every question: a guesser passes "
                   "by always picking it")
        if all(_is_longest(q, p) for q, p in zip(check.questions, known, strict=True)):
            yield "the right answer is the longest option in every question: a guesser passes by picking it"
    elif _is_longest(check.questions[0], known[0], STANDOUT):
        yield (f"the right answer is much longer than the other options (over {STANDOUT:g} times): "
               "a guesser picks it")
