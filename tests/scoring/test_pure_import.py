"""``scoring`` stays pure: numpy and the standard library, nothing else."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import scoring

ROOT = Path(__file__).resolve().parents[2]
SCORING = ROOT / "scoring"

PROBE = """
import json, sys
before = set(sys.modules)
import scoring
loaded = sorted({name.split(".")[0] for name in set(sys.modules) - before})
print(json.dumps({"loaded": loaded, "all": sorted(sys.modules)}))
"""


def test_import_loads_no_web_or_plotting_stack() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    modules = json.loads(completed.stdout)
    for heavy in ("flask", "sqlalchemy", "matplotlib"):
        assert heavy not in modules["all"]
    allowed = set(sys.stdlib_module_names) | {"numpy", "scoring"}
    assert set(modules["loaded"]) <= allowed, set(modules["loaded"]) - allowed


def test_sources_import_only_numpy_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"numpy", "scoring", "__future__"}
    sources = sorted(SCORING.glob("*.py"))
    assert len(sources) >= 6
    for source in sources:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{source.name}: use absolute imports"
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{source.name} imports {name}"


def test_public_api_is_reexported() -> None:
    expected = {
        "Grade",
        "GradeScale",
        "GroupedIkm",
        "IkmResult",
        "KonversiInterval",
        "SampleAdequacy",
        "UnsurScore",
        "konversi_centi",
        "konversi_interval",
        "krejcie_morgan",
        "krejcie_morgan_many",
        "round_half_up_centi_ratio",
        "sample_adequacy",
        "score_aggregates",
        "score_groups",
        "score_matrix",
    }
    assert expected <= set(scoring.__all__)
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None
