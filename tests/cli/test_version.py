"""One version, written in skm/__init__.py: the package metadata, the CLI and the footers agree."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

import skm
from skm import database
from skm.__main__ import main
from skm.units import create_unit
from tests.support.auth import login

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_written_once() -> None:
    # setup.cfg reads it (attr:); no other file spells a version out.
    assert "version = attr: skm.__version__" in (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert re.fullmatch(r"\d+\.\d+\.\d+", skm.__version__)


def test_installed_metadata_matches() -> None:
    # The editable install's metadata was built from setup.cfg, hence from skm.__version__.
    assert version("skm") == skm.__version__


def test_cli_prints_the_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"SKM {skm.__version__}\n"


def test_footers_show_the_version(client, make_user, app) -> None:
    assert f"SKM {skm.__version__}" in client.get("/").get_data(as_text=True)
    with app.app_context():
        unit = create_unit(database.session(), "Kecamatan Versi", "kecamatan")
        database.session().commit()
        database.session().refresh(unit)
        database.session().expunge(unit)
    login(client, make_user(unit, "admin"))
    page = client.get(f"/staf/unit/{unit.slug}/")
    assert page.status_code == 200
    assert f"SKM {skm.__version__}" in page.get_data(as_text=True)
