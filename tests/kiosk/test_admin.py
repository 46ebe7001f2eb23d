"""Staff kiosk pages: kiosks with their status, QR posters, flagged responses."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from questionnaires import get_instrument
from skm import database
from skm.config import office_timezone
from skm.ikm import Scope, score
from skm.models import SurveyResponse
from skm.models.kiosk import Kiosk
from skm.periode import periode_of
from tests.support.auth import login
from tests.support.forms import csrf_token

INSTRUMENT = get_instrument("permenpan-14-2017")


def _post(client, url: str, token: str | None) -> int:
    return client.post(url, data={"csrf_token": token} if token else {}).status_code


def _kiosk(app, kiosk_id: int) -> Kiosk:
    with app.app_context():
        return database.session().get(Kiosk, kiosk_id)


# --- the kiosk list ------------------------------------------------------------------


def test_staff_pages_need_sign_in(client, place) -> None:
    for url in ("/staf/kiosk/", "/staf/kiosk/ditandai", f"/staf/kiosk/{place.kiosk.id}"):
        response = client.get(url)
        assert response.status_code in (302, 401)
        assert place.kiosk.token not in response.get_data(as_text=True)


def test_the_list_shows_each_kiosk_of_the_users_units_with_its_status(app, client, place) -> None:
    with app.app_context():
        session = database.session()
        kiosk = session.get(Kiosk, place.kiosk.id)
        kiosk.last_seen_at = datetime.now(UTC) - timedelta(minutes=12)
        kiosk.last_delivery_at = datetime.now(UTC) - timedelta(hours=2)
        kiosk.queue_length = 14
        session.commit()
    login(client, place.operator)
    html = client.get("/staf/kiosk/").get_data(as_text=True)
    assert "Loket 1" in html and "Loket KTP" in html
    assert "Tidak tersambung" in html  # silent for 12 minutes
    assert "12 menit lalu" in html and "2 jam lalu" in html
    assert ">14<" in html
    assert "Belum pernah tersambung" in html  # the other kiosk
    # An operator sees the list but neither opens nor closes kiosks.
    assert "Buka kios baru" not in html and "Tutup" not in html
    assert place.kiosk.token not in html


def test_kiosks_of_other_units_are_invisible(app, client, place) -> None:
    login(client, place.other_admin)
    html = client.get("/staf/kiosk/").get_data(as_text=True)
    assert "Loket KTP" not in html and "Belum ada kios." in html
    assert client.get(f"/staf/kiosk/{place.kiosk.id}").status_code == 404
    assert client.get("/staf/kiosk/qr/kecamatan-sukamaju").status_code == 404


def test_an_admin_opens_a_kiosk_and_sees_its_address(app, client, place) -> None:
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/")
    response = client.post(
        "/staf/kiosk/buka",
        data={"csrf_token": token, "name": "Ruang tunggu", "unit_id": str(place.kelurahan.id),
              "layanan_id": ""},
    )  # fmt: skip
    # The secret address is shown once, in the answer to the POST: only its
    # hash is stored, so no later page can show it again.
    assert response.status_code == 201
    with app.app_context():
        kiosk = database.session().scalar(sa.select(Kiosk).where(Kiosk.name == "Ruang tunggu"))
        assert kiosk.unit_id == place.kelurahan.id and kiosk.layanan_id is None and kiosk.active
    html = response.get_data(as_text=True)
    secret = re.search(r"/kiosk/([A-Za-z0-9_-]{43})<", html)[1]
    assert kiosk.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert '<svg viewBox="0 0' in html and 'class="qr"' in html
    assert "hanya bisa dibuka dari komputer server" in html  # the test client is "localhost"
    assert "hanya ditampilkan sekali" in html
    later = client.get(f"/staf/kiosk/{kiosk.id}").get_data(as_text=True)
    assert secret not in later and 'class="qr"' not in later
    assert client.get(f"/kiosk/{secret}").status_code == 200


def test_replacing_the_address_shows_the_new_one_once_and_the_old_one_stops(
    app, client, place
) -> None:
    old = place.kiosk.token
    login(client, place.admin)
    token = csrf_token(client, f"/staf/kiosk/{place.kiosk.id}")
    response = client.post(f"/staf/kiosk/{place.kiosk.id}/ganti-alamat", data={"csrf_token": token})
    assert response.status_code == 200
    new = re.search(r"/kiosk/([A-Za-z0-9_-]{43})<", response.get_data(as_text=True))[1]
    assert new != old
    assert client.get(f"/kiosk/{old}").status_code == 404
    assert client.get(f"/kiosk/{new}").status_code == 200
    assert new not in client.get(f"/staf/kiosk/{place.kiosk.id}").get_data(as_text=True)
    # Without the form token nothing changes.
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/ganti-alamat", None) == 400
    assert client.get(f"/kiosk/{new}").status_code == 200
    login(client, place.operator)
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/ganti-alamat", token) == 403


def test_the_database_holds_no_kiosk_secret(app, place) -> None:
    with app.app_context():
        rows = database.connection().execute(sa.text("SELECT * FROM kiosk")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert place.kiosk.token not in stored and place.fixed_kiosk.token not in stored


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "layanan_id": ""}, "Nama kios wajib diisi"),
        ({"name": "Loket 3", "layanan_id": "foreign"}, "Pilih jenis layanan dari daftar."),
        (
            {"name": "Loket 3", "layanan_id": "kk", "unit_id": "kelurahan"},
            "Jenis layanan itu bukan layanan unit ini.",
        ),
        (
            {"name": "Loket 3", "layanan_id": "", "unit_id": "other"},
            "Pilih unit layanan dari daftar.",
        ),
    ],
)
def test_a_kiosk_that_cannot_be_opened_says_why(app, client, place, fields, message) -> None:
    login(client, place.admin)
    ids = {"foreign": place.foreign.id, "kk": place.kk.id, "kelurahan": place.kelurahan.id,
           "other": place.other.id}  # fmt: skip
    data = {"csrf_token": csrf_token(client, "/staf/kiosk/"), "unit_id": str(place.unit.id)}
    data |= {key: str(ids.get(value, value)) for key, value in fields.items()}
    response = client.post("/staf/kiosk/buka", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count()).select_from(Kiosk)) == 2


def test_an_operator_cannot_open_or_close_kiosks(app, client, place) -> None:
    login(client, place.operator)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", token) == 403
    assert _kiosk(app, place.kiosk.id).active


def test_closing_and_reopening_a_kiosk(app, client, place) -> None:
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/")
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", token) == 302
    assert _kiosk(app, place.kiosk.id).active is False
    assert client.get(f"/kiosk/{place.kiosk.token}").status_code == 410
    assert "Buka lagi" in client.get("/staf/kiosk/").get_data(as_text=True)
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/buka-lagi", token) == 302
    assert _kiosk(app, place.kiosk.id).active is True
    assert client.get(f"/kiosk/{place.kiosk.token}").status_code == 200


def test_closing_needs_the_csrf_token(app, client, place) -> None:
    login(client, place.admin)
    assert _post(client, f"/staf/kiosk/{place.kiosk.id}/tutup", None) == 400
    assert _kiosk(app, place.kiosk.id).active


def test_the_qr_poster_points_at_the_units_survey(client, place, monkeypatch) -> None:
    monkeypatch.setenv("SKM_PUBLIC_URL", "http://192.168.1.10:5000")
    login(client, place.pimpinan)
    html = client.get("/staf/kiosk/qr/kecamatan-sukamaju").get_data(as_text=True)
    assert "http://192.168.1.10:5000/survei/kecamatan-sukamaju" in html
    assert 'class="qr"' in html and "<title>Survei Kepuasan Masyarakat Kecamatan Sukamaju" in html
    assert "hanya bisa dibuka dari komputer server" not in html
    counter = client.get(f"/staf/kiosk/qr/kecamatan-sukamaju?layanan={place.kk.id}")
    assert f"/survei/kecamatan-sukamaju?layanan={place.kk.id}" in counter.get_data(as_text=True)
    foreign = client.get(f"/staf/kiosk/qr/kecamatan-sukamaju?layanan={place.foreign.id}")
    assert foreign.status_code == 404


def test_the_qr_code_encodes_the_address(client, place, monkeypatch) -> None:
    # Decoding needs no library: segno draws the same matrix for the same text.
    import segno

    monkeypatch.setenv("SKM_PUBLIC_URL", "http://192.168.1.10:5000")
    login(client, place.admin)
    html = client.get("/staf/kiosk/qr/kecamatan-sukamaju").get_data(as_text=True)
    url = "http://192.168.1.10:5000/survei/kecamatan-sukamaju"
    expected = segno.make(url, error="m", micro=False)
    path = re.search(r'class="qrline" stroke="#000" d="([^"]+)"', html)[1]
    assert path in expected.svg_inline(scale=1, border=4, omitsize=True)


# --- flagged responses ---------------------------------------------------------------


def _response(app, unit_id: int, flag: str | None, *, received_at=None) -> int:
    with app.app_context():
        session = database.session()
        now = datetime.now(UTC)
        response = SurveyResponse(
            uuid=uuid.uuid4(), unit_id=unit_id, instrument_key=INSTRUMENT.key,
            instrument_version=INSTRUMENT.version, submitted_at=now,
            started_at=now - timedelta(seconds=7), received_at=received_at or now,
            channel="web", flag=flag,
            **{f"u{i:02d}": 4 if flag else 2 for i in range(1, 10)},
        )  # fmt: skip
        session.add(response)
        session.commit()
        return response.id


def _excluded(app, response_id: int) -> bool:
    with app.app_context():
        return database.session().get(SurveyResponse, response_id).excluded


def _respondents(app, unit) -> int:
    with app.app_context():
        tz = office_timezone()
        periode = periode_of(datetime.now(UTC), "triwulan", tz)
        session = database.session()
        result = score(session, INSTRUMENT, periode, tz, Scope(unit=session.merge(unit)))
        return result.respondents if result else 0


def test_flagged_responses_are_listed_with_their_reason(app, client, place) -> None:
    _response(app, place.unit.id, "Selesai dalam 7 detik, terlalu cepat untuk dibaca")
    _response(app, place.unit.id, None)
    _response(app, place.other.id, "Waktunya bertumpuk dengan survei lain di kios yang sama")
    login(client, place.pimpinan)
    html = client.get("/staf/kiosk/ditandai").get_data(as_text=True)
    assert "Selesai dalam 7 detik" in html and "7 detik" in html
    assert "survei lain di kios yang sama" not in html  # another kecamatan
    assert "1 respons bertanda, 0 dikecualikan." in html
    assert "4 4 4 4 4 4 4 4 4" in html
    assert "Kecualikan" not in html  # pimpinan only reads


def test_excluding_a_flagged_response_takes_it_out_of_the_ikm(app, client, place) -> None:
    flagged = _response(app, place.unit.id, "Semua jawaban sama (4) dan selesai dalam 12 detik")
    _response(app, place.unit.id, None)
    assert _respondents(app, place.unit) == 2
    login(client, place.operator)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    response = client.post(
        f"/staf/kiosk/ditandai/{flagged}", data={"csrf_token": token, "aksi": "kecualikan"}
    )
    assert response.status_code == 302
    assert _excluded(app, flagged) and _respondents(app, place.unit) == 1
    client.post(f"/staf/kiosk/ditandai/{flagged}", data={"csrf_token": token, "aksi": "sertakan"})
    assert not _excluded(app, flagged) and _respondents(app, place.unit) == 2


def test_only_flagged_responses_in_scope_can_be_decided_on(app, client, place) -> None:
    plain = _response(app, place.unit.id, None)
    foreign = _response(app, place.other.id, "Selesai dalam 3 detik, terlalu cepat untuk dibaca")
    login(client, place.operator)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    for response_id in (plain, foreign):
        response = client.post(
            f"/staf/kiosk/ditandai/{response_id}", data={"csrf_token": token, "aksi": "kecualikan"}
        )
        assert response.status_code == 404
        assert not _excluded(app, response_id)


def test_pimpinan_cannot_exclude(app, client, place) -> None:
    flagged = _response(app, place.unit.id, "Selesai dalam 3 detik, terlalu cepat untuk dibaca")
    login(client, place.pimpinan)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    response = client.post(
        f"/staf/kiosk/ditandai/{flagged}", data={"csrf_token": token, "aksi": "kecualikan"}
    )
    assert response.status_code == 403
    assert not _excluded(app, flagged)


def test_exclude_all_spares_what_arrived_after_the_list_was_shown(app, client, place) -> None:
    shown_at = datetime.now(UTC)
    seen = [
        _response(app, place.unit.id, "Selesai dalam 3 detik, terlalu cepat untuk dibaca",
                  received_at=shown_at - timedelta(minutes=m))
        for m in (1, 2)
    ]  # fmt: skip
    later = _response(
        app, place.kelurahan.id, "Selesai dalam 2 detik, terlalu cepat untuk dibaca",
        received_at=shown_at + timedelta(seconds=30),
    )  # fmt: skip
    foreign = _response(app, place.other.id, "Selesai dalam 2 detik, terlalu cepat untuk dibaca")
    login(client, place.admin)
    token = csrf_token(client, "/staf/kiosk/ditandai")
    response = client.post(
        "/staf/kiosk/ditandai/kecualikan-semua",
        data={"csrf_token": token, "sampai": shown_at.isoformat(), "status": "semua"},
    )
    assert response.status_code == 302
    assert [_excluded(app, r) for r in seen] == [True, True]
    assert not _excluded(app, later) and not _excluded(app, foreign)
    html = client.get("/staf/kiosk/ditandai?status=dikecualikan").get_data(as_text=True)
    assert html.count("Hitung lagi") == 2
