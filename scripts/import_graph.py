#!/usr/bin/env python3
"""SKM's import graph, read from the sources: layers, cross-feature imports, cycles.

The layers, from the bottom (a module may import its own layer and those below):

1. ``scoring`` and ``questionnaires``: pure, outside ``skm``;
2. data: ``skm.config``, ``skm.database``, ``skm.filemodes``, ``skm.hashing``, ``skm.models``,
   ``skm.migrations`` (its revision files excepted, see below);
3. shared: every other module of ``skm`` that is not a feature
   (``skm.audit``, ``skm.access``, ``skm.delivery``, ``skm.results`` ...);
4. features: ``skm.admin``, ``skm.api`` ... (``FEATURES``), each importing
   no other feature;
5. application: the factory (``skm/__init__.py``), the demo (which fills
   every feature's tables) and the ``__main__`` entry points.

Migration revision files sit between shared and features: a data migration
may rebuild what the shared code maintains (0003 rebuilds the summaries),
and nothing imports a revision.

An import inside a function counts like one at the top of a module: it is a
dependency all the same, only hidden. ``if TYPE_CHECKING:`` imports do not
count (they never run).

    python scripts/import_graph.py        # the counts
    python scripts/import_graph.py -v     # every offending import and cycle
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ("admin", "api", "auth", "cli", "iku", "kiosk", "paper", "public", "reports", "staff")
DATA = (
    "skm.config",
    "skm.database",
    "skm.filemodes",
    "skm.hashing",
    "skm.models",
    "skm.migrations",
)
LAYERS = {"pure": 0, "data": 1, "shared": 2, "revision": 3, "feature": 4, "application": 5}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported (a submodule when "from package import module")
    line: int
    deferred: bool  # inside a function or class body


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        p for folder in ("skm", "scoring", "questionnaires") for p in (root / folder).rglob("*.py")
    )


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] in ("scoring", "questionnaires"):
        return "pure"
    if module == "skm" or parts[-1] == "__main__" or module.startswith("skm.demo"):
        return "application"
    if module.startswith("skm.migrations.versions"):
        return "revision"
    if any(module == d or module.startswith(d + ".") for d in DATA):
        return "data"
    if parts[1] in FEATURES:
        return "feature"
    return "shared"


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "skm" and parts[1] in FEATURES else None


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(
    body: list[ast.stmt], deferred: bool
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, deferred
        elif isinstance(node, ast.If) and _type_checking_only(node):
            continue
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _walk(node.body, True)
        else:  # if, try, with, for ... at this level: their blocks run at this level too
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    yield from _walk(
                        [n for n in inner if isinstance(n, ast.stmt | ast.ExceptHandler)], deferred
                    )


def imports(root: Path = ROOT) -> list[Import]:
    """Every import of a module of skm, scoring or questionnaires, made by one of them."""
    files = source_files(root)
    modules = {module_name(p, root) for p in files}
    found = []
    for path in files:
        source = module_name(path, root)
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, deferred in _walk(tree.body, False):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # "from skm import database" imports the module skm.database.
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            for target in dict.fromkeys(targets):
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if (
                    target
                    and target != source
                    and target.split(".")[0] in ("skm", "scoring", "questionnaires")
                ):
                    found.append(Import(source, target, node.lineno, deferred))
    return found


def cross_feature(found: list[Import]) -> list[Import]:
    return [
        i
        for i in found
        if feature_of(i.source)
        and feature_of(i.target)
        and feature_of(i.source) != feature_of(i.target)
    ]


def upward(found: list[Import]) -> list[Import]:
    """Imports of a higher layer (a feature importing a feature is counted by cross_feature)."""
    return [i for i in found if LAYERS[layer_of(i.target)] > LAYERS[layer_of(i.source)]]


def cycles(found: list[Import]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop.

    Importing ``skm.staff.forms`` runs ``skm/staff/__init__.py`` first, so it counts as
    importing the package ``skm.staff`` too (``skm`` itself excepted: every module
    is under it).
    """
    graph: dict[str, set[str]] = {}
    for i in found:
        graph.setdefault(i.source, set()).add(i.target)
        parts = i.target.split(".")
        for end in range(2, len(parts)):
            package = ".".join(parts[:end])
            if package != i.source and not i.source.startswith(package + "."):
                graph[i.source].add(package)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
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
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def main(argv: list[str]) -> int:
    found = [i for i in imports() if i.source.startswith("skm")]
    crossing = cross_feature(found)
    pairs = Counter((feature_of(i.source), feature_of(i.target)) for i in crossing)
    mutual = sorted({tuple(sorted(p)) for p in pairs if (p[1], p[0]) in pairs})
    skm_imports = [i for i in found if i.target.startswith("skm")]
    deferred = [i for i in skm_imports if i.deferred]
    loops = cycles(found)
    print(f"imports of skm modules:        {len(skm_imports)}")
    pairs_text = f"{len(pairs)} ordered pairs, {len(mutual)} mutual"
    print(f"cross-feature imports:         {len(crossing)} ({pairs_text})")
    print(f"imports of a higher layer:     {len(upward(found))}")
    print(f"deferred imports of skm:       {len(deferred)}")
    print(f"import cycles:                 {len(loops)} ({sum(map(len, loops))} modules)")
    if "-v" in argv:
        for i in crossing:
            print(f"  feature->feature {i.source}:{i.line} -> {i.target}")
        for i in upward(found):
            source, target = layer_of(i.source), layer_of(i.target)
            print(f"  upward {i.source} ({source}):{i.line} -> {i.target} ({target})")
        for i in deferred:
            print(f"  deferred {i.source}:{i.line} -> {i.target}")
        for loop in loops:
            print("  cycle", " ".join(loop))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
