"""The import graph of riskzones' own modules, read from their source (no module is run)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "service", "maps")


def module_name(path: Path) -> str:
    """``geo/pack/__init__.py`` is ``geo.pack``; ``geo/pack/load.py`` is ``geo.pack.load``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """What ``path`` imports, anywhere in it (a function's own imports too): own modules by
    name (``from geo.engine import coords`` is ``geo.engine.coords``) and other top-level
    packages (``flask``)."""
    found: set[str] = set()
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(_own_or_top(alias.name, known) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.add(name if name in known else _own_or_top(base, known))
    found.discard(here)
    return found


def _own_or_top(name: str, known: dict[str, Path]) -> str:
    while name and name not in known:
        if "." not in name:
            return name  # another distribution's package
        name = name.rpartition(".")[0]
    return name


def graph() -> dict[str, set[str]]:
    """Each own module and the own modules it imports."""
    known = modules()
    return {name: {m for m in imports(path, known) if m in known} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found
