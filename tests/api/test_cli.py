"""``skm token ...`` and ``skm kiosk ...``."""

from __future__ import annotations

import sqlalchemy as sa

from skm import database
from skm.kiosk.kiosks import kiosk_by_token
from skm.models.kiosk import Kiosk
from skm.tokens import authenticate


def test_token_create_prints_a_token_that_works_once_shown(app, runner, api_place) -> None:
    args = ["token", "create", "--unit", "kelurahan-mekarsari", "--name", "SIAK"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    plain = result.output.splitlines()[1]
    assert plain.startswith("skm_")
    assert "tidak dapat ditampilkan lagi" in result.output
    with app.app_context():
        token = authenticate(database.session(), plain)
        assert token is not None and token.name == "SIAK"
        assert token.unit_id == api_place.kelurahan.id
    listed = runner.invoke(args=["token", "list"])
    assert "SIAK" in listed.output and plain not in listed.output


def test_token_create_for_an_unknown_unit_fails(runner, api_place) -> None:
    result = runner.invoke(args=["token", "create", "--unit", "entah", "--name", "X"])
    assert result.exit_code == 2
    assert "unit 'entah' tidak ditemukan" in result.output


def test_token_revoke_by_prefix(app, runner, api_place) -> None:
    prefix = api_place.token[:10]
    result = runner.invoke(args=["token", "revoke", prefix])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert authenticate(database.session(), api_place.token) is None
    again = runner.invoke(args=["token", "revoke", prefix])
    assert again.exit_code == 2


def test_kiosk_open_list_and_close(app, runner, api_place) -> None:
    result = runner.invoke(
        args=["kiosk", "open", "--unit", "kecamatan-sukamaju", "--name", "Loket 2",
              "--layanan", "Rekomendasi KTP"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1].split("<alamat-server>")[1]
    with app.app_context():
        kiosk = kiosk_by_token(database.session(), path.removeprefix("/kiosk/"))
        assert kiosk is not None and kiosk.layanan_id == api_place.ktp.id and kiosk.active
        kiosk_id = kiosk.id
    assert "Loket 2" in runner.invoke(args=["kiosk", "list"]).output
    assert runner.invoke(args=["kiosk", "close", str(kiosk_id)]).exit_code == 0
    with app.app_context():
        assert database.session().get(Kiosk, kiosk_id).active is False


def test_kiosk_open_with_a_layanan_of_another_unit_fails(app, runner, api_place) -> None:
    result = runner.invoke(
        args=["kiosk", "open", "--unit", "kecamatan-sukamaju", "--name", "X",
              "--layanan", "Surat Domisili"]
    )  # fmt: skip
    assert result.exit_code == 2
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count()).select_from(Kiosk)) == 0
