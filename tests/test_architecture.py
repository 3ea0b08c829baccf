"""The layering docs/architecture.md describes, held against the imports the code makes.

Every import counts, function-local ones included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# Lower layers never import higher ones; a layer may import within itself.
LAYERS = {
    "writers": 1,
    "pipeline": 2,
    "review": 3,
    "playbook": 3,
    "views": 3,
    "intake": 3,
    "scaffold": 3,
    "contract": 3,
    "lifecycle": 3,
    "site": 4,
    "cli": 5,
}
TOP = 6  # generator/__main__.py and generator/script.py


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        for t in targets:
            while t and t not in known and "." in t:
                t = t.rsplit(".", 1)[0]
            if t in known and t != name and not name.startswith(t + "."):
                yield t, node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: {t for t, _ in imports(m, p, known)} for m, p in known.items()}


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 0  # generator/__init__.py
    if parts[1] in ("__main__", "script"):  # the two ways in: python -m, the installed script
        return TOP
    return LAYERS.get(parts[1], 0)  # errors, source, model, limits, cache...: the ground floor


def test_no_import_circle_among_generator_modules() -> None:
    g = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    assert circles == []


def test_no_import_points_up_a_layer() -> None:
    upward = [
        f"{m} imports {t}" for m, targets in graph().items() for t in targets if layer(t) > layer(m)
    ]
    assert upward == []


def test_writers_know_no_library_loader_review_or_playbook() -> None:
    bad = [
        f"{m} imports {t}"
        for m, targets in graph().items()
        if m.startswith("generator.writers")
        for t in targets
        if t.startswith(("generator.pipeline", "generator.review", "generator.playbook"))
    ]
    assert bad == []


def test_no_module_over_500_lines() -> None:
    sizes = {m: len(p.read_text("utf-8").splitlines()) for m, p in modules().items()}
    assert {m: n for m, n in sizes.items() if n > 500} == {}


def test_no_function_over_60_lines_in_the_pipeline_and_writers() -> None:
    long = []
    for m, p in modules().items():
        if not m.startswith(("generator.pipeline", "generator.writers")):
            continue
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 60:
                    long.append(f"{m}.{node.name}: {n} lines")
    assert long == []
