"""A tiny evaluator for the Excel formulas the tabulation uses, with exact fractions.

Written for the tests, independently of the code that writes the formulas:
it reads cells from an openpyxl workbook and understands numbers, "text",
cell references (``B12``, ``Tabulasi!B12``), ranges inside ``SUM`` and
``COUNT``, ``+ - * /``, comparisons and the functions ``SUM``, ``COUNT``,
``ROUND`` (half away from zero, as Excel rounds) and ``IF``. Anything else
raises, so a formula the spreadsheet would not compute cannot pass.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>\d+(?:\.\d+)?)
    |(?P<string>"[^"]*")
    |(?P<ref>(?:[A-Za-z]+!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
    |(?P<name>[A-Z]+)(?=\()
    |(?P<op>>=|<=|<>|[-+*/(),<>=])
    )""",
    re.VERBOSE,
)


class FormulaError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    position, tokens = 0, []
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise FormulaError(f"cannot read {text[position:]!r} in {text!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class Evaluator:
    def __init__(self, workbook: Any, sheet: str) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self.cache: dict[tuple[str, str], Any] = {}

    def cell(self, sheet: str, address: str) -> Any:
        key = (sheet, address.replace("$", ""))
        if key not in self.cache:
            value = self.workbook[sheet][key[1]].value
            if isinstance(value, str) and value.startswith("="):
                value = Evaluator(self.workbook, sheet).evaluate(value)
            elif isinstance(value, float):
                value = Fraction(str(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                value = Fraction(value)
            self.cache[key] = value
        return self.cache[key]

    def evaluate(self, formula: str) -> Any:
        if not formula.startswith("="):
            raise FormulaError(f"not a formula: {formula!r}")
        self.tokens = _tokens(formula[1:])
        self.index = 0
        value = self.comparison()
        if self.index != len(self.tokens):
            raise FormulaError(f"trailing input in {formula!r}")
        return value

    # --- grammar: comparison > sum > product > unary > atom ---------------------------

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise FormulaError(f"expected {value!r}, found {token!r}")
        self.index += 1
        return token

    def comparison(self) -> Any:
        left = self.sum()
        token = self.peek()
        if token and token[1] in (">=", "<=", ">", "<", "=", "<>"):
            self.take()
            right = self.sum()
            return {
                ">=": left >= right, "<=": left <= right, ">": left > right,
                "<": left < right, "=": left == right, "<>": left != right,
            }[token[1]]  # fmt: skip
        return left

    def sum(self) -> Any:
        value = self.product()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.take()
            right = self.product()
            value = value + right if token[1] == "+" else value - right
        return value

    def product(self) -> Any:
        value = self.unary()
        while (token := self.peek()) and token[1] in "*/" and token[0] == "op":
            self.take()
            right = self.unary()
            if token[1] == "/":
                if right == 0:
                    raise FormulaError("#DIV/0!")
                value = Fraction(value) / right
            else:
                value = value * right
        return value

    def unary(self) -> Any:
        if self.peek() == ("op", "-"):
            self.take()
            return -self.unary()
        return self.atom()

    def atom(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            return Fraction(text)
        if kind == "string":
            return text[1:-1]
        if kind == "ref":
            if ":" in text:
                raise FormulaError(f"a range outside SUM/COUNT: {text}")
            sheet, address = self._split(text)
            return self.cell(sheet, address)
        if kind == "name":
            return self.function(text)
        if text == "(":
            value = self.comparison()
            self.take(")")
            return value
        raise FormulaError(f"unexpected {text!r}")

    def _split(self, ref: str) -> tuple[str, str]:
        if "!" in ref:
            sheet, address = ref.split("!", 1)
            return sheet, address
        return self.sheet, ref

    def _range(self) -> list[Any]:
        kind, text = self.take()
        if kind != "ref" or ":" not in text:
            raise FormulaError(f"expected a range, found {text!r}")
        sheet, span = self._split(text)
        first, last = (part.replace("$", "") for part in span.split(":"))
        c1, r1 = re.match(r"([A-Z]+)(\d+)", first).groups()  # type: ignore[union-attr]
        c2, r2 = re.match(r"([A-Z]+)(\d+)", last).groups()  # type: ignore[union-attr]
        values = []
        for column in range(column_index_from_string(c1), column_index_from_string(c2) + 1):
            for row in range(int(r1), int(r2) + 1):
                values.append(self.cell(sheet, f"{get_column_letter(column)}{row}"))
        return values

    def function(self, name: str) -> Any:
        self.take("(")
        if name in ("SUM", "COUNT"):
            values = self._range()
            self.take(")")
            numbers = [v for v in values if isinstance(v, Fraction)]
            return sum(numbers, Fraction(0)) if name == "SUM" else Fraction(len(numbers))
        arguments = [self.comparison()]
        while self.peek() == ("op", ","):
            self.take()
            arguments.append(self.comparison())
        self.take(")")
        if name == "ROUND":
            value, digits = arguments
            scale = Fraction(10) ** int(digits)
            scaled = abs(value) * scale
            whole = int(scaled)
            if scaled - whole >= Fraction(1, 2):
                whole += 1
            return Fraction(whole if value >= 0 else -whole) / scale
        if name == "IF":
            condition, then, otherwise = arguments
            return then if condition else otherwise
        raise FormulaError(f"function {name} is not one the tabulation should use")


def evaluate(workbook: Any, sheet: str, address: str) -> Any:
    """The value of ``sheet!address`` as Excel would compute it, exactly."""
    return Evaluator(workbook, sheet).cell(sheet, address)
