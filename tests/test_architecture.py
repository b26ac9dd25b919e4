"""The generator's import structure: arrows one way, and the engine kept at the edge.

Every import counts, wherever it is written: at the top of a module, inside a function,
under ``if TYPE_CHECKING``. A cycle hidden in a function is still a cycle: the two modules
cannot be understood, tested or replaced one without the other.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

ENGINE_SIDE = {
    "generator.__main__", "generator.cli", "generator.build", "generator.engines", "generator.plugin",
    "generator.postbuild", "generator.project",
    "generator.search", "generator.serve", "generator.templatecheck", "generator.validate", "generator.lms",
}
"""The modules that know the site engine (MkDocs and its Material theme), run it, or join the core
to it (``engines`` runs MkDocs, ProperDocs or Zensical; ``postbuild`` finishes what any engine
built, search index included; ``validate`` hands the checks the rendered pages and the theme; ``lms`` builds a site to
package it). Every other module is the core: it imports nothing of MkDocs or Material, and none
of these."""

ENGINE_PACKAGES = {"mkdocs", "material"}

FINDS_BY_FILE = {"generator.kinds.registry": ("generator.kinds.", "generator.kinds.playbooks.")}
"""Modules that import the modules of a package by listing its files (a kind is added by adding
its module): they depend on every module there as if they imported each by name."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """Every module named by an import in the file, at any depth, with the import's line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            named += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            named.append((module, node.lineno))
            # `from generator import render` names the module generator.render
            named += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return named


def _graph() -> dict[str, dict[str, int]]:
    """Module -> the generator modules it imports, each with the line of one import."""
    graph: dict[str, dict[str, int]] = {}
    for name, path in MODULES.items():
        edges: dict[str, int] = {}
        for module, line in _imports(name, path):
            if module in MODULES and module != name and module != "generator":
                edges.setdefault(module, line)
        for prefix in FINDS_BY_FILE.get(name, ()):
            for module in MODULES:
                rest = module.removeprefix(prefix)
                if rest != module and "." not in rest and module != name:
                    edges.setdefault(module, 0)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each as one loop through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(_loop(graph, sorted(group)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _loop(graph: dict[str, dict[str, int]], group: list[str]) -> list[str]:
    """One closed path through a cycle's first module, for the failure message."""
    members, start = set(group), group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(graph[node]):
            if other == start:
                return paths[node] + [start]
            if other in members and other not in paths:
                paths[other] = paths[node] + [other]
                queue.append(other)
    return group


def _describe(graph: dict[str, dict[str, int]], loop: list[str]) -> str:
    steps = [f"{a} (line {graph[a][b]}) -> {b}" for a, b in itertools.pairwise(loop)]
    return "; ".join(steps)


def _members(graph: dict[str, dict[str, int]], loop: list[str]) -> list[str]:
    """Every module that can reach the loop's first module and be reached from it."""
    start = loop[0]

    def reach(edges: dict[str, set[str]]) -> set[str]:
        seen, queue = {start}, [start]
        while queue:
            for other in edges.get(queue.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        return seen

    forward = {a: set(b) for a, b in graph.items()}
    backward: dict[str, set[str]] = {}
    for a, targets in graph.items():
        for b in targets:
            backward.setdefault(b, set()).add(a)
    return sorted(reach(forward) & reach(backward))


def test_the_generator_has_no_import_cycle_counting_imports_inside_functions() -> None:
    graph = _graph()
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(
        f"{len(_members(graph, loop))} modules ({', '.join(_members(graph, loop))}), e.g. {_describe(graph, loop)}"
        for loop in cycles
    )


def test_the_core_imports_nothing_of_the_engine() -> None:
    wrong = []
    for name, path in MODULES.items():
        if name in ENGINE_SIDE:
            continue
        for module, line in _imports(name, path):
            if module.partition(".")[0] in ENGINE_PACKAGES or module in ENGINE_SIDE:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {name} imports {module}")
    assert not wrong, "the core must not import the engine or its adapter:\n" + "\n".join(wrong)


def test_the_rules_know_every_engine_module_they_name() -> None:
    assert set(MODULES) >= ENGINE_SIDE, ENGINE_SIDE - set(MODULES)
    assert set(MODULES) >= set(FINDS_BY_FILE), set(FINDS_BY_FILE) - set(MODULES)


def test_the_registry_is_seen_to_depend_on_every_kind_it_finds() -> None:
    found = _graph()["generator.kinds.registry"]
    assert {"generator.kinds.role", "generator.kinds.lesson", "generator.kinds.playbooks.tone"} <= set(found)


def test_the_cycle_finder_names_a_cycle_hidden_in_a_function() -> None:
    graph = {"a": {"b": 3}, "b": {"c": 9}, "c": {"a": 12}, "d": {"a": 1}}
    cycles = _cycles(graph)
    assert cycles == [["a", "b", "c", "a"]]
    assert _describe(graph, cycles[0]) == "a (line 3) -> b; b (line 9) -> c; c (line 12) -> a"


def test_every_import_form_is_seen(tmp_path: Path) -> None:
    module = tmp_path / "generator" / "sample.py"
    module.parent.mkdir()
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import generator.one\n"
        "from generator import two\n"
        "from . import three\n"
        "if TYPE_CHECKING:\n    from generator.four import Thing\n"
        "def late():\n    from .five import x\n",
        "utf-8",
    )
    seen = {name for name, _ in _imports("generator.sample", module)}
    assert {"generator.one", "generator.two", "generator.three", "generator.four", "generator.five"} <= seen
