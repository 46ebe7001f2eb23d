"""Saran: listed per periode and unit, searched, followed up; always escaped."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.models.admin import AuditEntry
from skm.models.staff import SaranTindakLanjut
from skm.periode import Periode
from skm.responses import ResponseInput, store_response
from skm.staff.saran import saran_page
from skm.units import create_unit
from tests.support.auth import signed_in_client
from tests.support.forms import post_form

INSTRUMENT = get_instrument(DEFAULT_INSTRUMENT_KEY)
AUGUST = datetime(2026, 8, 3, 2, 0, tzinfo=UTC)
TEXTS = [
    "<script>alert('x')</script> ruang tunggu panas",
    "Antrean pagi terlalu panjang",
    "Diskon 100% untuk_semua? antrean",
    "Petugas ramah",
]


@pytest.fixture
def saran(app: Flask, make_user):
    with app.app_context():
        session = database.session()
        k = create_unit(session, "Kecamatan Saran", "kecamatan")
        a = create_unit(session, "Kelurahan Saran", "kelurahan", k)
        other = create_unit(session, "Kecamatan Tetangga", "kecamatan")
        session.commit()
        ids = []
        for index, text in enumerate(TEXTS):
            response, _ = store_response(
                session,
                ResponseInput(
                    uuid.uuid4(),
                    (k if index % 2 else a).id,
                    None,
                    {u.key: 3 for u in INSTRUMENT.unsur},
                    AUGUST,
                    "web",
                    saran=text,
                ),
                INSTRUMENT,
            )
            ids.append(response.id)
        store_response(
            session,
            ResponseInput(
                uuid.uuid4(), other.id, None, {"waktu": 2}, AUGUST, "web", saran="Saran tetangga"
            ),
            INSTRUMENT,
        )
        for unit in (k, a, other):
            session.expunge(unit)
    return {
        "k": k,
        "a": a,
        "ids": ids,
        "operator": make_user(k, "operator"),
        "pimpinan": make_user(k, "pimpinan"),
        "outsider": make_user(other, "operator"),
    }


def page(client, unit, **args):
    query = "&".join(f"{k}={v}" for k, v in {"periode": "2026-T3", **args}.items())
    return client.get(f"/staf/unit/{unit.slug}/saran?{query}").get_data(as_text=True)


def test_saran_text_is_escaped(app, saran) -> None:
    client = signed_in_client(app, saran["operator"])
    html = page(client, saran["k"])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; ruang tunggu panas" in html


def test_list_covers_the_unit_and_its_sub_units_only(app, saran) -> None:
    client = signed_in_client(app, saran["operator"])
    html = page(client, saran["k"])
    assert "Antrean pagi terlalu panjang" in html and "Petugas ramah" in html
    assert "Saran tetangga" not in html
    assert "Semua (4)" in html and "Baru (4)" in html
    # The kelurahan alone: its two saran.
    html = page(client, saran["a"])
    assert "Semua (2)" in html and "Petugas ramah" not in html
    # Another periode: none.
    assert "Belum ada saran" in page(client, saran["k"], periode="2026-T1")


def test_search_is_literal_and_case_blind(app, saran) -> None:
    client = signed_in_client(app, saran["operator"])
    html = page(client, saran["k"], q="ANTREAN")
    assert "2 saran" in html and "Petugas ramah" not in html
    # % and _ are characters to find, not wildcards.
    html = page(client, saran["k"], q="100%25 untuk_")
    assert "1 saran" in html and "Diskon 100% untuk_semua?" in html
    assert "Tidak ada saran yang memuat" in page(client, saran["k"], q="10_%25")


def test_operator_marks_a_saran_with_a_note(app, saran) -> None:
    client = signed_in_client(app, saran["operator"])
    target = saran["ids"][1]
    response = post_form(
        client, f"/staf/saran/{target}", {"status": "ditindaklanjuti", "note": "Loket dibuka 07.30"}
    )
    assert response.status_code == 302
    html = page(client, saran["k"], status="ditindaklanjuti")
    assert "Ditindaklanjuti (1)" in html and "Baru (3)" in html
    assert "Loket dibuka 07.30" in html and "Antrean pagi terlalu panjang" in html
    assert "Petugas ramah" not in html
    with app.app_context():
        session = database.session()
        follow_up = session.scalar(sa.select(SaranTindakLanjut))
        assert (follow_up.response_id, follow_up.status) == (target, "ditindaklanjuti")
        entry = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "saran.status"))
        assert entry.changes == {
            "status": ["baru", "ditindaklanjuti"],
            "note": ["", "Loket dibuka 07.30"],
        }
    post_form(client, f"/staf/saran/{target}", {"status": "selesai", "note": "Selesai."})
    assert "Selesai (1)" in page(client, saran["k"])


def test_bad_status_changes_nothing(app, saran) -> None:
    client = signed_in_client(app, saran["operator"])
    response = post_form(
        client, f"/staf/saran/{saran['ids'][0]}", {"status": "dihapus"}, follow_redirects=True
    )
    assert "Pilihan tidak dikenal." in response.get_data(as_text=True)
    with app.app_context():
        assert database.session().scalar(sa.select(SaranTindakLanjut)) is None


def test_pimpinan_reads_but_cannot_mark(app, saran) -> None:
    client = signed_in_client(app, saran["pimpinan"])
    html = page(client, saran["k"])
    assert "Antrean pagi terlalu panjang" in html
    assert "/staf/saran/" not in html  # no forms
    response = post_form(client, f"/staf/saran/{saran['ids'][0]}", {"status": "selesai"})
    assert response.status_code == 403


def test_saran_of_another_unit_cannot_be_marked(app, saran) -> None:
    client = signed_in_client(app, saran["outsider"])
    response = post_form(client, f"/staf/saran/{saran['ids'][0]}", {"status": "selesai"})
    assert response.status_code == 404
    assert client.get(f"/staf/unit/{saran['k'].slug}/saran").status_code == 404


def test_pages_of_25_newest_first_and_counts_per_status(app: Flask) -> None:
    """31 saran, one marked selesai: 25 on page 1 and 6 on page 2 (newest first,
    each once); a page past the last shows the last; the status filter counts only
    its own, while the tabs keep counting all."""
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Banyak Saran", "kecamatan")
        session.commit()
        ids = []
        for minute in range(31):
            response, _ = store_response(
                session,
                ResponseInput(
                    uuid.uuid4(), unit.id, None, {u.key: 4 for u in INSTRUMENT.unsur},
                    AUGUST + timedelta(minutes=minute), "web", saran=f"saran nomor {minute}",
                ),
                INSTRUMENT,
            )  # fmt: skip
            ids.append(response.id)
        session.add(SaranTindakLanjut(response_id=ids[5], status="selesai", note="ok"))
        session.commit()
        periode, tz = Periode.parse("2026-T3"), office_timezone()
        first = saran_page(session, unit, periode, tz)
        second = saran_page(session, unit, periode, tz, page=2)
        beyond = saran_page(session, unit, periode, tz, page=9)
        done = saran_page(session, unit, periode, tz, status="selesai")
    assert (first.total, first.pages, len(first.items), len(second.items)) == (31, 2, 25, 6)
    assert [i.response_id for i in first.items + second.items] == ids[::-1]
    assert [i.response_id for i in beyond.items] == [i.response_id for i in second.items]
    assert (done.total, [i.response_id for i in done.items]) == (1, [ids[5]])
    assert (
        first.status_counts
        == done.status_counts
        == {"baru": 30, "ditindaklanjuti": 0, "selesai": 1}
    )
