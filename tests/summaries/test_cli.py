"""``skm db check-summaries`` names what differs; ``skm db rebuild-summaries`` repairs it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from questionnaires import get_instrument
from skm import database
from skm.models import SurveyResponse
from skm.responses import bulk_insert
from skm.units import create_unit

INSTRUMENT = get_instrument("permenpan-14-2017")


def _responses(app: Flask) -> None:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Contoh", "kecamatan")
        rows = [
            {
                "uuid": uuid.uuid4(),
                "unit_id": unit.id,
                "layanan_id": None,
                "instrument_key": INSTRUMENT.key,
                "instrument_version": INSTRUMENT.version,
                "submitted_at": datetime(2026, 8, 3, 3, 0, tzinfo=UTC),
                "channel": "web",
                **{f"u{j:02d}": 1 + (i + j) % 4 for j in range(1, 10)},
            }
            for i in range(5)
        ]
        bulk_insert(session, rows)
        session.commit()


def test_check_finds_a_manual_change_and_rebuild_repairs_it(
    app: Flask, runner: FlaskCliRunner
) -> None:
    _responses(app)
    assert runner.invoke(args=["db", "check-summaries"]).output == (
        "Ringkasan sesuai dengan respons.\n"
    )
    with app.app_context(), database.engine().begin() as connection:
        connection.execute(sa.update(SurveyResponse).values(u03=None))  # by hand, around SKM

    checked = runner.invoke(args=["db", "check-summaries"])
    assert checked.exit_code == 1
    # Five answers of U3 gone: their count and sum, and every pair with U3, differ.
    assert "permenpan-14-2017 v1, 2026-08-03" in checked.output
    assert "c03 tersimpan 5, seharusnya 0" in checked.output
    assert "Jalankan 'skm db rebuild-summaries'" in checked.output

    rebuilt = runner.invoke(args=["db", "rebuild-summaries"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert rebuilt.output == "Ringkasan dihitung ulang dari respons: 1 baris per hari.\n"
    assert runner.invoke(args=["db", "check-summaries"]).exit_code == 0
