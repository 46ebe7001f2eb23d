"""The dashboard page with odd choices in its address: a message, never an error page."""

from __future__ import annotations

import pytest
from flask import Flask

from skm import database
from skm.models import Unit
from tests.staff.helpers import build_office
from tests.support.auth import signed_in_client


@pytest.fixture
def client(app: Flask, make_user):
    with app.app_context():
        office = build_office(database.session())
        unit = database.session().get(Unit, office.k)
    client = signed_in_client(app, make_user(unit, "operator"))
    return client, office


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("periode=2026-T9", "Triwulan harus 1 sampai 4"),
        ("periode=kemarin", "Kode periode &#39;kemarin&#39; tidak dikenal"),
        ("periode=1850", "di luar jangkauan"),
        ("periode=rentang&dari=2026-05-01&sampai=2026-04-01", "Tanggal akhir tidak boleh"),
        ("periode=rentang&dari=&sampai=2026-04-01", "Tanggal awal tidak dikenal"),
        ("periode=2026-T2&layanan=999999", "Jenis layanan itu tidak ada di unit ini"),
        ("periode=2026-T2&layanan=abc", "Jenis layanan itu tidak ada di unit ini"),
    ],
)
def test_bad_choices_get_a_message(client, query, message) -> None:
    client, office = client
    response = client.get(f"/staf/unit/{office.k_slug}/?{query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_date_range(client) -> None:
    client, office = client
    # 1 April to 31 May 2026 holds every T2 response (12 May).
    html = client.get(
        f"/staf/unit/{office.k_slug}/?periode=rentang&dari=2026-04-01&sampai=2026-05-31"
    ).get_data(as_text=True)
    assert "1 April 2026 – 31 Mei 2026" in html
    assert '<span class="value" data-testid="konversi">75,00</span>' in html


def test_layanan_of_another_unit_is_not_accepted(app, client) -> None:
    client, office = client
    with app.app_context():
        from skm.units import add_layanan, create_unit

        session = database.session()
        other = create_unit(session, "Kecamatan Seberang", "kecamatan")
        (foreign,) = add_layanan(session, other, ["Rahasia Seberang"])
        session.commit()
        foreign_id = foreign.id
    html = client.get(f"/staf/unit/{office.k_slug}/?periode=2026-T2&layanan={foreign_id}")
    text = html.get_data(as_text=True)
    assert "Jenis layanan itu tidak ada di unit ini" in text
    assert "Rahasia Seberang" not in text


def test_empty_periode(client) -> None:
    client, office = client
    html = client.get(f"/staf/unit/{office.k_slug}/?periode=2020-T1").get_data(as_text=True)
    assert "Belum ada respons yang dapat dinilai" in html
