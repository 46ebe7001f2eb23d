"""The fixed office of ``helpers`` and its report files, produced once per database.

Producing a PDF draws two charts and lays out a document; doing that once
per database for the whole package keeps the tests fast. Tests that change
data use the function-scoped ``app`` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import create_app, database, migrations
from skm.config import office_timezone
from skm.models import Unit
from skm.reports.data import ReportData, collect_report, raw_response_table
from skm.reports.narrative import Narrative, narrative_for
from skm.reports.pdf import generate_pdf
from skm.reports.responses_csv import generate_csv
from skm.reports.summary import generate_summary_pdf
from skm.reports.tabulation_xlsx import generate_xlsx
from skm.reports.word import generate_docx
from tests.conftest import DATABASES, empty_database
from tests.reports.helpers import PRODUCED, REPORT_DAY, T2, Office, build_office


@dataclass(frozen=True)
class Produced:
    app: Flask
    office: Office
    data: ReportData
    narrative: Narrative
    pdf: bytes
    docx: bytes
    summary: bytes
    xlsx: bytes
    csv: bytes


@pytest.fixture(scope="package", params=DATABASES)
def produced(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Produced]:
    """The report files of the fixed office for Triwulan II 2026, on each database."""
    folder = tmp_path_factory.mktemp("report")
    with empty_database(request.param, folder, "skm_report") as url:
        app = create_app(
            {"TESTING": True, "SKM_DATABASE_URL": url, "INSTANCE_PATH": folder / "instance",
             "SECRET_KEY": "test"}
        )  # fmt: skip
        with app.app_context():
            migrations.create_schema(database.engine())
            session = database.session()
            office = build_office(session)
            instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
            tz = office_timezone()
            unit = session.get(Unit, office.kecamatan_id)
            assert unit is not None
            data = collect_report(session, instrument, tz, unit, T2, now=PRODUCED)
            narrative = replace(
                narrative_for(session, unit, T2, instrument), report_date=REPORT_DAY
            )
            headers, rows = raw_response_table(session, instrument, tz, unit, T2)
            files = Produced(
                app,
                office,
                data,
                narrative,
                generate_pdf(data, narrative),
                generate_docx(data, narrative),
                generate_summary_pdf(data, narrative),
                generate_xlsx(data),
                generate_csv(headers, rows),
            )
        yield files
        app.extensions["skm.engine"].dispose()
