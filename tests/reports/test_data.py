"""Gathering a report: the same respondents as the IKM, saran grouped, IKU when present."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.models import Unit
from skm.periode import Periode
from skm.reports import data as report_data
from skm.reports.data import collect_report
from skm.reports.narrative import default_narrative
from skm.reports.pdf import generate_pdf
from skm.results.indicators import IndicatorData, save_indicator
from skm.results.subject import ReportError
from tests.reports.helpers import (
    INJECTION,
    PRODUCED,
    R1,
    R2,
    R3,
    R4,
    SARAN_R1,
    SARAN_R3,
    T2,
    build_office,
)
from tests.reports.test_pdf import pages_of


def test_annex_holds_the_counted_respondents_in_answer_order(produced):
    data = produced.data
    expected = np.array([[v or 0 for v in row] for row in (R1, R2, R3, R4)], dtype=np.int8)
    np.testing.assert_array_equal(data.answers, expected)
    assert data.excluded == 1
    assert data.channels == (("kiosk", 2), ("web", 1), ("paper", 1))
    assert data.unit.government == "Kabupaten Contoh"
    assert data.unit.subunits == ("Kelurahan Mekarsari",)


def test_saran_grouped_by_text_most_frequent_first(produced):
    groups = [(g.text, g.count) for g in produced.data.saran]
    assert groups[0] == (SARAN_R1, 2)
    assert sorted(groups[1:]) == sorted([(INJECTION, 1), (SARAN_R3, 1)])
    entries = produced.data.saran_entries
    assert [e.text for e in entries] == [SARAN_R1, INJECTION, SARAN_R3, SARAN_R1]
    assert {e.status for e in entries} == {"Baru"}
    assert entries[0].submitted_at.hour == 10  # office time (WIB)


def _context(app):
    session = database.session()
    office = build_office(session)
    unit = session.get(Unit, office.kecamatan_id)
    return session, unit, get_instrument(DEFAULT_INSTRUMENT_KEY), office_timezone()


def test_nothing_to_report(app):
    with app.app_context():
        session, unit, instrument, tz = _context(app)
        with pytest.raises(ReportError, match="Belum ada respons yang dapat dinilai"):
            collect_report(session, instrument, tz, unit, Periode.triwulan(2026, 3))


def test_reads_again_when_responses_arrive_in_between(app, monkeypatch):
    with app.app_context():
        session, unit, instrument, tz = _context(app)
        real = report_data.annex_answers
        calls = []

        def racing(*args, **kwargs):
            answers = real(*args, **kwargs)
            calls.append(1)
            # The first read sees one response more than the score did.
            return np.vstack([answers, answers[:1]]) if len(calls) == 1 else answers

        monkeypatch.setattr(report_data, "annex_answers", racing)
        data = collect_report(session, instrument, tz, unit, T2, now=PRODUCED)
        assert len(calls) == 2
        assert data.answers.shape == (4, 9)

        monkeypatch.setattr(
            report_data, "annex_answers", lambda *a, **k: np.vstack([real(*a, **k)] * 2)
        )
        with pytest.raises(ReportError, match="berubah"):
            collect_report(session, instrument, tz, unit, T2, now=PRODUCED)


def test_iku_realisation_against_target(app):
    with app.app_context():
        session, unit, instrument, tz = _context(app)
        save_indicator(
            session,
            unit,
            IndicatorData(
                code="ikm",
                sasaran="Meningkatnya kualitas pelayanan publik",
                name="Indeks Kepuasan Masyarakat",
                satuan="Nilai",
                method="ikm",
                targets={2026: Decimal("80")},
            ),
        )
        session.commit()
        data = collect_report(session, instrument, tz, unit, T2, now=PRODUCED)
        assert data.iku.ikm is not None
        assert data.iku.ikm.target == Decimal("80")
        assert data.iku.ikm.realisasi == Decimal("78.70")
        # 78,70 / 80 x 100 = 98,375 -> 98,38 (half up)
        assert data.iku.ikm.capaian == Decimal("98.38")
        (row,) = data.iku.rows
        assert row.realisasi == Decimal("78.70")
        text = " ".join(pages_of(generate_pdf(data, default_narrative(data))))
        assert "4.4 Capaian Indikator Kinerja Utama (IKU)" in text
        assert "Target tahun 2026 adalah 80,00" in text and "capaian 98,38%" in text
        assert "Realisasi IKU Triwulan II 2026" in text
        # The trend table then shows the target too.
        assert "Target IKU" in text


def test_semester_report_has_no_iku_table_but_the_ikm_target(app):
    with app.app_context():
        session, unit, instrument, tz = _context(app)
        save_indicator(
            session,
            unit,
            IndicatorData(code="ikm", sasaran="S", name="IKM", satuan="Nilai", method="ikm",
                          targets={2026: Decimal("80")}),
        )  # fmt: skip
        session.commit()
        data = collect_report(session, instrument, tz, unit, Periode.semester(2026, 1))
        assert data.iku.rows == ()
        assert data.iku.ikm is not None
        assert data.iku.label is None
