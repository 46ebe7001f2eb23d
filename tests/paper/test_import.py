"""Importing a tabulation: every problem named, nothing stored until confirmed, all rows
or none, undone as a whole; historical instruments scored with their own bands."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from fractions import Fraction
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from questionnaires import get_instrument
from skm import database
from skm.ikm import Scope, score
from skm.models import SurveyResponse, Unit, User
from skm.models.paper import ImportBatch
from skm.paper import imports
from skm.paper.imports import ImportSettings, preview_import, run_import
from skm.periode import Periode
from tests.support.auth import login
from tests.support.forms import csrf_from
from tests.support.reference import reference_konversi

JAKARTA = ZoneInfo("Asia/Jakarta")
INSTRUMENT = get_instrument("permenpan-14-2017")

HEADER = (
    "No;tanggal;layanan;jenis_kelamin;usia;pendidikan;pekerjaan;U1;U2;U3;U4;U5;U6;U7;U8;U9;saran"
)
GOOD_ROWS = [
    "1;03/02/2025;Rekomendasi KTP;P;34;SMA;Swasta;4;4;3;4;3;3;4;3;3;Antrean panjang.",
    "2;2025-02-10;kartu keluarga (kk);L;51;S1;PNS;3;3;3;4;3;3;3;;2;",
    "3;14 Maret 2025;;L;;;;4;4;4;4;4;4;4;4;4;",
]
# The answers of GOOD_ROWS, U1..U9 (report order), None = blank.
GOOD_ANSWERS = [
    [4, 4, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 3, None, 2],
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def upload(client, slug, content: bytes, filename="tabulasi.csv", **fields):
    page = client.get(f"/staf/impor/{slug}")
    data = {
        "csrf_token": csrf_from(page.data.decode()),
        "instrument": "permenpan-14-2017@1",
        "tahun": "2025",
        "bagian": "T1",
        "layanan": "0",
        "berkas": (io.BytesIO(content), filename),
    }
    data.update(fields)
    return client.post(f"/staf/impor/{slug}", data=data, content_type="multipart/form-data")


def confirm(client, slug, html: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(
        f"/staf/impor/{slug}/simpan", data={"csrf_token": csrf_from(html), "token": token}
    )


def responses(app) -> list[SurveyResponse]:
    with app.app_context():
        return list(
            database.session().scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id))
        )


def pending_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "impor-tertunda"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_a_good_tabulation_is_previewed_then_stored_whole(app, client, place) -> None:
    login(client, place.operator_id)
    preview = upload(client, place.slug, csv_bytes(HEADER, *GOOD_ROWS))
    assert preview.status_code == 200
    html = preview.data.decode()
    assert "Pratinjau: tabulasi.csv" in html and "Simpan 3 respons" in html
    # The preview scores the file with the method (hand computation: 87,50 B).
    konversi, mutu = reference_konversi(GOOD_ANSWERS)
    assert (konversi, mutu) == (Fraction(175, 2), "B")
    assert "87,50" in html and "mutu-B" in html
    assert "3 Februari 2025 – 14 Maret 2025" in html
    assert responses(app) == []  # nothing stored before the operator confirms
    assert len(pending_files(app)) == 2

    stored_page = confirm(client, place.slug, html)
    assert stored_page.status_code == 302
    assert stored_page.headers["Location"].endswith(f"/staf/impor/{place.slug}/riwayat")
    rows = responses(app)
    assert [r.answers(9) for r in rows] == GOOD_ANSWERS
    assert {r.channel for r in rows} == {"import"}
    assert [r.layanan_id for r in rows] == [place.ktp_id, place.kk_id, None]
    assert [(r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan) for r in rows] == [
        ("P", 34, "sma", "swasta"), ("L", 51, "d4_s1", "pns"), ("L", None, None, None),
    ]  # fmt: skip
    assert rows[0].saran == "Antrean panjang."
    # Dates as written, at noon in the office's time zone (05:00 UTC in WIB).
    assert [r.submitted_at for r in rows] == [
        datetime(2025, 2, 3, 5, tzinfo=UTC),
        datetime(2025, 2, 10, 5, tzinfo=UTC),
        datetime(2025, 3, 14, 5, tzinfo=UTC),
    ]
    assert len({r.import_batch_id for r in rows}) == 1
    assert pending_files(app) == []
    with app.app_context():
        session = database.session()
        batch = session.get(ImportBatch, rows[0].import_batch_id)
        assert (batch.kind, batch.filename, batch.periode_code, batch.row_count) == (
            "import", "tabulasi.csv", "2025-T1", 3,
        )  # fmt: skip
        assert batch.created_by_name == "Sri Wahyuni"
        unit = session.get(Unit, place.unit_id)
        result = score(session, INSTRUMENT, Periode.triwulan(2025, 1), JAKARTA, Scope(unit=unit))
        assert (result.konversi_centi, result.mutu) == (8750, "B")
    history = client.get(f"/staf/impor/{place.slug}/riwayat").data.decode()
    assert "tabulasi.csv" in history and "Triwulan I 2025" in history and "Sri Wahyuni" in history


BAD_ROWS = [
    "1;03/02/2025;Rekomendasi KTP;P;34;SMA;Swasta;4;4;3;4;3;3;4;3;3;",
    "2;31/02/2025;;P;34;;;4;4;4;4;4;4;4;4;4;",
    "3;05/05/2025;;P;34;;;4;4;4;4;4;4;4;4;4;",
    "4;10/02/2025;Surat Nikah;P;34;;;4;4;4;4;4;4;4;4;4;",
    "5;10/02/2025;;X;34;;;4;4;4;4;4;4;4;4;4;",
    "6;10/02/2025;;L;7;;;4;4;4;4;4;4;4;4;4;",
    "7;10/02/2025;;L;30;;;4;5;4;4;4;4;4;4;4;",
    "8;10/02/2025;;L;30;;;;;;;;;;;;Tidak mengisi.",
    "9;10/02/2025;;L;30;Magister;;4;4;baik;3,5;4;4;4;4;4;",
]
# (spreadsheet row, column as written in the header, words of the message)
EXPECTED_PROBLEMS = [
    (3, "tanggal", "tanggal '31/02/2025' tidak dikenali"),
    (4, "tanggal", "tanggal 5 Mei 2025 di luar Triwulan I 2025"),
    (5, "layanan", "layanan 'Surat Nikah' tidak ada di Kecamatan Sukamaju"),
    (6, "jenis_kelamin", "jenis kelamin 'X' tidak dikenal; pilihan: Laki-laki, Perempuan"),
    (7, "usia", "usia 7 di luar batas 15–100"),
    (8, "U2", "nilai '5' tidak sah; isi 1–4 atau kosongkan"),
    (9, "", "baris ini tidak berisi satu pun jawaban"),
    (10, "U3", "nilai 'baik' tidak sah"),
    (10, "U4", "nilai '3,5' tidak sah"),
    (10, "pendidikan", "pendidikan 'Magister' tidak dikenal"),
]


def test_bad_rows_are_all_named_and_nothing_is_stored(app, client, place) -> None:
    with app.app_context():
        session = database.session()
        settings = ImportSettings(
            unit=session.get(Unit, place.unit_id),
            instrument=INSTRUMENT,
            periode=Periode.triwulan(2025, 1),
            filename="rusak.csv",
            content=csv_bytes(HEADER, *BAD_ROWS),
        )
        preview = preview_import(session, settings, JAKARTA)
        found = [(e.row, e.column, e.message) for e in preview.errors]
        assert len(found) == len(EXPECTED_PROBLEMS)
        for (row, column, words), (got_row, got_column, message) in zip(
            EXPECTED_PROBLEMS, sorted(found), strict=True
        ):
            assert (got_row, got_column) == (row, column)
            assert words in message
        assert not preview.ok and preview.bad_rows == [3, 4, 5, 6, 7, 8, 9, 10]
        assert preview.unknown_layanan == {"Surat Nikah"}

    login(client, place.operator_id)
    page = upload(client, place.slug, csv_bytes(HEADER, *BAD_ROWS), filename="rusak.csv")
    assert page.status_code == 422
    html = unescape(page.data.decode())
    assert "Tidak ada yang disimpan." in html
    assert "10 masalah di 8 baris" in html
    for row, column, words in EXPECTED_PROBLEMS:
        cells = f'<td class="row">{row}</td><td class="col">{column or "–"}</td>'
        assert f"{cells}<td>{words[0].upper()}{words[1:]}" in html, cells
    assert "<code>Rekomendasi KTP</code>" in html  # the layanan the unit does know
    assert "Simpan" not in html.split("Unggah berkas lain")[0].split("problems-title")[1]
    assert responses(app) == [] and pending_files(app) == []


def test_a_header_that_cannot_be_read_is_named(app, client, place) -> None:
    login(client, place.operator_id)
    header = "Nama;U1;U2;U3;U4;U5;U6;U7;U8"
    page = upload(client, place.slug, csv_bytes(header, "Ani;4;4;4;4;4;4;4;4"))
    html = page.data.decode()
    assert page.status_code == 422
    assert '<td class="row">1</td><td class="col">Nama</td><td>Kolom tidak dikenal' in html
    assert '<td class="col">U9</td><td>Kolom untuk Sarana dan Prasarana tidak ada.' in html
    assert responses(app) == []


def test_an_import_stores_all_rows_or_none(app, place, monkeypatch) -> None:
    """A failure after some rows were written leaves nothing behind."""
    calls = []
    real_insert = imports.bulk_insert

    def failing_insert(session, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_insert(session, rows)

    monkeypatch.setattr(imports, "INSERT_CHUNK", 2)
    monkeypatch.setattr(imports, "bulk_insert", failing_insert)
    with app.app_context():
        session = database.session()
        settings = ImportSettings(
            session.get(Unit, place.unit_id), INSTRUMENT, Periode.triwulan(2025, 1),
            "tabulasi.csv", csv_bytes(HEADER, *GOOD_ROWS),
        )  # fmt: skip
        user = session.get(User, place.operator_id)
        with pytest.raises(RuntimeError):
            run_import(session, settings, user, JAKARTA)
        session.rollback()
        assert calls == [2, 1]  # the first two rows had been written
    assert responses(app) == []
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_the_same_file_twice_is_refused(app, client, place) -> None:
    login(client, place.operator_id)
    content = csv_bytes(HEADER, *GOOD_ROWS)
    confirm(client, place.slug, upload(client, place.slug, content).data.decode())
    again = upload(client, place.slug, content, filename="salinan.csv").data.decode()
    assert "Berkas yang sama sudah diimpor" in again
    assert "Simpan 3 respons" not in again
    assert len(responses(app)) == 3


def test_undo_removes_exactly_that_import_and_records_who(app, client, place) -> None:
    login(client, place.operator_id)
    confirm(
        client, place.slug, upload(client, place.slug, csv_bytes(HEADER, *GOOD_ROWS)).data.decode()
    )
    other = csv_bytes(HEADER, GOOD_ROWS[0].replace("03/02/2025", "04/02/2025"))
    confirm(
        client, place.slug, upload(client, place.slug, other, filename="lain.csv").data.decode()
    )
    first_batch, second_batch = sorted({r.import_batch_id for r in responses(app)})
    keep = [r.id for r in responses(app) if r.import_batch_id == second_batch]

    login(client, place.second_operator_id)
    ask = client.get(f"/staf/impor/batch/{first_batch}/batalkan")
    assert "Ya, hapus 3 respons" in ask.data.decode()
    assert len(responses(app)) == 4  # asking changes nothing
    done = client.post(
        f"/staf/impor/batch/{first_batch}/batalkan",
        data={"csrf_token": csrf_from(ask.data.decode())},
    )
    assert done.status_code == 302
    assert [r.id for r in responses(app)] == keep
    with app.app_context():
        batch = database.session().get(ImportBatch, first_batch)
        assert batch.undone_by_name == "Budi Santoso" and batch.undone_count == 3
        assert batch.created_by_name == "Sri Wahyuni" and batch.row_count == 3
    history = client.get(f"/staf/impor/{place.slug}/riwayat").data.decode()
    assert "Dibatalkan" in history and "oleh Budi Santoso; 3 respons dihapus" in history

    twice = client.post(
        f"/staf/impor/batch/{first_batch}/batalkan",
        data={"csrf_token": csrf_from(ask.data.decode())},
    )
    assert twice.status_code == 302
    assert [r.id for r in responses(app)] == keep
    login(client, place.outsider_id)
    assert client.get(f"/staf/impor/batch/{second_batch}/batalkan").status_code == 404


def test_a_historical_tabulation_is_scored_with_its_own_bands(app, client, place) -> None:
    """Kepmenpan 25/2004: 14 unsur; all 3 is konversi 75,00, which is B under its bands
    (62,51–81,25) and would be C under Permenpan 14/2017 (65,00–76,60)."""
    login(client, place.operator_id)
    header = ";".join(f"U{i}" for i in range(1, 15))
    content = csv_bytes(header, *[";".join(["3"] * 14)] * 4)
    page = upload(client, place.slug, content, filename="ikm-2015.csv",
                  instrument="kepmenpan-25-2004@1", tahun="2015", bagian="tahun")  # fmt: skip
    html = page.data.decode()
    assert page.status_code == 200 and "75,00" in html and "mutu-B" in html
    assert "tanpa kolom tanggal: semua dicatat 31 Desember 2015" in html
    confirm(client, place.slug, html)
    rows = responses(app)
    assert len(rows) == 4 and {r.instrument_key for r in rows} == {"kepmenpan-25-2004"}
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, place.unit_id)
        old = get_instrument("kepmenpan-25-2004")
        result = score(session, old, Periode.tahun(2015), JAKARTA, Scope(unit=unit))
        assert (result.konversi_centi, result.mutu, result.kinerja) == (7500, "B", "Baik")
        assert score(session, INSTRUMENT, Periode.tahun(2015), JAKARTA, Scope(unit=unit)) is None


def test_an_xlsx_with_date_cells_imports(app, client, place) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["tanggal", "Jenis Layanan", "JK", *[u.key for u in INSTRUMENT.unsur]])
    sheet.append([datetime(2025, 1, 6), "Rekomendasi KTP", "Perempuan", 4, 4, 4, 4, 4, 4, 4, 2, 3])
    sheet.append([datetime(2025, 1, 7, 9, 30), None, "l", 3, 3, 3, 3, 3, 3, 3, 3, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(client, place.operator_id)
    html = upload(client, place.slug, buffer.getvalue(), filename="tabulasi.xlsx",
                  layanan=str(place.kk_id)).data.decode()  # fmt: skip
    confirm(client, place.slug, html)
    first, second = responses(app)
    assert (first.u08, first.u09, first.jenis_kelamin, first.layanan_id) == (
        2,
        3,
        "P",
        place.ktp_id,
    )
    # A time of day in the file is kept (09:30 WIB = 02:30 UTC); the default layanan fills the gap.
    assert second.submitted_at == datetime(2025, 1, 7, 2, 30, tzinfo=UTC)
    assert (second.jenis_kelamin, second.layanan_id) == ("L", place.kk_id)


def test_a_preview_belongs_to_whoever_uploaded_it(app, client, place) -> None:
    login(client, place.operator_id)
    html = upload(client, place.slug, csv_bytes(HEADER, *GOOD_ROWS)).data.decode()
    login(client, place.second_operator_id)
    stolen = confirm(client, place.slug, html)
    assert stolen.status_code == 302
    assert stolen.headers["Location"].endswith(f"/staf/impor/{place.slug}")
    assert responses(app) == []


def test_a_periode_that_has_not_begun_is_refused(app, client, place) -> None:
    login(client, place.operator_id)
    next_year = str(datetime.now(UTC).astimezone(JAKARTA).year + 1)
    page = upload(client, place.slug, csv_bytes(HEADER, *GOOD_ROWS), tahun=next_year)
    assert page.status_code == 422  # the year list only offers years up to now
    assert responses(app) == []
