"""No test compares a float that is not exact by construction with ``==``.

A float computed through numpy reductions or BLAS (a standard error, a sum of
squares) can differ in its last bit between numpy releases and processors:
``6.25`` on one machine, ``6.250000000000001`` on another. Such values are
compared with ``pytest.approx`` or ``math.isclose`` and a stated tolerance.

``==`` stays where the value is exact by construction, which this scan
recognises by the name being compared:

- values SKM rounds to two decimals before anyone reads them: the konversi,
  the interval ends, capaian, a change since the previous periode, a target
  read back as stored. They are ``centi / 100`` (or ``round(…, 2)``), the
  float nearest to a two-decimal number, as exact as the literal beside them;
- values made by one IEEE operation on integers (an NRR is sum / count, a
  percentage 100 x count / total), which is correctly rounded on every
  processor;
- constants and echoed inputs (a level, a flag's duration).

Anything else compared with a float literal needs ``approx`` or an
``# exact: <why>`` comment (on the line, or on a comment line just above it),
so the reason is written down.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

#: Names (attributes, functions, variables, subscripts) whose values are exact by construction.
EXACT_NAMES = {
    # rounded to two decimals (centi / 100)
    "konversi",
    "low",
    "high",
    "change",
    "subtree_ikm",  # a test helper: (rounded konversi, respondents)
    "values",  # a chart's rounded konversi
    "half_up_2",
    # one IEEE division of integers
    "nrr",
    "ikm",
    "percent",
    "centre",
    # constants, stored values and echoed inputs
    "ikm_target",
    "targets",
    "level",
    "flag_reasons",
}


def _names(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        elif isinstance(child, ast.Attribute):
            found.add(child.attr)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            found.add(child.value)
    return found


def _is_float_literal(node: ast.AST) -> bool:
    """A float written in the test (``6.25``, ``-11.11``, ``2 * 3.125**2``), or a list of them.

    A float passed as an argument (``konversi_centi([[40.0]]) == [9500]``) is an
    input, not a compared value.
    """
    if isinstance(node, ast.Constant):
        return isinstance(node.value, float)
    if isinstance(node, ast.UnaryOp):
        return _is_float_literal(node.operand)
    if isinstance(node, ast.BinOp):
        return _is_float_literal(node.left) or _is_float_literal(node.right)
    if isinstance(node, (ast.Tuple, ast.List)):
        return any(_is_float_literal(element) for element in node.elts)
    return False


def _is_approx(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and "approx" in _names(node.func)


def inexact_float_comparisons(source: str) -> list[tuple[int, str]]:
    """Lines comparing a float literal with ``==``/``!=`` against a value not known to be exact."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        if not any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops):
            continue
        sides = [node.left, *node.comparators]
        if not any(_is_float_literal(side) for side in sides) or any(map(_is_approx, sides)):
            continue
        if any(_names(side) & EXACT_NAMES for side in sides):
            continue
        # The assert's own lines, and a comment line just above it.
        span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
        if node.lineno > 1 and lines[node.lineno - 2].lstrip().startswith("#"):
            span.append(lines[node.lineno - 2])
        if any("# exact:" in line for line in span):
            continue
        found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def test_scan_finds_an_inexact_comparison() -> None:
    # The scan itself can fail: the comparison that broke CI on another processor.
    assert inexact_float_comparisons("assert result.standard_error == 6.25\n") == [
        (1, "assert result.standard_error == 6.25")
    ]
    assert inexact_float_comparisons("assert result.konversi == 85.42\n") == []
    assert inexact_float_comparisons("assert x.standard_error == 0.0  # exact: N = n\n") == []


def test_no_inexact_float_comparison_in_tests() -> None:
    problems = [
        f"{path.relative_to(TESTS.parent)}:{line}: {text}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, text in inexact_float_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "\n".join(problems)
