"""pytest plugin: list every passing ``==`` assertion whose values include a float.

tests/test_float_equality.py refuses a float *literal* compared with ``==``
without a reason; this finds the rest (two computed floats compared), at run
time, for a person to review:

    PYTHONPATH=scripts .venv/bin/python -m pytest -p float_asserts \
        -o enable_assertion_pass_hook=true -p no:cacheprovider
    # then read float-asserts.jsonl: one line per assertion (file, line, source)
"""

from __future__ import annotations

import json
import os
import re

FLOAT = re.compile(r"(?<![\w.'\"/-])-?\d+\.\d+(?:e[-+]?\d+)?(?![\w.'\"])|\bnan\b|\binf\b")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
LOG = os.environ.get("FLOAT_ASSERTS_LOG", "float-asserts.jsonl")


def pytest_assertion_pass(item, lineno, orig, expl):  # type: ignore[no-untyped-def]
    if ("==" not in orig and "!=" not in orig) or "approx" in orig or "isclose" in orig:
        return
    # Numbers inside strings (a version, a formatted "88,31") are not floats.
    shown = re.sub(r"Decimal\(''\)|Fraction\([^)]*\)", "", QUOTED.sub("''", expl))
    if FLOAT.search(shown):
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"file": str(item.path), "line": lineno, "orig": orig}) + "\n")
