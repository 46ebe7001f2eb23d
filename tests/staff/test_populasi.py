"""Population per unit and periode, entered by operators, read by the dashboard."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from skm import database
from skm.models.admin import AuditEntry
from skm.models.staff import Population
from tests.support.auth import signed_in_client
from tests.support.factories import saved_unit
from tests.support.forms import post_form


@pytest.fixture
def unit_and_operator(app: Flask, make_user):
    unit = saved_unit(app, "Kecamatan Pop")
    return unit, make_user(unit, "operator")


def test_enter_and_correct_population(app, unit_and_operator) -> None:
    unit, operator = unit_and_operator
    client = signed_in_client(app, operator)
    url = f"/staf/unit/{unit.slug}/populasi?periode=2026-T3"
    # Written the Indonesian way, with a thousands dot.
    assert post_form(client, url, {"periode": "2026-T3", "population": "1.250"}).status_code == 302
    assert post_form(client, url, {"periode": "2026-T3", "population": "1300"}).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "1.300" in html
    assert ">297<" in html  # Krejcie & Morgan minimum for N = 1300 (published table: 297)
    with app.app_context():
        session = database.session()
        assert session.scalars(sa.select(Population.population)).all() == [1300]
        changes = session.scalars(sa.select(AuditEntry.changes).order_by(AuditEntry.id)).all()
        assert changes == [{"population": [None, 1250]}, {"population": [1250, 1300]}]


@pytest.mark.parametrize(
    ("population", "message"),
    [
        ("0", "Populasi harus bilangan bulat 1 atau lebih."),
        ("dua ratus", "Isi dengan bilangan bulat"),
        ("", "Isi jumlah orang yang dilayani."),
    ],
)
def test_bad_population_is_refused(app, unit_and_operator, population, message) -> None:
    unit, operator = unit_and_operator
    client = signed_in_client(app, operator)
    response = post_form(
        client, f"/staf/unit/{unit.slug}/populasi", {"periode": "2026-T3", "population": population}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(Population.id))) == 0
