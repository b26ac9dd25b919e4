"""What changed in ``content/`` between two revisions, in the words of the policy.

Both revisions are loaded with the project's own loader (see
:mod:`generator.revisions`) and their *models* are compared, not their
lines: reordering keys or rewrapping a paragraph changes nothing, a new
first-response time reads "first response 15 min -> 30 min".

A comparison gives :class:`Change` objects that hold message keys and
values, not sentences; :class:`Wording` turns them into plain text or
Markdown in any language the portal's messages speak.
"""

from __future__ import annotations

import collections
import dataclasses
import difflib
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import schema
from generator.kinds.registry import CONTENT_KINDS, PLAYBOOK_KINDS
from generator.lookup import Messages
from generator.model import Item
from generator.phrases import Chain, Code, Edit, Label, Msg, Quote, Ref, plural
from generator.references import refers_to
from generator.revisions import EMPTY_TREE, PORTAL, ContentReader, Snapshot, classify, commit_id, renames
from generator.translations import FINGERPRINT_KEY, text_fingerprint
from generator.yamlio import YamlProblem, decode, parse, split_front_matter


@dataclasses.dataclass(frozen=True)
class Change:
    """One change a reader should know about."""

    category: str
    """portal, playbooks, roles, paths, lessons, translations, other or unreadable."""
    action: str
    """added, removed, changed, renamed or unreadable."""
    source: str
    """The file, relative to the repository root (its new name when renamed)."""
    subject: tuple[Any, ...]
    """Who or what changed: the item, then the parts inside it (a situation, a tier)."""
    what: tuple[Msg, ...]
    """What happened to it; several phrases are read as one sentence."""
    item: str = ""
    field: str = ""
    before: Any = None
    after: Any = None
    inline: bool = False
    """Read as "<subject> <what>" (an item added) rather than "<subject>: <what>"."""

    def as_json(self, wording: Wording, markdown: Wording) -> dict[str, Any]:
        data: dict[str, Any] = {
            "category": self.category, "action": self.action, "source": self.source, "id": self.item,
            "text": wording.line(self), "markdown": markdown.line(self),
        }
        if self.field:
            data.update(field=self.field, before=_jsonable(self.before), after=_jsonable(self.after))
        return data


CATEGORIES = ("unreadable", "portal", "playbooks", *(folder for folder in CONTENT_KINDS if folder != "playbooks"),
              "translations", "other")
"""The order changes are told in: the policy (playbooks) first, then the kinds as the registry lists them."""
ITEM_SUBJECT = {folder: kind.diff_subject for folder, kind in CONTENT_KINDS.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# --- how fields read ------------------------------------------------------------------------------

_WORDINGS = [kind.diff for kind in CONTENT_KINDS.values()] + [kind.diff for kind in PLAYBOOK_KINDS.values()]
KEYS: dict[type[BaseModel], str] = {model: key for wording in _WORDINGS for model, key in wording.keys.items()}
"""List entries that keep their identity when edited, by the field that names them (each kind's wording)."""
NAMES = {model: name for wording in _WORDINGS for model, name in wording.names.items()}
DETAILS = {model: details for wording in _WORDINGS for model, details in wording.details.items()}
VALUES = {field: shown for wording in _WORDINGS for field, shown in wording.values.items()}
# Fields that hold the id of another item (marked RefersTo in the schema) are shown by the item's
# title and followed through renames: see generator.references.refers_to.
SHORT = 60
"""Text longer than this is reported as changed, not quoted before and after."""


class Context:
    """The two snapshots being compared, and the items renamed between them."""

    def __init__(self, old: Snapshot, new: Snapshot) -> None:
        self.old, self.new = old, new
        self.moved: dict[str, dict[str, str]] = collections.defaultdict(dict)
        """Folder -> old id -> new id, for renamed items."""

    def current(self, kind: str, item_id: str) -> str:
        """An id as written in the old revision, as the new revision knows it."""
        return self.moved[kind].get(item_id, item_id)

    def ref(self, kind: str, item_id: str) -> Ref:
        title = self.new.title(kind, item_id) or self.old.title(kind, item_id)
        if title is None:
            old_ids = [o for o, n in self.moved[kind].items() if n == item_id]
            title = next((self.old.title(kind, o) for o in old_ids if self.old.title(kind, o)), None)
        return Ref(kind, item_id, title or item_id)


@dataclasses.dataclass(frozen=True)
class Delta:
    """One difference inside an item: where (names below the item), and the phrase for it."""

    where: tuple[Any, ...]
    what: Msg
    field: str = ""
    before: Any = None
    after: Any = None


# --- comparing models --------------------------------------------------------------------------


def compare_models(
    old: BaseModel, new: BaseModel, ctx: Context, where: tuple[Any, ...] = (), path: str = ""
) -> Iterator[Delta]:
    """Every difference between two models of the same class, field by field."""
    model = type(new)
    if type(old) is not model:
        yield Delta(where, Msg.of("diff_rewritten"))
        return
    names = list(model.model_fields)
    extra = sorted(set(old.model_extra or {}) | set(new.model_extra or {}))
    for name in [*names, *extra]:
        before, after = getattr(old, name, None), getattr(new, name, None)
        field_path = f"{path}.{name}" if path else name
        kind = refers_to(model, name)
        if kind is not None:
            before = [ctx.current(kind, v) for v in before] if isinstance(before, list) else (
                ctx.current(kind, before) if isinstance(before, str) else before
            )
        if _same(before, after):
            continue
        special = SPECIAL.get((model, name))
        if special is not None:
            yield from special(before, after, ctx, where, field_path)
            continue
        label = Label(model.__name__.lower(), name)
        yield from compare_values(model, name, label, before, after, ctx, where, field_path)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, BaseModel) and isinstance(b, BaseModel):
        return type(a) is type(b) and a.model_dump() == b.model_dump()
    return a == b


def compare_values(
    model: type[BaseModel], name: str, label: Label, before: Any, after: Any, ctx: Context,
    where: tuple[Any, ...], path: str,
) -> Iterator[Delta]:
    if isinstance(before, list) and isinstance(after, list):
        yield from compare_lists(model, name, label, before, after, ctx, where, path)
    elif isinstance(before, dict) and isinstance(after, dict):
        yield from compare_dicts(model, name, label, before, after, ctx, where, path)
    elif isinstance(before, BaseModel) and isinstance(after, BaseModel):
        yield from compare_models(before, after, ctx, (*where, label), path)
    elif before is None or before == []:
        shown = show_value(model, name, after, ctx)
        phrase = (Msg.of("diff_set", field=label, new=shown) if shown is not None
                  else Msg.of("diff_added_field", field=label))
        yield Delta(where, phrase, path, before, after)
    elif after is None or after == []:
        yield Delta(where, Msg.of("diff_cleared", field=label), path, before, after)
    else:
        old_shown, new_shown = show_value(model, name, before, ctx), show_value(model, name, after, ctx)
        if (old_shown is None or new_shown is None) and isinstance(before, str) and isinstance(after, str) \
                and _edited(before, after):
            yield Delta(where, Msg.of("diff_words_changed", field=label, edit=Edit(before, after)), path,
                        before, after)
        elif old_shown is None or new_shown is None:
            yield Delta(where, Msg.of("diff_text_changed", field=label), path, before, after)
        else:
            yield Delta(where, Msg.of("diff_value_changed", field=label, old=old_shown, new=new_shown),
                        path, before, after)


def compare_dicts(
    model: type[BaseModel], name: str, label: Label, before: dict[str, Any], after: dict[str, Any], ctx: Context,
    where: tuple[Any, ...], path: str,
) -> Iterator[Delta]:
    """Entries by key (a post's text per network, the portal's networks)."""
    for key in after:
        if key not in before:
            yield Delta(where, Msg.of("diff_entry_added", entry=Code(key), field=label), f"{path}[{key}]",
                        None, after[key])
    for key in before:
        if key not in after:
            yield Delta(where, Msg.of("diff_entry_removed", entry=Code(key), field=label), f"{path}[{key}]",
                        before[key], None)
    for key in after:
        if key in before and not _same(before[key], after[key]):
            a, b = before[key], after[key]
            if isinstance(a, BaseModel) and isinstance(b, BaseModel):
                yield from compare_models(a, b, ctx, (*where, Chain((label, Code(key)))), f"{path}[{key}]")
            else:
                yield from compare_values(model, name, Chain((label, Code(key))), a, b, ctx, where,  # type: ignore[arg-type]
                                          f"{path}[{key}]")


def show_value(model: type[BaseModel], name: str, value: Any, ctx: Context) -> Any:
    """How a single value reads, or None when it is too long to quote (a paragraph)."""
    kind = refers_to(model, name)
    if kind is not None and isinstance(value, str):
        return ctx.ref(kind, value)
    if (model, name) in VALUES:
        return VALUES[(model, name)](value)
    if name == "severity" and isinstance(value, str):
        return Msg.of(f"severity_{value}")
    if isinstance(value, bool):
        return Msg.of("diff_yes" if value else "diff_no")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        if len(value) > SHORT or "\n" in value.strip():
            return None
        return Quote(value)
    if isinstance(value, (BaseModel, dict, list)):
        return None
    return str(value)


def entry_name(entry: Any, ctx: Context) -> Any:
    """How a list entry is named: a situation by its name, a word by itself, a role by its title."""
    name = NAMES.get(type(entry))
    return name(entry, ctx) if name is not None else Quote(str(entry))


def entry_details(entry: Any, ctx: Context) -> Msg | None:
    """The few facts worth saying when an entry is added."""
    details = DETAILS.get(type(entry))
    return details(entry, ctx) if details is not None else None  # type: ignore[no-any-return]


def compare_lists(
    model: type[BaseModel], name: str, label: Label, before: list[Any], after: list[Any], ctx: Context,
    where: tuple[Any, ...], path: str,
) -> Iterator[Delta]:
    sample = (before or after)[0]
    if any(isinstance(v, (dict, list)) for v in [*before, *after]):
        # free-form data of a playbook kind defined in overrides/: say that it changed
        yield Delta(where, Msg.of("diff_text_changed", field=label), path, before, after)
        return
    key = KEYS.get(type(sample)) if isinstance(sample, BaseModel) else None
    if isinstance(sample, BaseModel) and key is None:
        # entries without a name of their own: compare them by position
        for index, (a, b) in enumerate(zip(before, after, strict=False)):
            yield from compare_models(a, b, ctx, (*where, Msg.of("diff_numbered", field=label, n=index + 1)),
                                      f"{path}[{index}]")
        if len(after) != len(before):
            yield Delta(where, Msg.of("diff_count_changed", field=label, old=len(before), new=len(after)),
                        path, before, after)
        return
    if key is not None:
        old_map = {_entry_key(e, key, ctx): e for e in before}
        new_map = {_entry_key(e, key, ctx): e for e in after}
    else:
        old_map = {v: v for v in before}
        new_map = {v: v for v in after}

    def shown(entry: Any) -> Any:
        if key is not None:
            return entry_name(entry, ctx)
        if refers_to(model, name) is not None:
            return ctx.ref(refers_to(model, name), entry)  # type: ignore[arg-type]
        return Quote(str(entry))

    if key is None and refers_to(model, name) is None:
        # A sentence of a list (a step, a rule) edited in a few words is the same entry, changed.
        for index, old_text, new_text in _pair_edits(before, after, old_map, new_map):
            del old_map[old_text], new_map[new_text]
            yield Delta(where, Msg.of("diff_words_changed", field=Msg.of("diff_numbered", field=label, n=index + 1),
                                      edit=Edit(old_text, new_text)), f"{path}[{index}]", old_text, new_text)
    for k, entry in new_map.items():
        if k not in old_map:
            details = entry_details(entry, ctx) if key is not None else None
            phrase = Msg.of("diff_entry_added", entry=shown(entry), field=label)
            if details is not None:
                phrase = Msg.of("diff_with_details", phrase=phrase, details=details)
            yield Delta(where, phrase, f"{path}[{k}]", None, entry)
    for k, entry in old_map.items():
        if k not in new_map:
            yield Delta(where, Msg.of("diff_entry_removed", entry=shown(entry), field=label),
                        f"{path}[{k}]", entry, None)
    if key is not None:
        for k, entry in new_map.items():
            if k in old_map and not _same(old_map[k], entry):
                yield from compare_models(old_map[k], entry, ctx, (*where, entry_name(entry, ctx)), f"{path}[{k}]")
    common_old = [k for k in old_map if k in new_map]
    common_new = [k for k in new_map if k in old_map]
    if common_old != common_new:
        yield Delta(where, Msg.of("diff_reordered", field=label), path, list(old_map), list(new_map))


EDITED = 0.6
"""Two texts whose words are at least this alike (difflib's ratio) are one text, edited."""


def _words(text: str) -> list[str]:
    return text.split()


def _edited(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with a few words changed (rather than rewritten)."""
    return difflib.SequenceMatcher(None, _words(before), _words(after), autojunk=False).ratio() >= EDITED


def _pair_edits(
    before: list[Any], after: list[Any], old_map: dict[Any, Any], new_map: dict[Any, Any]
) -> list[tuple[int, str, str]]:
    """(position in ``after``, old text, new text) for each entry removed that an added one rewords."""
    gone = [v for v in old_map if v not in new_map and isinstance(v, str)]
    came = [v for v in new_map if v not in old_map and isinstance(v, str)]
    pairs = []
    for new_text in came:
        scored = [(difflib.SequenceMatcher(None, _words(o), _words(new_text), autojunk=False).ratio(), o)
                  for o in gone]
        best = max(scored, default=(0.0, ""))
        if best[0] >= EDITED:
            gone.remove(best[1])
            pairs.append((after.index(new_text), best[1], new_text))
    return pairs


def _entry_key(entry: BaseModel, key: str, ctx: Context) -> str:
    value = getattr(entry, key)
    kind = refers_to(type(entry), key)
    return ctx.current(kind, value) if kind is not None else value


# --- fields that need their own words --------------------------------------------------------------


def compare_steps(
    before: list[schema.Step], after: list[schema.Step], ctx: Context, where: tuple[Any, ...], path: str
) -> Iterator[Delta]:
    """A path's steps: lessons added, removed, moved, due on another day, made optional."""
    old = {ctx.current("lessons", s.lesson): (i, s) for i, s in reversed(list(enumerate(before)))}
    new = {s.lesson: (i, s) for i, s in reversed(list(enumerate(after)))}
    for lesson, (_, step) in sorted(new.items(), key=lambda kv: kv[1][0]):
        ref = ctx.ref("lessons", lesson)
        if lesson not in old:
            key = "diff_step_added" if step.required else "diff_step_added_optional"
            yield Delta(where, Msg.of(key, lesson=ref, day=step.due_day), f"{path}[{lesson}]", None, step)
            continue
        was = old[lesson][1]
        if was.due_day != step.due_day:
            yield Delta(where, Msg.of("diff_step_due", lesson=ref, old=was.due_day, new=step.due_day),
                        f"{path}[{lesson}].due_day", was.due_day, step.due_day)
        if was.required != step.required:
            key = "diff_step_required" if step.required else "diff_step_optional"
            yield Delta(where, Msg.of(key, lesson=ref), f"{path}[{lesson}].required", was.required, step.required)
    for lesson, (_, step) in sorted(old.items(), key=lambda kv: kv[1][0]):
        if lesson not in new:
            yield Delta(where, Msg.of("diff_step_removed", lesson=ctx.ref("lessons", lesson)),
                        f"{path}[{lesson}]", step, None)
    common_old = [ctx.current("lessons", s.lesson) for s in before if ctx.current("lessons", s.lesson) in new]
    common_new = [s.lesson for s in after if s.lesson in old]
    keep = set(_longest_common(common_old, common_new))
    for lesson in common_new:
        if lesson not in keep:
            a, b = old[lesson][0] + 1, new[lesson][0] + 1
            yield Delta(where, Msg.of("diff_step_moved", lesson=ctx.ref("lessons", lesson), old=a, new=b),
                        f"{path}[{lesson}]", a, b)


def _longest_common(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """The longest subsequence of both: the steps that kept their order; the rest moved."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out.append(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def compare_check(
    before: schema.KnowledgeCheck | None, after: schema.KnowledgeCheck | None, ctx: Context,
    where: tuple[Any, ...], path: str,
) -> Iterator[Delta]:
    """A knowledge check, counted in questions: added, removed, changed."""
    if before is None and after is not None:
        yield Delta(where, Msg.of("diff_check_added", n=Msg.of(plural("diff_questions", len(after.questions)),
                                                                n=len(after.questions))), path, None, after)
        return
    if after is None:
        yield Delta(where, Msg.of("diff_check_removed"), path, before, None)
        return
    assert before is not None
    parts: list[Msg] = []
    old_q = {_norm(q.question): q for q in before.questions}
    new_q = {_norm(q.question): q for q in after.questions}
    gone = [k for k in old_q if k not in new_q]
    came = [k for k in new_q if k not in old_q]
    reworded = min(len(gone), len(came))  # a question whose wording changed is still the same question
    changed = reworded + sum(1 for k in new_q if k in old_q and not _same(old_q[k], new_q[k]))
    added, removed = len(came) - reworded, len(gone) - reworded
    for count, key in ((added, "diff_questions_added"), (removed, "diff_questions_removed"),
                       (changed, "diff_questions_changed")):
        if count:
            parts.append(Msg.of(plural(key, count), n=count))
    if before.pass_mark != after.pass_mark:
        parts.append(Msg.of("diff_value_changed", field=Label("knowledgecheck", "pass_mark"),
                            old=_pass_mark(before), new=_pass_mark(after)))
    if not parts and [_norm(q.question) for q in before.questions] != [_norm(q.question) for q in after.questions]:
        parts.append(Msg.of("diff_questions_reordered"))
    if parts:
        yield Delta(where, Msg.of("diff_check_changed", details=tuple(parts)),
                    path, before, after)


def _pass_mark(check: schema.KnowledgeCheck) -> Any:
    return str(check.pass_mark) if check.pass_mark is not None else Msg.of("diff_all_questions")





def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


SPECIAL: dict[tuple[type[BaseModel], str], Callable[..., Iterator[Delta]]] = {
    (schema.LearningPath, "steps"): compare_steps,
    (schema.LessonMeta, "check"): compare_check,
}


# --- comparing two snapshots ---------------------------------------------------------------------


def compare(old: Snapshot, new: Snapshot, renamed: dict[str, str] | None = None) -> list[Change]:
    """Every change from ``old`` to ``new``, most important first (unreadable files, then by kind).

    Only files whose content differs are loaded (a file with the same blob id says the same).
    """
    ctx = Context(old, new)
    renamed = renamed or {}
    changed = {p for p in set(old.blobs) | set(new.blobs) if old.blobs.get(p) != new.blobs.get(p)}
    if old.kinds != new.kinds:  # a playbook may load or not depending on the templates beside it
        changed |= {p for p in set(old.blobs) & set(new.blobs) if p.startswith("content/playbooks/")}
    old.prefetch(changed)
    new.prefetch(changed)
    changes: list[Change] = []
    loaded = sorted(p for p in changed if p == PORTAL or classify_item(p))
    for path in loaded:
        if new.errors(path):
            changes.append(Change("unreadable", "unreadable", path, (), (
                Msg.of("diff_unreadable", path=Code(path), n=new.errors(path), revision=_revision(new.label)),),
                inline=True))
        elif path in new.blobs and old.errors(path):
            changes.append(Change("unreadable", "unreadable", path, (), (
                Msg.of("diff_unreadable_before", path=Code(path), n=old.errors(path), revision=_revision(old.label)),),
                inline=True))
    readable = {p for p in loaded if not old.errors(p) and not new.errors(p)}
    if PORTAL in readable and old.config is not None and new.config is not None:
        for delta in compare_models(old.config, new.config, ctx):
            changes.append(_item_change("portal", "changed", PORTAL, "", delta, (Msg.of("diff_subject_portal"),)))
    removed = {k: old.item(k[0], k[1]) for k, p in old.item_paths.items() if k not in new.item_paths and p in readable}
    added = {k: new.item(k[0], k[1]) for k, p in new.item_paths.items() if k not in old.item_paths and p in readable}
    pairs = _pair_renames(removed, added, renamed, ctx)  # type: ignore[arg-type]
    paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
    for (kind, old_id), (_, new_id) in pairs:
        changes.append(Change(kind, "renamed", new.item_paths[(kind, new_id)],
                              (Msg.of(ITEM_SUBJECT[kind], title=ctx.ref(kind, new_id)),),
                              (Msg.of("diff_renamed", old=Code(old_id), new=Code(new_id)),),
                              item=new_id, field="id", before=old_id, after=new_id, inline=True))
    common = [(k, k) for k, p in old.item_paths.items() if new.item_paths.get(k) == p and p in readable]
    for old_key, new_key in sorted([*common, *pairs], key=lambda p: (CATEGORIES.index(p[1][0]), p[1][1])):
        before, after = old.item(*old_key), new.item(*new_key)
        if before is not None and after is not None:
            changes.extend(compare_items(before, after, new_key[0], ctx))
    for (kind, item_id), item in sorted(added.items()):
        if (kind, item_id) not in paired_new and item is not None:
            changes.append(Change(kind, "added", item.source,
                                  (Msg.of(ITEM_SUBJECT[kind], title=ctx.ref(kind, item_id)),),
                                  (_added(kind, item),),
                                  item=item_id, inline=True))
    for (kind, item_id), item in sorted(removed.items()):
        if (kind, item_id) not in paired_old and item is not None:
            changes.append(Change(kind, "removed", item.source,
                                  (Msg.of(ITEM_SUBJECT[kind], title=Ref(kind, item_id, item.data.title)),),
                                  (Msg.of("diff_item_removed"),), item=item_id, inline=True))
    changes.extend(_compare_translations(ctx))
    changes.extend(_compare_others(old, new, renamed))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(changes, key=lambda c: order[c.category])  # stable: keeps the order within a kind


def classify_item(path: str) -> bool:
    """Whether ``path`` is a file the loader reads as an item (not a translation, not another file)."""
    what = classify(path)
    return bool(what) and not what[2] and what[0] != "portal"  # type: ignore[index]


def _revision(label: str) -> Any:
    return Code(label) if label else Msg.of("diff_working_tree")


def _pair_renames(
    removed: dict[tuple[str, str], Item[Any]], added: dict[tuple[str, str], Item[Any]],
    renamed: dict[str, str], ctx: Context,
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Items that moved to another file name: as git saw it, or with the very same content."""
    by_source = {item.source: key for key, item in added.items()}
    pairs = []
    for old_key, item in sorted(removed.items()):
        new_key = by_source.get(renamed.get(item.source, ""))
        if new_key is not None and new_key[0] == old_key[0]:
            pairs.append((old_key, new_key))
    taken_old = {o for o, _ in pairs}
    taken_new = {n for _, n in pairs}
    for old_key, item in sorted(removed.items()):
        if old_key in taken_old:
            continue
        for new_key, other in sorted(added.items()):
            if new_key in taken_new or new_key[0] != old_key[0]:
                continue
            if _fingerprint(item) == _fingerprint(other):
                pairs.append((old_key, new_key))
                taken_new.add(new_key)
                break
    for (kind, old_id), (_, new_id) in pairs:
        ctx.moved[kind][old_id] = new_id
    return pairs


def _fingerprint(item: Item[Any]) -> tuple[Any, ...]:
    return (item.data.model_dump(), _norm(getattr(item, "body", "")))


def compare_items(old: Item[Any], new: Item[Any], kind: str, ctx: Context) -> list[Change]:
    subject_key = "diff_subject_playbook_inner" if kind == "playbooks" else ITEM_SUBJECT[kind]
    subject = (Msg.of(subject_key, title=ctx.ref(kind, new.id)),)
    if kind == "playbooks" and old.data.kind != new.data.kind:
        phrase = Msg.of("diff_value_changed", field=Label("playbook", "kind"), old=Code(old.data.kind),
                        new=Code(new.data.kind))
        return [Change(kind, "changed", new.source, subject, (phrase,), item=new.id, field="kind",
                       before=old.data.kind, after=new.data.kind)]
    deltas = list(compare_models(old.data, new.data, ctx))
    if kind == "lessons" and _norm(getattr(old, "body", "")) != _norm(getattr(new, "body", "")):
        deltas.insert(0, Delta((), Msg.of("diff_lesson_text"), "text"))
    if kind == "lessons" and deltas:
        # a lesson reads best as one line: "text changed; knowledge check: 1 question added"
        what = tuple(Msg.of("diff_in", where=Chain(d.where), phrase=d.what) if d.where else d.what for d in deltas)
        return [Change(kind, "changed", new.source, subject, what, item=new.id)]
    return [_item_change(kind, "changed", new.source, new.id, d, subject) for d in deltas]


def _item_change(kind: str, action: str, source: str, item_id: str, delta: Delta, subject: tuple[Any, ...]) -> Change:
    return Change(kind, action, source, (*subject, *delta.where), (delta.what,), item=item_id,
                  field=delta.field, before=delta.before, after=delta.after)


def _added(kind: str, item: Item[Any]) -> Msg:
    """"added", with the facts the kind says of a new item when it says some."""
    summary = CONTENT_KINDS[kind].summary
    return Msg.of("diff_item_added", details=summary(item)) if summary is not None else Msg.of("diff_item_added_plain")


def _compare_translations(ctx: Context) -> list[Change]:
    old = {(k, ctx.current(k, i), lang): p for p, (k, i, lang) in ctx.old.translations.items()}
    new = {(k, i, lang): p for p, (k, i, lang) in ctx.new.translations.items()}
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (CATEGORIES.index(k[0]), k[1], k[2])):
        kind, item_id, lang = key
        before, after = old.get(key), new.get(key)
        if before and after and ctx.old.blobs[before] == ctx.new.blobs[after]:
            continue
        action = "changed" if before and after else ("added" if after else "removed")
        message = {"changed": "diff_translation_changed", "added": "diff_translation_added",
                   "removed": "diff_translation_removed"}[action]
        changes.append(Change("translations", action, after or before or "", (),
                              (Msg.of(message, lang=lang, item=ctx.ref(kind, item_id)),),
                              item=item_id, inline=True))
    return changes


def _compare_others(old: Snapshot, new: Snapshot, renamed: dict[str, str]) -> list[Change]:
    """Files under content/ that are not content (notes, images): named, not interpreted."""
    moved = {o: n for o, n in renamed.items() if o in old.others and n in new.others and o not in new.others}
    arrived = set(moved.values())
    changes = []
    for path in sorted(old.others | new.others):
        if path in moved:
            phrase, action, source = Msg.of("diff_file_renamed", path=Code(path), new=Code(moved[path])), "renamed", \
                moved[path]
        elif path in arrived:
            continue
        elif path in old.others and path in new.others:
            if old.blobs[path] == new.blobs[path]:
                continue
            phrase, action, source = Msg.of("diff_file_changed", path=Code(path)), "changed", path
        elif path in new.others:
            phrase, action, source = Msg.of("diff_file_added", path=Code(path)), "added", path
        else:
            phrase, action, source = Msg.of("diff_file_removed", path=Code(path)), "removed", path
        changes.append(Change("other", action, source, (), (phrase,), inline=True))
    return changes


# --- between two revisions of a repository ---------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Outdated:
    """A translation that was current before the change and is not after it: its source changed."""

    path: str
    language: str
    source: str
    subject: Any
    """The translated item, as a change names it."""


@dataclasses.dataclass
class Comparison:
    base: str
    """The base commit's id."""
    head: str | None
    """The head commit's id, or None for the working tree."""
    changes: list[Change]
    language: str
    outdated: list[Outdated] = dataclasses.field(default_factory=list)
    """The translations this change made outdated."""


def outdated_translations(old: Snapshot, new: Snapshot) -> list[Outdated]:
    """Translations whose recorded fingerprint named their source as it was in ``old``, and no longer does.

    A translation that was already outdated, or that the change brought up to date, is not
    listed: only those that this change made outdated.
    """
    def fingerprint(snapshot: Snapshot, path: str) -> str | None:
        data = snapshot.raw(path)
        try:
            return text_fingerprint(decode(data)) if data is not None else None
        except YamlProblem:
            return None

    ctx = Context(old, new)
    found = []
    for path, (kind, item_id, language) in sorted(new.translations.items()):
        source = PORTAL if kind == "portal" else new.item_paths.get((kind, item_id))
        if source is None or old.blobs.get(source) in (None, new.blobs.get(source)):
            continue  # the source is new, gone or unchanged
        was, now = fingerprint(old, source), fingerprint(new, source)
        if was is None or was == now or _recorded_fingerprint(new.raw(path), path) != was:
            continue
        subject = Msg.of("diff_subject_portal") if kind == "portal" else ctx.ref(kind, item_id)
        found.append(Outdated(path, language, source, subject))
    return found


def _recorded_fingerprint(data: bytes | None, path: str) -> str | None:
    if data is None:
        return None
    try:
        text = decode(data)
        if path.endswith(".md"):
            text = split_front_matter(text)[0]
        fields = parse(text).data
    except YamlProblem:
        return None
    value = fields.get(FINGERPRINT_KEY) if isinstance(fields, dict) else None
    return value.strip() if isinstance(value, str) else None


def diff_revisions(root: Path, base: str, head: str | None = None, reader: ContentReader | None = None) -> Comparison:
    """What changed in ``root/content`` from ``base`` to ``head`` (None: the working tree, uncommitted
    and untracked files included)."""
    base_id = commit_id(root, base)
    head_id = commit_id(root, head) if head is not None else None
    own = reader is None
    reader = reader or ContentReader(root)
    try:
        old = reader.revision(base_id)
        new = reader.revision(head_id) if head_id else reader.working_tree()
        moved = renames(root, base_id, head_id)
        return Comparison(base_id, head_id, compare(old, new, moved), new.language,
                          outdated_translations(old, new))
    finally:
        if own:
            reader.close()


def diff_commit(reader: ContentReader, commit: str, parent: str | None) -> list[Change]:
    """What one commit changed (against its first parent, or against nothing for a first commit)."""
    old = reader.revision(parent) if parent else ContentReader.empty()
    new = reader.revision(commit)
    return compare(old, new, renames(reader.root, parent or EMPTY_TREE, commit))


# --- words ------------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]{}|~])")


def md_inline(text: str) -> str:
    """Text that stays text inside a Markdown line (GitHub's and Python-Markdown's)."""
    return _MD_INLINE.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


class Wording:
    """Changes as sentences: plain text, or Markdown with titles in italics (and links where given)."""

    def __init__(
        self, t: Messages, *, markdown: bool = False, link: Callable[[Ref], str | None] | None = None,
        mention_safe: bool = False,
    ) -> None:
        self.t, self.markdown, self.link, self.mention_safe = t, markdown, link, mention_safe

    def text(self, value: str) -> str:
        if not self.markdown:
            return " ".join(value.split())
        escaped = md_inline(value)
        # GitHub turns "@name" into a notification; a word joiner keeps it plain text.
        return escaped.replace("@", "@\u2060") if self.mention_safe else escaped

    def value(self, value: Any) -> str:
        if isinstance(value, Msg):
            return self.t(value.key, **{k: self.value(v) for k, v in value.values}) if value.values \
                else self.t(value.key)
        if isinstance(value, Ref):
            if not self.markdown:
                return value.title
            shown = f"*{self.text(value.title)}*"
            url = self.link(value) if self.link else None
            return f"[{shown}]({url})" if url else shown
        if isinstance(value, Quote):
            text = " ".join(value.text.split())
            if len(text) > SHORT:
                text = text[: SHORT - 1].rstrip() + "…"
            return self.t("diff_quote", text=self.text(text))
        if isinstance(value, Edit):
            return self.edit(value)
        if isinstance(value, Label):
            for key in (f"diff_field_{value.model}_{value.name}", f"diff_field_{value.name}"):
                if key in self.t.strings:
                    return self.t(key)
            return self.text(value.name.replace("_", " "))
        if isinstance(value, Chain):
            return self.t("diff_subject_separator").join(self.value(v) for v in value.parts)
        if isinstance(value, Code):
            if self.markdown and "`" not in value.text:
                return f"`{value.text}`"
            return self.text(value.text)
        if isinstance(value, tuple):
            return self.t("diff_list_separator").join(self.value(v) for v in value)
        return self.text(str(value))

    CONTEXT = 4
    """Unchanged words shown on each side of a change."""

    def edit(self, value: Edit) -> str:
        """The changed words in their context: ``… within [-15-] {+30+} minutes …`` in plain text
        (as ``git diff --word-diff`` writes it), ``<del>15</del> <ins>30</ins>`` in Markdown."""
        old, new = _words(value.before), _words(value.after)
        opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        parts: list[str] = []
        for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
            if tag == "equal":
                same = old[i1:i2]
                head = same[: self.CONTEXT] if number > 0 else []
                tail = same[-self.CONTEXT :] if number < len(opcodes) - 1 else []
                if len(head) + len(tail) >= len(same):
                    parts.append(self.text(" ".join(same)))
                else:
                    parts.append(" ".join(p for p in (self.text(" ".join(head)), "…", self.text(" ".join(tail))) if p))
                continue
            if i2 > i1:
                removed = self.text(" ".join(old[i1:i2]))
                parts.append(f"<del>{removed}</del>" if self.markdown else f"[-{removed}-]")
            if j2 > j1:
                added = self.text(" ".join(new[j1:j2]))
                parts.append(f"<ins>{added}</ins>" if self.markdown else f"{{+{added}+}}")
        return " ".join(parts)

    def subject(self, change: Change) -> str:
        return self.t("diff_subject_separator").join(self.value(part) for part in change.subject)

    def line(self, change: Change) -> str:
        what = self.t("diff_phrase_separator").join(self.value(m) for m in change.what)
        if not change.subject:
            return what
        key = "diff_line_inline" if change.inline else "diff_line"
        return self.t(key, subject=self.subject(change), change=what)

    def lines(self, changes: Iterable[Change]) -> list[str]:
        return [self.line(c) for c in changes]


def wording_messages(root: Path, language: str) -> Messages:
    """The portal's messages for ``language``, with the repository's own overrides."""
    extra = root / "overrides" / "portal" / "messages"
    return Messages(language, [extra] if extra.is_dir() else [])
