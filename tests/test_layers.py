"""Dependencies point one way: features -> shared -> data -> scoring, questionnaires.

The rules and the way imports are read are in ``scripts/import_graph.py``
(``python scripts/import_graph.py -v`` names every offending import). The
first tests hold SKM to them; the last ones plant each kind of offence in a
small tree of modules, so that a checker that sees nothing cannot pass.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import skm

ROOT = Path(__file__).resolve().parents[1]


def _load_graph() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_graph", ROOT / "scripts" / "import_graph.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


graph = _load_graph()


def _shown(found: list) -> str:
    return "\n".join(f"{i.source}:{i.line} -> {i.target}" for i in found)


@pytest.fixture(scope="module")
def found() -> list:
    return graph.imports()


def test_no_feature_imports_another(found) -> None:
    crossing = graph.cross_feature(found)
    assert crossing == [], "move what both need into a shared module:\n" + _shown(crossing)


def test_no_layer_imports_a_higher_one(found) -> None:
    upward = graph.upward(found)
    assert upward == [], _shown(upward)


def test_no_import_cycles(found) -> None:
    assert graph.cycles(found) == []


def test_no_imports_hidden_in_functions(found) -> None:
    # An import inside a function is a dependency all the same; at the top it is seen.
    deferred = [i for i in found if i.deferred and i.target.startswith("skm")]
    assert deferred == [], _shown(deferred)


def test_every_package_of_skm_has_a_layer() -> None:
    packages = {p.parent.name for p in (ROOT / "skm").glob("*/__init__.py")}
    shared_or_data = {"models", "results", "summaries", "migrations", "demo"}
    assert packages - shared_or_data == set(graph.FEATURES), (
        "a new package is a feature (add it to FEATURES in scripts/import_graph.py "
        "and to the factory) or shared (add it here)"
    )


def test_the_factory_wires_every_feature() -> None:
    wired = {feature.__name__.removeprefix("skm.") for feature in skm.FEATURES}
    assert wired == set(graph.FEATURES)


def test_layers_of_known_modules() -> None:
    layer = graph.layer_of
    assert layer("scoring.ikm") == "pure"
    assert layer("skm.database") == layer("skm.models.kiosk") == "data"
    assert layer("skm.migrations") == "data"
    assert layer("skm.migrations.versions.0003_response_summaries") == "revision"
    assert layer("skm.audit") == layer("skm.results.dashboard") == layer("skm.delivery") == "shared"
    assert layer("skm.staff.routes") == layer("skm.cli.db") == "feature"
    assert layer("skm") == layer("skm.__main__") == layer("skm.demo.cli") == "application"


# -- the checker itself, on a planted tree -------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in ("skm", "scoring", "questionnaires"):
        (tmp_path / folder).mkdir(exist_ok=True)
    return tmp_path


def test_checker_sees_a_feature_importing_another(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "skm/__init__.py": "",
            "skm/staff/__init__.py": "",
            "skm/staff/dashboard.py": "X = 1\n",
            "skm/reports/__init__.py": "",
            "skm/reports/data.py": "from skm.staff import dashboard\n",
            "skm/reports/pdf.py": "def f():\n    from skm.staff.dashboard import X\n",
        },
    )
    crossing = graph.cross_feature(graph.imports(root))
    assert [(i.source, i.target, i.deferred) for i in crossing] == [
        ("skm.reports.data", "skm.staff.dashboard", False),
        ("skm.reports.pdf", "skm.staff.dashboard", True),
    ]


def test_checker_sees_shared_code_importing_a_feature(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "skm/__init__.py": "",
            "skm/audit.py": "from skm.admin.routes import bp\n",
            "skm/admin/__init__.py": "",
            "skm/admin/routes.py": "bp = None\n",
            "skm/models/__init__.py": "from skm import audit\n",
        },
    )
    upward = {(i.source, i.target) for i in graph.upward(graph.imports(root))}
    assert upward == {("skm.audit", "skm.admin.routes"), ("skm.models", "skm.audit")}


def test_checker_sees_a_cycle_through_a_package(tmp_path: Path) -> None:
    # staff/__init__ imports routes; routes imports a module of another
    # package, which imports staff.forms: running staff/__init__ again.
    root = _tree(
        tmp_path,
        {
            "skm/__init__.py": "",
            "skm/staff/__init__.py": "from skm.staff import routes\n",
            "skm/staff/routes.py": "from skm.results import charts\n",
            "skm/staff/forms.py": "",
            "skm/results/__init__.py": "",
            "skm/results/charts.py": "from skm.staff.forms import F\n",
        },
    )
    assert graph.cycles(graph.imports(root)) == [
        ["skm.results.charts", "skm.staff", "skm.staff.routes"]
    ]


def test_checker_ignores_type_checking_imports(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "skm/__init__.py": "",
            "skm/audit.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from skm.admin.routes import bp\n"
            ),
            "skm/admin/__init__.py": "",
            "skm/admin/routes.py": "",
        },
    )
    assert graph.imports(root) == []
