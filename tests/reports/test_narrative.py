"""Narrative defaults, what staff change, and the signing official."""

from __future__ import annotations

import pytest

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.models import Unit, User
from skm.models.reports import ReportNarrative
from skm.reports.narrative import (
    Signatory,
    default_texts,
    narrative_for,
    normalise_nip,
    reset_narrative,
    save_narrative,
    save_signatory,
)
from tests.reports.helpers import T2, build_office


def test_defaults_name_the_unit_periode_and_unsur(produced):
    texts = default_texts(produced.data.unit, T2, produced.data.instrument)
    assert "Kecamatan Sukamaju Triwulan II 2026" in texts["kata_pengantar"]
    assert "9 (sembilan) unsur" in texts["latar_belakang"]
    assert (
        "penanganan pengaduan, saran dan masukan; serta sarana dan prasarana"
        in (texts["latar_belakang"])
    )
    assert texts["dasar_pelaksanaan"].splitlines()[-1].startswith("Peraturan Menteri")
    assert "Jl. Raya Sukamaju No. 1" in texts["lokasi"] and "Kelurahan Mekarsari" in texts["lokasi"]
    assert texts["analisis"] == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("19700101 199003 1 001", "197001011990031001"), ("19700101.199003.1.001",
      "197001011990031001"), ("", "")],
)  # fmt: skip
def test_nip_normalised(typed, stored):
    assert normalise_nip(typed) == stored


@pytest.mark.parametrize("typed", ["1970", "19700101 199003 1 00X", "1" * 19])
def test_bad_nip_refused(typed):
    with pytest.raises(ValueError, match="18 angka"):
        normalise_nip(typed)


def test_nip_printed_in_groups():
    assert Signatory(nip="197001011990031001").nip_display == "19700101 199003 1 001"


def test_only_changed_sections_are_stored_and_defaults_follow_the_data(app):
    with app.app_context():
        session = database.session()
        office = build_office(session, with_staff_entries=False)
        unit = session.get(Unit, office.kecamatan_id)
        actor = session.get(User, office.operator_id)
        instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
        current = narrative_for(session, unit, T2, instrument)
        texts = {name: current.text(name) for name in ("latar_belakang", "penutup")}
        texts["penutup"] = "Demikian laporan ini.\r\n\r\nHormat kami.  "
        save_narrative(session, actor, unit, T2, instrument, texts, include_saran=False,
                       report_date=None)  # fmt: skip
        session.commit()
        row = session.query(ReportNarrative).one()
        assert row.latar_belakang is None  # unchanged default: not stored
        assert row.penutup == "Demikian laporan ini.\n\nHormat kami."
        assert row.include_saran is False
        # A renamed unit changes the defaults; the edited section stays as typed.
        unit.name = "Kecamatan Sukamaju Baru"
        session.commit()
        later = narrative_for(session, unit, T2, instrument)
        assert "Kecamatan Sukamaju Baru" in later.latar_belakang
        assert later.penutup == "Demikian laporan ini.\n\nHormat kami."
        reset_narrative(session, actor, unit, T2.code)
        session.commit()
        assert narrative_for(session, unit, T2, instrument).include_saran is True


def test_too_long_text_changes_nothing(app):
    with app.app_context():
        session = database.session()
        office = build_office(session, with_staff_entries=False)
        unit = session.get(Unit, office.kecamatan_id)
        actor = session.get(User, office.operator_id)
        instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
        with pytest.raises(ValueError, match=r"paling banyak 10\.000 karakter"):
            save_narrative(session, actor, unit, T2, instrument, {"penutup": "x" * 10_001},
                           include_saran=True, report_date=None)  # fmt: skip
        session.rollback()
        assert session.query(ReportNarrative).count() == 0
        with pytest.raises(ValueError, match="18 angka"):
            save_signatory(session, actor, unit, Signatory(nama="A", nip="123"))
