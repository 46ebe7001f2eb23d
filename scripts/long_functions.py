#!/usr/bin/env python3
"""List the functions of a package longer than a limit, longest first.

    .venv/bin/python scripts/long_functions.py [skm] [--limit 60]

Prints length (lines from the first decorator to the last line, docstring
included), file:line and the qualified name (Class.method, outer.inner).
A reading aid for issue-style clean-ups: a long function is not wrong in
itself (a migration or a page template reads top to bottom), so this only
lists them.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def long_functions(root: Path, limit: int) -> list[tuple[int, str, str]]:
    """(length, "file:line", qualified name) of every function longer than ``limit``."""
    found: list[tuple[int, str, str]] = []

    def walk(node: ast.AST, path: Path, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                length = (child.end_lineno or child.lineno) - start + 1
                name = prefix + child.name
                if length > limit:
                    found.append((length, f"{path}:{child.lineno}", name))
                walk(child, path, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, path, prefix + child.name + ".")

    for path in sorted(root.rglob("*.py")):
        walk(ast.parse(path.read_text(encoding="utf-8"), str(path)), path, "")
    return sorted(found, key=lambda item: (-item[0], item[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path("skm"))
    parser.add_argument("--limit", type=int, default=60)
    args = parser.parse_args()
    for length, where, name in long_functions(args.root, args.limit):
        print(f"{length:4d}  {where:50s} {name}")


if __name__ == "__main__":
    main()
