"""Real exports: Google Forms headers (question texts), answer labels, letters
a–d and "a. Tidak sesuai", timestamps in the office's time zone, and the
preview's column mapping that staff can correct before anything is stored."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, time
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from openpyxl import Workbook

from questionnaires import get_instrument
from skm import database
from skm.cli.score import score_command
from skm.columns import (
    AnswerReader,
    column_index,
    match_columns,
    normalise,
    spreadsheet_column,
)
from skm.ikm import Scope, score
from skm.models import SurveyResponse, Unit, User
from skm.paper.imports import ImportSettings, preview_import, run_import
from skm.periode import Periode
from skm.tabulation import TabulationError, parse_date_cell, read_tabulation_bytes
from tests.support.auth import login
from tests.support.forms import csrf_from
from tests.support.reference import reference_konversi

JAKARTA = ZoneInfo("Asia/Jakarta")
INSTRUMENT = get_instrument("permenpan-14-2017")
FIXTURE = Path(__file__).parent / "fixtures" / "google_forms_skm.csv"

# The fixture's answers in report order U1..U9 (question 8 is sarana = U9,
# question 9 pengaduan = U8), read off the labels/letters by hand.
# Rows 1-3 and 7 are labels, 4-5 letters (lower and upper case), 6 and 8 "c. Mudah".
FIXTURE_ANSWERS = [
    [4, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 4, 2, 4, 3, 4, 3, 4, 2],
    [4, 3, 4, 3, 4, 3, 3, None, 4],
    [4, 3, 3, 4, 3, 3, 4, 2, 3],
    [3, 3, 2, 4, 3, 3, 3, 3, 3],
    [4, 3, 3, 4, 3, 4, 4, 3, 3],
    [2, 2, 2, 4, 2, 3, 3, 2, 2],
    [3, 4, 3, 4, 4, 3, 4, 4, 4],
]
# The fixture's timestamps, local time in Jakarta (UTC+7), as UTC instants.
FIXTURE_INSTANTS = [
    datetime(2025, 1, 15, 2, 41, 12, tzinfo=UTC),
    datetime(2025, 2, 3, 3, 5, 47, tzinfo=UTC),
    datetime(2025, 3, 14, 6, 22, 5, tzinfo=UTC),
    datetime(2025, 3, 31, 16, 30, tzinfo=UTC),
    datetime(2025, 3, 31, 17, 15, tzinfo=UTC),  # 1 April 00:15 WIB: triwulan II
    datetime(2025, 4, 22, 1, 3, 59, tzinfo=UTC),
    datetime(2025, 5, 5, 4, 47, 30, tzinfo=UTC),
    datetime(2025, 5, 20, 8, 10, 2, tzinfo=UTC),
]


def test_fixture_is_a_google_forms_export() -> None:
    raw = FIXTURE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Google Sheets/Excel write
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Timestamp,Jenis Kelamin,")
    assert '"1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan' in header


# --- headers ------------------------------------------------------------------


def test_normalise_ignores_case_spaces_punctuation_and_the_question_number() -> None:
    assert normalise(" 1. Bagaimana  pendapat Saudara tentang Biaya/Tarif? ") == (
        "bagaimana pendapat saudara tentang biaya tarif"
    )
    assert normalise("(2) Persyaratan") == "persyaratan"
    assert normalise("3.Waktu") == normalise("No. 3 - Waktu") == "waktu"
    assert normalise("2026") == "2026" and normalise("1.5 Biaya") == "1 5 biaya"
    assert normalise("Kompetensi Pélaksana") == "kompetensi pelaksana"
    assert normalise("1. Tidak sesuai", numbered=False) == "1 tidak sesuai"


def test_fixture_columns_go_to_the_right_unsur() -> None:
    header = FIXTURE.read_bytes().decode("utf-8-sig").splitlines()[0]
    tabulation = read_tabulation_bytes(FIXTURE.read_bytes(), FIXTURE.name, INSTRUMENT)
    roles = {role.index: (role.target, role.matched_by) for role in tabulation.columns}
    assert [roles[i][0] for i in range(16)] == [
        "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "layanan",
        "U1", "U2", "U3", "U4", "U5", "U6", "U7",
        "U9",  # question 8 asks about sarana
        "U8",  # question 9 about pengaduan
        "saran",
    ]  # fmt: skip
    assert roles[6] == ("U1", "teks pertanyaan")  # number prefix and trailing space ignored
    # The office reworded question 2 ("pemahaman" for "pendapat"): matched by
    # similarity, and said so in the preview.
    assert "pemahaman" in header and roles[7] == ("U2", "teks pertanyaan yang mirip")


def test_headers_by_topic_unsur_name_and_unknown() -> None:
    roles = match_columns(
        ["No.", "Kecepatan waktu dalam memberikan pelayanan", "Maklumat Pelayanan",
         "Alamat email", "Umur", "Cap waktu", "Kritik dan saran"],
        get_instrument("permenpan-16-2014"),
    )  # fmt: skip
    assert [(r.target, r.matched_by) for r in roles] == [
        ("-", "kolom nomor"),
        ("U3", "teks pertanyaan"),  # without the "Bagaimana pendapat Saudara tentang" lead
        ("U8", "nama unsur"),
        (None, ""),
        ("usia", "judul kolom"),
        ("tanggal", "judul kolom"),
        ("saran", "judul kolom"),
    ]


def test_unknown_and_duplicate_columns_are_named_before_anything_is_read() -> None:
    questions = [q.text for q in INSTRUMENT.questions]
    table = [["Alamat email", *questions, questions[0]], ["a@b.id", *["4"] * 10]]
    content = "\n".join(";".join(row) for row in table).encode()
    with pytest.raises(TabulationError) as caught:
        read_tabulation_bytes(content, "x.csv", INSTRUMENT)
    messages = [str(e) for e in caught.value.errors]
    assert messages[0].startswith("Baris 1, kolom Alamat email: kolom tidak dikenal")
    assert f"Baris 1, kolom {questions[0]}: unsur U1 sudah ada di kolom {questions[0]}." in (
        messages
    )
    # The roles come with the error so the preview can offer a select per column.
    assert [r.target for r in caught.value.columns][:2] == [None, "U1"]


def test_staff_choice_overrides_a_header() -> None:
    header = ["Pertanyaan tambahan kantor", *[u.code for u in INSTRUMENT.unsur]]
    roles = match_columns(header, INSTRUMENT, {0: "-", 1: "saran"})
    assert [(r.target, r.matched_by) for r in roles[:3]] == [
        ("-", "diatur petugas"), ("saran", "diatur petugas"), ("U2", "kode unsur"),
    ]  # fmt: skip
    # A value that is not a choice of the instrument is not taken.
    assert match_columns(header, INSTRUMENT, {0: "U99"})[0].target is None


def test_spreadsheet_column_letters() -> None:
    assert [column_index(t) for t in ("A", "z", "AA", "AB", "ZZ", "AAA")] == [
        0, 25, 26, 27, 701, 702,
    ]  # fmt: skip
    assert [spreadsheet_column(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


# --- cells --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unsur_key", "cell", "expected"),
    [
        ("persyaratan", "Sangat sesuai", 4),
        ("persyaratan", "  sangat SESUAI ", 4),
        ("persyaratan", "a", 1),
        ("persyaratan", "D", 4),
        ("persyaratan", "a. Tidak sesuai", 1),
        ("persyaratan", "c) Sesuai", 3),
        ("persyaratan", "b.", 2),
        ("biaya", "Gratis", 4),
        ("biaya", "Sangat mahal", 1),
        ("pengaduan", "Ada tetapi tidak berfungsi", 2),
        ("sarana", "Cukup", 2),
        ("persyaratan", "3", 3),
        ("persyaratan", "3,0", 3),
        ("persyaratan", 2.0, 2),
        # Not answers: a label of another question, a contradiction, off the scale.
        ("persyaratan", "Gratis", None),
        ("persyaratan", "b. Sesuai", None),
        ("persyaratan", "e", None),
        ("persyaratan", "5", None),
        ("persyaratan", "3,5", None),
        ("persyaratan", "1. Tidak sesuai", None),
        ("persyaratan", True, None),
    ],
)
def test_answer_cells_digits_letters_and_labels(unsur_key, cell, expected) -> None:
    reader = AnswerReader(INSTRUMENT)
    assert reader.value(cell, INSTRUMENT.unsur_by_key(unsur_key)) == expected


def test_a_bad_label_says_what_is_allowed() -> None:
    table = [[u.code for u in INSTRUMENT.unsur], ["Gratis", *["4"] * 8]]
    content = "\n".join(",".join(row) for row in table).encode()
    with pytest.raises(TabulationError) as caught:
        read_tabulation_bytes(content, "x.csv", INSTRUMENT)
    assert str(caught.value.errors[0]) == (
        "Baris 2, kolom U1: nilai 'Gratis' tidak sah; isi 1–4 atau kosongkan (huruf a–d atau "
        "jawaban 'Tidak sesuai', 'Kurang sesuai', 'Sesuai', 'Sangat sesuai' juga boleh)."
    )


# --- timestamps ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("15/01/2026 9:41:12", datetime(2026, 1, 15, 9, 41, 12)),  # Google Forms, id locale
        ("15/01/2026 9.41.12", datetime(2026, 1, 15, 9, 41, 12)),  # Indonesian time dots
        ("2026-01-15 09:41:12", datetime(2026, 1, 15, 9, 41, 12)),
        ("2026-01-15T09:41", datetime(2026, 1, 15, 9, 41)),
        ("15/01/2026 0:00:00", date(2026, 1, 15)),
        # Excel serial days: 46037 is 15 January 2026 (day 0 = 30 December 1899);
        # 0.40361111... of a day is 9:41:12 (34872 s / 86400 s).
        (46037, date(2026, 1, 15)),
        (46037 + 34872 / 86400, datetime(2026, 1, 15, 9, 41, 12)),
    ],
)
def test_timestamps_as_forms_and_excel_write_them(cell, expected) -> None:
    assert parse_date_cell(cell) == expected


@pytest.mark.parametrize("cell", ["15/01/2026 25:00:00", "15/01/2026 9:61", "kemarin 9:41", 12])
def test_what_is_not_a_timestamp(cell) -> None:
    with pytest.raises(ValueError, match="tidak dikenali"):
        parse_date_cell(cell)


# --- skm score ------------------------------------------------------------------


def test_skm_score_reads_the_export_as_it_is() -> None:
    result = CliRunner().invoke(score_command, [str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # The mapping goes to stderr, so that a reworded question read by similarity is seen.
    assert "H  2. Bagaimana pemahaman Saudara" in result.stderr
    assert "-> U2 Sistem, Mekanisme, dan Prosedur (teks pertanyaan yang mirip)" in result.stderr
    konversi, mutu = reference_konversi(FIXTURE_ANSWERS)
    assert data["respondents"] == 8
    assert [u["sum"] for u in data["unsur"]] == [
        sum(row[j] or 0 for row in FIXTURE_ANSWERS) for j in range(9)
    ]
    assert (Fraction(str(data["konversi"])), data["mutu"]) == (konversi, mutu)


def test_skm_score_column_corrections(tmp_path: Path) -> None:
    export = tmp_path / "formulir.csv"
    export.write_bytes(FIXTURE.read_bytes().replace(b"Saran dan Masukan", b"Catatan"))
    refused = CliRunner().invoke(score_command, [str(export)])
    assert refused.exit_code == 2
    assert "Baris 1, kolom Catatan: kolom tidak dikenal" in refused.stderr
    assert "P  Catatan -> tidak dikenali" in refused.stderr
    scored = CliRunner().invoke(score_command, [str(export), "--kolom", "P=-", "--json"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["respondents"] == 8
    # Question 8 (sarana) read as U8 instead: two columns for U8, none for U9.
    swapped = CliRunner().invoke(score_command, [str(export), "--kolom", "P=-", "--kolom", "n=U8"])
    assert swapped.exit_code == 2
    assert "unsur U8 sudah ada di kolom" in swapped.stderr
    assert "kolom untuk Sarana dan Prasarana tidak ada" in swapped.stderr
    bad = CliRunner().invoke(score_command, [str(export), "--kolom", "12=U1"])
    assert bad.exit_code == 2 and "bukan huruf kolom" in bad.stderr


# --- staff import -----------------------------------------------------------------


def _settings(session, place, periode: Periode, content: bytes, name="formulir.csv", **extra):
    return ImportSettings(
        unit=session.get(Unit, place.unit_id),
        instrument=INSTRUMENT,
        periode=periode,
        filename=name,
        content=content,
        **extra,
    )


def test_export_imports_whole_each_response_in_its_triwulan(app, place) -> None:
    now = datetime(2025, 7, 1, tzinfo=UTC)
    with app.app_context():
        session = database.session()
        settings = _settings(session, place, Periode.tahun(2025), FIXTURE.read_bytes())
        preview = preview_import(session, settings, JAKARTA, now=now)
        assert preview.errors == [] and preview.ok and preview.count == 8
        # Rows 1-4 by their Jakarta dates in triwulan I, rows 5-8 in triwulan II.
        assert preview.triwulan_counts == [((2025, 1), 4), ((2025, 2), 4)]
        assert preview.sample[0].local_time == time(9, 41, 12)
        run_import(session, settings, session.get(User, place.operator_id), JAKARTA, now=now)
        session.commit()
        rows = session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()
        assert [r.answers(9) for r in rows] == FIXTURE_ANSWERS
        assert [r.submitted_at for r in rows] == FIXTURE_INSTANTS
        assert [r.layanan_id for r in rows] == [place.ktp_id, place.kk_id] * 4
        assert [(r.jenis_kelamin, r.usia, r.pendidikan, r.pekerjaan) for r in rows[:5]] == [
            ("P", 34, "sma", "swasta"),
            ("L", 51, "d4_s1", "pns"),
            ("P", 27, "d4_s1", "wirausaha"),
            ("L", 45, "smp", "lainnya"),
            ("P", 19, "sma", "pelajar_mahasiswa"),
        ]
        assert rows[0].saran == "Antrean pagi terlalu panjang, mohon tambah loket."
        unit = Scope(session.get(Unit, place.unit_id))
        for quarter, expected in ((1, FIXTURE_ANSWERS[:4]), (2, FIXTURE_ANSWERS[4:])):
            result = score(session, INSTRUMENT, Periode.triwulan(2025, quarter), JAKARTA, unit)
            konversi, mutu = reference_konversi(expected)
            assert result.respondents == 4
            assert (Fraction(result.konversi_centi, 100), result.mutu) == (konversi, mutu)


def test_timestamps_outside_the_chosen_triwulan_are_named(app, place) -> None:
    with app.app_context():
        session = database.session()
        settings = _settings(session, place, Periode.triwulan(2025, 1), FIXTURE.read_bytes())
        preview = preview_import(session, settings, JAKARTA, now=datetime(2025, 7, 1, tzinfo=UTC))
        assert not preview.ok
        assert [(e.row, e.column) for e in preview.errors] == [
            (row, "Timestamp") for row in (6, 7, 8, 9)
        ]
        assert "tanggal 1 April 2025 di luar Triwulan I 2025" in preview.errors[0].message
        assert session.scalar(sa.select(sa.func.count(SurveyResponse.id))) == 0


def test_xlsx_export_with_serial_timestamps(app, place) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Cap waktu", *[q.text for q in INSTRUMENT.questions]])
    sheet.append([45672 + 0.5, *["Sangat sesuai", "b", "c. Cepat"], *[4] * 6])  # 15 Jan 2025 12:00
    buffer = io.BytesIO()
    workbook.save(buffer)
    with app.app_context():
        session = database.session()
        settings = _settings(session, place, Periode.triwulan(2025, 1), buffer.getvalue(), "f.xlsx")
        preview = preview_import(session, settings, JAKARTA, now=datetime(2025, 7, 1, tzinfo=UTC))
        assert preview.errors == []
        assert preview.values[0]["submitted_at"] == datetime(2025, 1, 15, 5, tzinfo=UTC)
        assert preview.sample[0].answers == (4, 2, 3, 4, 4, 4, 4, 4, 4)


def _token(html: str) -> str:
    return re.search(r'type="hidden" name="token" value="([^"]+)"', html).group(1)


def test_preview_shows_the_mapping_and_staff_correct_it(app, client, place) -> None:
    login(client, place.operator_id)
    content = FIXTURE.read_bytes().replace(b"Saran dan Masukan", b"Catatan petugas")
    page = client.get(f"/staf/impor/{place.slug}")
    form = {
        "csrf_token": csrf_from(page.data.decode()), "instrument": "permenpan-14-2017@1",
        "tahun": "2025", "bagian": "tahun", "layanan": "0",
        "berkas": (io.BytesIO(content), "formulir.csv"),
    }  # fmt: skip
    first = client.post(f"/staf/impor/{place.slug}", data=form, content_type="multipart/form-data")
    html = first.data.decode()
    assert first.status_code == 422
    assert "Catatan petugas" in html and "tidak dikenali" in html
    assert 'name="kolom-15"' in html and 'name="kolom-7"' in html
    assert "teks pertanyaan yang mirip" in html
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(SurveyResponse.id))) == 0

    # As the browser sends it: every select with what it showed, one changed.
    shown = dict(re.findall(r'name="dibaca-(\d+)" value="([^"]*)"', html))
    assert len(shown) == 16 and shown["15"] == "" and shown["7"] == "U2"
    choices = {f"kolom-{i}": target for i, target in shown.items()}
    choices |= {f"dibaca-{i}": target for i, target in shown.items()}
    choices["kolom-15"] = "saran"
    second = client.post(
        f"/staf/impor/{place.slug}/kolom",
        data={"csrf_token": csrf_from(html), "token": _token(html), **choices},
    )
    html = second.data.decode()
    assert second.status_code == 200, html
    assert "Simpan 8 respons" in html
    # Only the changed column counts as set by staff; the others keep their reason.
    assert html.count(">diatur petugas<") == 1 and "teks pertanyaan yang mirip" in html
    assert '<option selected value="2025">' in html  # the upload form keeps the choices
    assert "TW I 2025: 4 · TW II 2025: 4" in html
    assert "<td>1 April 2025 00.15</td>" in html
    stored = client.post(
        f"/staf/impor/{place.slug}/simpan",
        data={"csrf_token": csrf_from(html), "token": _token(html)},
    )
    assert stored.status_code == 302
    with app.app_context():
        rows = (
            database.session().scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()
        )
        assert [r.answers(9) for r in rows] == FIXTURE_ANSWERS
        assert rows[0].saran == "Antrean pagi terlalu panjang, mohon tambah loket."


def test_a_stale_mapping_token_changes_nothing(client, place) -> None:
    login(client, place.operator_id)
    page = client.get(f"/staf/impor/{place.slug}").data.decode()
    response = client.post(
        f"/staf/impor/{place.slug}/kolom",
        data={"csrf_token": csrf_from(page), "token": "x" * 32, "kolom-0": "U1"},
    )
    assert response.status_code == 302
