"""Paper entry: what an operator types is stored by unsur key, read back first, never twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from questionnaires import get_instrument
from skm import database
from skm.models import SurveyResponse, Unit, User
from skm.models.paper import ImportBatch
from skm.paper.entry import PaperForm, save_paper_form, survey_instant
from skm.periode import Periode
from skm.responses import ResponseError
from tests.support.auth import login
from tests.support.forms import csrf_from

INSTRUMENT = get_instrument("permenpan-14-2017")
JAKARTA = ZoneInfo("Asia/Jakarta")
JSON = {"Accept": "application/json"}


def today() -> date:
    return datetime.now(UTC).astimezone(JAKARTA).date()


def form_data(client, place, answers: str, **extra) -> dict[str, str]:
    """A filled-in entry form; ``answers`` are the keys typed for questions 1..9 in order."""
    page = client.get(f"/staf/kertas/{place.slug}")
    data = {
        "csrf_token": csrf_from(page.data.decode()),
        "uuid": str(uuid.uuid4()),
        "tanggal": (today() - timedelta(days=3)).isoformat(),
        "layanan": str(place.ktp_id),
        "keep_profile": "y",
        "readback": "live",
    }
    for question, key in zip(INSTRUMENT.questions, answers, strict=True):
        data[f"q_{question.unsur_key}"] = key
    data.update(extra)
    return data


def post(client, place, data, json=True):
    return client.post(f"/staf/kertas/{place.slug}", data=data, headers=JSON if json else {})


def stored(app) -> list[SurveyResponse]:
    with app.app_context():
        return list(
            database.session().scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id))
        )


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_a_paper_form_is_stored_at_local_noon_and_keeps_its_date_and_triwulan(zone) -> None:
    tz = ZoneInfo(zone)
    for day, triwulan in ((date(2026, 3, 31), 1), (date(2026, 4, 1), 2)):
        instant = survey_instant(day, tz)
        assert instant.tzinfo == UTC
        assert instant.astimezone(tz).replace(tzinfo=None) == datetime(
            day.year, day.month, day.day, 12
        )
        # The same calendar day in UTC as on the form: no viewer sees another date.
        assert instant.date() == day
        assert Periode.triwulan(2026, triwulan).contains(instant, tz)
        assert not Periode.triwulan(2026, 3 - triwulan).contains(instant, tz)


def test_answers_are_stored_by_unsur_key_never_by_position(app, client, place) -> None:
    login(client, place.operator_id)
    # Question 8 asks about sarana (U9), question 9 about pengaduan (U8);
    # "d" is the paper's letter for 4.
    data = form_data(
        client, place, "d32143213",
        p_jenis_kelamin="P", p_usia="45", p_pendidikan="3", p_pekerjaan="4",
        saran="Ruang tunggu panas.",
    )  # fmt: skip
    result = post(client, place, data)
    assert result.status_code == 200, result.data
    payload = result.get_json()
    assert payload["status"] == "saved"
    assert payload["count"] == 1
    assert payload["uuid"] != data["uuid"]  # the next form gets a new key
    assert "Hapus" in payload["row"]

    (response,) = stored(app)
    answers = {u.key: getattr(response, f"u{u.position + 1:02d}") for u in INSTRUMENT.unsur}
    assert answers == {
        "persyaratan": 4, "prosedur": 3, "waktu": 2, "biaya": 1, "produk": 4,
        "kompetensi": 3, "perilaku": 2, "sarana": 1, "pengaduan": 3,
    }  # fmt: skip
    assert (response.u08, response.u09) == (3, 1)  # U8 pengaduan, U9 sarana
    assert response.channel == "paper"
    assert response.layanan_id == place.ktp_id
    assert (response.jenis_kelamin, response.usia, response.pendidikan, response.pekerjaan) == (
        "P", 45, "sma", "swasta",
    )  # fmt: skip
    assert response.saran == "Ruang tunggu panas."
    survey_day = today() - timedelta(days=3)
    assert response.submitted_at == datetime(
        survey_day.year, survey_day.month, survey_day.day, 5, tzinfo=UTC
    )  # 12:00 WIB
    with app.app_context():
        batch = database.session().get(ImportBatch, response.import_batch_id)
        assert (batch.kind, batch.created_by_name, batch.entry_date, batch.row_count) == (
            "paper", "Sri Wahyuni", today(), 1,
        )  # fmt: skip


def test_zero_marks_an_unanswered_question_and_a_skipped_one_is_refused(app, client, place) -> None:
    login(client, place.operator_id)
    saved = post(client, place, form_data(client, place, "444444440"))
    assert saved.get_json()["status"] == "saved"
    (response,) = stored(app)
    assert response.u08 is None and response.u09 == 4  # question 9 (pengaduan) left blank

    data = form_data(client, place, "44444444-")
    data["q_produk"] = ""
    refused = post(client, place, data)
    assert refused.status_code == 422
    payload = refused.get_json()
    assert payload["status"] == "invalid"
    assert payload["errors"]["q_produk"] == (
        "Pertanyaan 5 belum diisi; ketik 0 bila tidak dijawab."
    )
    wrong = post(client, place, form_data(client, place, "444454444"))
    assert wrong.status_code == 422
    assert (
        "Jawaban pertanyaan 5 harus 1–4 (atau huruf a–d)" in wrong.get_json()["errors"]["q_produk"]
    )
    assert len(stored(app)) == 1


def test_bad_date_and_profile_are_refused_in_indonesian(app, client, place) -> None:
    login(client, place.operator_id)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    future = post(client, place, form_data(client, place, "333333333", tanggal=tomorrow))
    assert future.status_code == 422
    assert future.get_json()["errors"]["tanggal"] == "Tanggal survei tidak boleh setelah hari ini."
    young = post(client, place, form_data(client, place, "333333333", p_usia="7"))
    assert young.status_code == 422
    assert young.get_json()["errors"]["p_usia"] == "Usia 7 di luar batas 15–100."
    unknown = post(client, place, form_data(client, place, "333333333", p_pendidikan="9"))
    assert "pilihan: SD ke bawah" in unknown.get_json()["errors"]["p_pendidikan"]
    assert stored(app) == []


def test_without_javascript_the_form_is_read_back_before_it_is_saved(app, client, place) -> None:
    login(client, place.operator_id)
    data = form_data(client, place, "1234d3214", p_jenis_kelamin="L", readback="")
    shown = post(client, place, data, json=False)
    assert shown.status_code == 200
    html = shown.data.decode()
    assert "Akan disimpan" in html and "Simpan (sudah saya periksa)" in html
    # Each answer read back with the wording of its own question: 1 on sarana is "Buruk".
    assert "8. Sarana dan Prasarana (U9)</dt><dd>1 – Buruk" in html
    assert (
        "9. Penanganan Pengaduan, Saran dan Masukan (U8)</dt><dd>4 – Dikelola dengan baik" in html
    )
    assert "4. Biaya/Tarif (U4)</dt><dd>4 – Gratis" in html
    assert "Laki-laki" in html and "Rekomendasi KTP" in html
    assert stored(app) == []

    token = html.split('name="readback" type="hidden" value="')[1].split('"')[0]
    changed = dict(data, readback=token, q_waktu="4")  # edited after the read-back: read again
    again = post(client, place, changed, json=False)
    assert again.status_code == 200 and "Akan disimpan" in again.data.decode()
    assert stored(app) == []

    confirmed = post(client, place, dict(data, readback=token), json=False)
    assert confirmed.status_code == 302
    query = parse_qs(urlsplit(confirmed.headers["Location"]).query)
    # The next form keeps date, layanan and profile.
    assert query["tanggal"] == [data["tanggal"]]
    assert query["layanan"] == [str(place.ktp_id)]
    assert query["p_jenis_kelamin"] == ["L"]
    (response,) = stored(app)
    assert (response.u01, response.u04, response.jenis_kelamin) == (1, 4, "L")
    next_form = client.get(confirmed.headers["Location"]).data.decode()
    assert 'value="L"' in next_form and "Formulir ke-1 hari ini tersimpan" in next_form


def test_the_same_form_right_after_the_previous_one_asks_first(app, client, place) -> None:
    login(client, place.operator_id)
    first = form_data(client, place, "333333333", p_jenis_kelamin="P")
    assert post(client, place, first).get_json()["status"] == "saved"
    again = dict(first, uuid=str(uuid.uuid4()))
    duplicate = post(client, place, again)
    assert duplicate.status_code == 409
    assert "sama persis" in duplicate.get_json()["message"]
    assert len(stored(app)) == 1

    confirmed = post(client, place, dict(again, confirm_duplicate="1"))
    assert confirmed.get_json()["status"] == "saved"
    assert len(stored(app)) == 2
    different = post(client, place, dict(again, uuid=str(uuid.uuid4()), p_jenis_kelamin="L"))
    assert different.get_json()["status"] == "saved"

    # Another operator's identical form is not "the form just entered".
    login(client, place.second_operator_id)
    other = form_data(client, place, "333333333", p_jenis_kelamin="L")
    assert post(client, place, other).get_json()["status"] == "saved"
    assert len(stored(app)) == 4


def test_without_javascript_a_duplicate_is_shown_and_saved_only_on_request(
    app, client, place
) -> None:
    login(client, place.operator_id)
    data = form_data(client, place, "121212121", readback="")
    token = post(client, place, data, json=False).data.decode()
    token = token.split('name="readback" type="hidden" value="')[1].split('"')[0]
    assert post(client, place, dict(data, readback=token), json=False).status_code == 302
    again = dict(data, uuid=str(uuid.uuid4()), readback=token)
    asked = post(client, place, again, json=False)
    assert asked.status_code == 409
    html = asked.data.decode()
    assert "sama persis dengan formulir yang baru saja disimpan" in html
    assert "Tetap simpan" in html and 'name="confirm_duplicate" value="1"' in html
    assert len(stored(app)) == 1
    saved = post(client, place, dict(again, confirm_duplicate="1"), json=False)
    assert saved.status_code == 302
    assert len(stored(app)) == 2


def test_an_identical_form_after_the_window_is_not_questioned(app, place) -> None:
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, place.unit_id)
        user = session.get(User, place.operator_id)
        now = datetime.now(UTC)

        def form() -> PaperForm:
            return PaperForm(uuid.uuid4(), now.astimezone(JAKARTA).date(), None,
                             {u.key: 2 for u in INSTRUMENT.unsur})  # fmt: skip

        first = save_paper_form(session, unit, form(), INSTRUMENT, user, JAKARTA, now=now)
        session.commit()
        soon = save_paper_form(session, unit, form(), INSTRUMENT, user, JAKARTA,
                               now=now + timedelta(minutes=9))  # fmt: skip
        later = save_paper_form(session, unit, form(), INSTRUMENT, user, JAKARTA,
                                now=now + timedelta(minutes=11))  # fmt: skip
        assert (first.status, soon.status, later.status) == ("saved", "duplicate", "saved")


def test_a_form_whose_uuid_another_unit_stored_is_refused_as_everywhere(app, place) -> None:
    # The same answer as the kiosk, phone and API give (tests/kiosk/test_conflicts.py).
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, place.unit_id)
        other = session.scalar(sa.select(Unit).where(Unit.slug == place.other_slug))
        outsider = session.get(User, place.outsider_id)
        operator = session.get(User, place.operator_id)
        now = datetime.now(UTC)
        form = PaperForm(uuid.uuid4(), now.astimezone(JAKARTA).date(), None,
                         {u.key: 2 for u in INSTRUMENT.unsur})  # fmt: skip
        assert (
            save_paper_form(session, other, form, INSTRUMENT, outsider, JAKARTA).status == "saved"
        )
        session.commit()
        with pytest.raises(ResponseError) as refused:
            save_paper_form(session, unit, form, INSTRUMENT, operator, JAKARTA)
        assert refused.value.errors == {"uuid": "UUID ini sudah dipakai untuk respons unit lain."}
        session.rollback()
        rows = session.scalars(sa.select(SurveyResponse)).all()
        assert [r.unit_id for r in rows] == [other.id]


def test_a_form_sent_twice_is_stored_once(app, client, place) -> None:
    login(client, place.operator_id)
    data = form_data(client, place, "222233334")
    assert post(client, place, data).get_json()["status"] == "saved"
    repeat = post(client, place, data)
    assert repeat.get_json()["status"] == "already_saved"
    assert len(stored(app)) == 1


def test_an_operator_deletes_only_their_own_mistyped_forms(app, client, place) -> None:
    login(client, place.operator_id)
    post(client, place, form_data(client, place, "111111111"))
    post(client, place, form_data(client, place, "222222222"))
    first, second = stored(app)
    page = client.get(f"/staf/kertas/{place.slug}").data.decode()
    assert page.count("Hapus") >= 2

    login(client, place.second_operator_id)
    token = csrf_from(client.get(f"/staf/kertas/{place.slug}").data.decode())
    refused = client.post(f"/staf/kertas/{place.slug}/hapus/{first.id}",
                          data={"csrf_token": token}, headers=JSON)  # fmt: skip
    assert refused.status_code == 403
    assert len(stored(app)) == 2

    login(client, place.operator_id)
    deleted = client.post(f"/staf/kertas/{place.slug}/hapus/{first.id}",
                          data={"csrf_token": token}, headers=JSON)  # fmt: skip
    assert deleted.get_json() == {"status": "deleted", "message": "Formulir dihapus.", "count": 1}
    assert [r.id for r in stored(app)] == [second.id]
    with app.app_context():
        assert database.session().get(ImportBatch, second.import_batch_id).row_count == 1


def test_a_deletion_goes_back_to_its_own_page_whatever_its_query(app, client, place) -> None:
    # The query is kept for the entry page; a "slug" in it once raised a TypeError
    # (500, after the deletion) and "_external" made url_for build an absolute URL.
    login(client, place.operator_id)
    post(client, place, form_data(client, place, "111111111"))
    (first,) = stored(app)
    token = csrf_from(client.get(f"/staf/kertas/{place.slug}").data.decode())
    query = "slug=lain&_external=1&layanan=3"
    deleted = client.post(f"/staf/kertas/{place.slug}/hapus/{first.id}?{query}",
                          data={"csrf_token": token})  # fmt: skip
    assert deleted.status_code == 302
    assert deleted.headers["Location"] == f"/staf/kertas/{place.slug}?layanan=3"
    assert stored(app) == []


def test_who_may_type_in_paper_forms(app, client, place) -> None:
    url = f"/staf/kertas/{place.slug}"
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 401)
    login(client, place.pimpinan_id)
    assert client.get(url).status_code == 403
    login(client, place.outsider_id)
    assert client.get(url).status_code == 404  # another kecamatan: as if it did not exist
    login(client, place.operator_id)
    assert client.get(url).status_code == 200
    assert client.get(f"/staf/kertas/{place.other_slug}").status_code == 404
    data = form_data(client, place, "333333333")
    del data["csrf_token"]
    forged = post(client, place, data)
    assert forged.status_code == 400
    assert forged.get_json()["status"] == "csrf"
    assert stored(app) == []


def test_the_entry_page_lists_layanan_by_number_and_profile_keys(client, place) -> None:
    login(client, place.operator_id)
    html = client.get(f"/staf/kertas/{place.slug}?layanan={place.kk_id}").data.decode()
    assert "1 · Kartu Keluarga (KK)" in html and "2 · Rekomendasi KTP" in html
    assert f'<option selected value="{place.kk_id}">' in html
    assert "<kbd>L</kbd> Laki-laki" in html and "<kbd>3</kbd> SMA" in html
    # The nine answer cells in questionnaire order, named by unsur key.
    names = [f'name="q_{q.unsur_key}"' for q in INSTRUMENT.questions]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert names[7] == 'name="q_sarana"' and names[8] == 'name="q_pengaduan"'
