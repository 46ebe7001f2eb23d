"""Rencana tindak lanjut: the weakest unsur proposed, rows kept per unit and periode."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from skm import database
from skm.models import Unit
from skm.models.admin import AuditEntry
from skm.models.staff import RencanaTindakLanjut
from tests.staff.helpers import build_office
from tests.support.auth import signed_in_client
from tests.support.forms import post_form


@pytest.fixture
def office(app: Flask, make_user):
    with app.app_context():
        office = build_office(database.session())
        k = database.session().get(Unit, office.k)
        b = database.session().get(Unit, office.b)
    return office, make_user(k, "operator"), make_user(b, "operator")


def test_form_proposes_the_weakest_unsur(app, office) -> None:
    office, operator, _ = office
    client = signed_in_client(app, operator)
    html = client.get(f"/staf/unit/{office.k_slug}/rencana/baru?periode=2026-T2").get_data(
        as_text=True
    )
    # In T2 U3, U4, U7 and U8 share the lowest NRR (14/5); U3 comes first.
    assert re.search(r'<option selected value="waktu">U3 Waktu Penyelesaian</option>', html)


def test_add_edit_delete(app, office) -> None:
    office, operator, _ = office
    client = signed_in_client(app, operator)
    url = f"/staf/unit/{office.k_slug}/rencana/baru?periode=2026-T2"
    response = post_form(
        client,
        url,
        {
            "unsur": "pengaduan",
            "program": "Kotak pengaduan di ruang tunggu",
            "triwulan": ["3", "4"],
            "penanggung_jawab": "Sekretaris Kecamatan",
        },
    )
    assert response.status_code == 302
    post_form(
        client,
        url,
        {
            "unsur": "persyaratan",
            "program": "Papan persyaratan",
            "triwulan": "1",
            "penanggung_jawab": "Kasi Pelayanan",
        },
    )
    html = client.get(f"/staf/unit/{office.k_slug}/rencana?periode=2026-T2").get_data(as_text=True)
    # Report order: U1 before U8, whatever the order of entry.
    assert html.index("U1 Persyaratan</td>") < html.index("U8 Penanganan Pengaduan")
    assert "TW III, TW IV" in html and "Sekretaris Kecamatan" in html
    assert "Belum ada rencana" not in html
    # Another periode has its own plan.
    other = client.get(f"/staf/unit/{office.k_slug}/rencana?periode=2026-T1").get_data(as_text=True)
    assert "Belum ada rencana tindak lanjut untuk Triwulan I 2026" in other
    with app.app_context():
        session = database.session()
        row = session.scalar(
            sa.select(RencanaTindakLanjut).where(RencanaTindakLanjut.unsur_key == "pengaduan")
        )
        assert (row.periode_code, row.triwulan, row.unit_id) == ("2026-T2", "34", office.k)
        row_id = row.id
    response = post_form(
        client,
        f"/staf/rencana/{row_id}",
        {
            "unsur": "pengaduan",
            "program": "Kotak pengaduan dan petugasnya",
            "triwulan": "2",
            "penanggung_jawab": "Sekretaris Kecamatan",
        },
    )
    assert response.status_code == 302
    assert post_form(client, f"/staf/rencana/{row_id}/hapus").status_code == 302
    with app.app_context():
        session = database.session()
        assert session.get(RencanaTindakLanjut, row_id) is None
        actions = session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["rencana.create", "rencana.create", "rencana.update", "rencana.delete"]
        update = session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "rencana.update"))
        assert update.changes == {
            "program": ["Kotak pengaduan di ruang tunggu", "Kotak pengaduan dan petugasnya"],
            "triwulan": ["TW III, TW IV", "TW II"],
        }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"program": "", "triwulan": "1", "penanggung_jawab": "x"},
            "Program/kegiatan wajib diisi.",
        ),
        ({"program": "x", "penanggung_jawab": "x"}, "Pilih minimal satu triwulan pelaksanaan."),
        ({"program": "x", "triwulan": "5", "penanggung_jawab": "x"}, "Pilihan &#39;5&#39; tidak"),
        ({"program": "x", "triwulan": "1", "penanggung_jawab": " "}, "Penanggung jawab wajib"),
        ({"program": "x" * 2001, "triwulan": "1", "penanggung_jawab": "x"}, "paling banyak 2000"),
    ],
)
def test_bad_rows_are_refused_in_indonesian(app, office, data, message) -> None:
    office, operator, _ = office
    client = signed_in_client(app, operator)
    response = post_form(
        client,
        f"/staf/unit/{office.k_slug}/rencana/baru?periode=2026-T2",
        {"unsur": "waktu", **data},
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(RencanaTindakLanjut.id))) == 0


def test_rows_of_another_unit_are_out_of_reach(app, office) -> None:
    office, operator, outsider = office
    client = signed_in_client(app, operator)
    post_form(
        client,
        f"/staf/unit/{office.k_slug}/rencana/baru?periode=2026-T2",
        {"unsur": "waktu", "program": "x", "triwulan": "1", "penanggung_jawab": "x"},
    )
    with app.app_context():
        row_id = database.session().scalar(sa.select(RencanaTindakLanjut.id))
    # The operator of kelurahan B, below K, cannot reach K's plan.
    other = signed_in_client(app, outsider)
    assert other.get(f"/staf/rencana/{row_id}").status_code == 404
    assert post_form(other, f"/staf/rencana/{row_id}/hapus").status_code == 404
    assert other.get(f"/staf/unit/{office.k_slug}/rencana").status_code == 404
