"""Lessons: ``content/lessons/<id>.md``, front matter (title, minutes, a knowledge check) and Markdown."""

from __future__ import annotations

from typing import Any

from generator import answerkey, schema
from generator.errors import Problems
from generator.kinds.base import ContentKind, DiffWording
from generator.links import check_lesson_body
from generator.model import Item, Portal
from generator.phrases import Msg, plural
from generator.references import cycles, unreadable_source
from generator.shape import closest


def check_lessons(portal: Portal, problems: Problems) -> None:
    """Per-lesson checks (the sections that links point to are checked per language, later)."""
    in_paths = {step.lesson for p in portal.paths.values() for step in p.data.steps}
    for lesson in portal.lessons.values():
        meta = lesson.data
        if meta.check is not None:
            for i, q in enumerate(meta.check.questions):
                if q.answer not in q.options:
                    line, col = lesson.value_at("check", "questions", i, "answer")
                    guess = closest(q.answer, q.options)
                    problems.add(lesson.source, line, col, "the answer is not one of the options"
                                 + (f"; did you mean `{guess}`?" if guess else ""),
                                 hint="copy the correct option exactly")
                if len(set(q.options)) != len(q.options):
                    line, col = lesson.value_at("check", "questions", i, "options")
                    problems.add(lesson.source, line, col, "two options are the same")
            if meta.check.pass_mark is not None and meta.check.pass_mark > len(meta.check.questions):
                line, col = lesson.value_at("check", "pass_mark")
                problems.add(lesson.source, line, col, f"pass mark {meta.check.pass_mark} is more than the "
                             f"{len(meta.check.questions)} question(s)")
            for message in answerkey.giveaways(meta.check):
                line, col = lesson.where("check")
                problems.add(lesson.source, line, col, message, severity="warning",
                             hint="reorder the options, or give the right answers fewer words and the others more")
        if lesson.id not in in_paths and portal.unreadable.get("paths"):
            for path_id in sorted(portal.unreadable["paths"]):
                problems.skip(unreadable_source(portal, "paths", path_id), "whether each lesson is in a path")
        elif lesson.id not in in_paths:
            line, col = lesson.where("title")
            problems.add(lesson.source, line, col, "the lesson is in no learning path", severity="warning",
                         hint="add it to a path's steps, or nobody will be led to it")
        check_lesson_body(portal, lesson, problems)
    _check_prerequisite_cycles(portal, problems)


def _check_prerequisite_cycles(portal: Portal, problems: Problems) -> None:
    """Report each cycle of prerequisites once, with the whole loop."""
    for lesson_id, index, loop in cycles(portal.lessons, lambda node: portal.lessons[node].data.prerequisites):
        lesson = portal.lessons[lesson_id]
        line, col = lesson.value_at("prerequisites", index)
        message = ("a lesson cannot be its own prerequisite" if len(loop) == 2
                   else f"prerequisites form a cycle: {' -> '.join(loop)}")
        problems.add(lesson.source, line, col, message, hint="remove one prerequisite in the loop")


def summary(lesson: Item[Any]) -> Any:
    parts: list[Any] = [Msg.of("minutes", n=lesson.data.minutes)]
    if lesson.data.check:
        n = len(lesson.data.check.questions)
        parts.append(Msg.of(plural("diff_questions", n), n=n))
    return tuple(parts)


KIND = ContentKind(
    folder="lessons", suffix=".md", singular="lesson", model=schema.LessonMeta, order=40,
    schema_title="Lesson front matter", checks=check_lessons, page="lesson.md.j2", index_page="lessons.md.j2",
    title_key="lessons_title", diff_subject="diff_subject_lesson", summary=summary,
    diff=DiffWording(values={(schema.LessonMeta, "minutes"): lambda n: Msg.of("minutes", n=n)}),
)
