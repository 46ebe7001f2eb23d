"""The report narrative and signing official in the audit log: which sections changed,
shown where they changed; nothing for a refused or empty save."""

from __future__ import annotations

from html import unescape

import pytest

from skm import database
from skm.reports.narrative import changed_excerpts
from tests.reports.helpers import build_office
from tests.reports.test_routes import PERIODE, _unit
from tests.support.audit import last_id, logged
from tests.support.auth import login
from tests.support.forms import post_form

#: The opening of the default penutup of Kecamatan Sukamaju, cut after 60 characters.
DEFAULT_PENUTUP = "Demikian laporan pelaksanaan Survei Kepuasan Masyarakat Keca…"


@pytest.fixture
def office(app):
    with app.app_context():
        return build_office(database.session())


def test_an_excerpt_starts_a_little_before_the_first_difference() -> None:
    before = "A" * 50 + "lama" + "B" * 100
    after = "A" * 50 + "baru" + "B" * 100
    # They first differ at 50; the excerpt starts 20 earlier and shows 60 characters.
    assert changed_excerpts(before, after) == (
        "…" + "A" * 20 + "lama" + "B" * 36 + "…",
        "…" + "A" * 20 + "baru" + "B" * 36 + "…",
    )
    assert changed_excerpts("Baris satu.\nBaris dua.", "") == ("Baris satu. Baris dua.", "")


def test_each_narrative_save_logs_the_sections_it_changed(app, client, office, make_user) -> None:
    start = last_id(app)  # the office's own set-up wrote entries already
    login(client, make_user(_unit(app, office.kecamatan_id), "operator", "penulis"))
    url = f"/staf/laporan/{office.kecamatan_slug}/narasi{PERIODE}"
    first = post_form(client, url, {"penutup": "Demikian, terima kasih.",
                                    "report_date": "2026-07-10"})  # fmt: skip
    assert first.status_code == 302
    second_form = {"penutup": "", "analisis": "Catatan baru.", "include_saran": "y",
                   "report_date": "2026-07-10"}  # fmt: skip
    assert post_form(client, url, second_form).status_code == 302
    assert post_form(client, url, second_form).status_code == 302  # the same again: no entry
    edited, returned = logged(app, after=start)
    assert (edited.action, edited.username, edited.unit_id, edited.object_type) == (
        "laporan.narasi", "penulis", office.kecamatan_id, "ReportNarrative",
    )  # fmt: skip
    assert edited.summary == (
        "Laporan Kecamatan Sukamaju Triwulan II 2026; "
        "bagian yang diubah: penutup, saran dicantumkan, tanggal laporan"
    )
    assert edited.changes == {
        "penutup": [DEFAULT_PENUTUP, "Demikian, terima kasih."],
        "include_saran": [True, False],  # the box was not ticked
        "report_date": [None, "10 Juli 2026"],
    }
    assert returned.changes == {
        "analisis": ["", "Catatan baru."],
        # Emptied: the section prints its default again, and the log says so.
        "penutup": ["Demikian, terima kasih.", f"{DEFAULT_PENUTUP} (teks bawaan)"],
        "include_saran": [False, True],
    }

    reset = f"/staf/laporan/{office.kecamatan_slug}/narasi/bawaan{PERIODE}"
    assert post_form(client, reset).status_code == 302
    assert post_form(client, reset).status_code == 302  # nothing left to reset: no entry
    (back,) = logged(app, after=returned.id)
    assert (back.action, back.username, back.unit_id) == (
        "laporan.narasi_bawaan", "penulis", office.kecamatan_id,
    )  # fmt: skip
    assert back.summary == (
        "Laporan Kecamatan Sukamaju Triwulan II 2026: semua bagian kembali ke teks bawaan"
    )
    assert back.changes == {
        "analisis": ["Catatan baru.", "(teks bawaan)"],
        "report_date": ["10 Juli 2026", None],
    }


def test_the_admin_reads_narrative_changes_in_the_log(app, client, office, make_user) -> None:
    kecamatan = _unit(app, office.kecamatan_id)
    login(client, make_user(kecamatan, "operator", "penulis"))
    post_form(client, f"/staf/laporan/{office.kecamatan_slug}/narasi{PERIODE}",
              {"penutup": "Demikian, terima kasih."})  # fmt: skip
    login(client, make_user(kecamatan, "admin", "admin.kecamatan"))
    page = unescape(client.get("/admin/log?aksi=laporan.narasi").get_data(as_text=True))
    assert "Narasi laporan diubah" in page and "penulis" in page
    assert f"penutup: {DEFAULT_PENUTUP} → Demikian, terima kasih." in page
    assert "saran dicantumkan: ya → tidak" in page


def test_a_new_signing_official_is_logged_field_by_field(app, client, office, make_user) -> None:
    kecamatan = _unit(app, office.kecamatan_id)
    start = last_id(app)
    login(client, make_user(kecamatan, "operator", "penulis"))
    form = {"jabatan": "Camat Sukamaju", "nama": "Hj. Rina", "pangkat": "Pembina (IV/a)",
            "nip": "19800202 200501 2 002", "tempat": "Sukamaju"}  # fmt: skip
    url = f"/staf/laporan/{office.kecamatan_slug}/penandatangan{PERIODE}"
    assert post_form(client, url, form).status_code == 302
    assert post_form(client, url, form).status_code == 302  # the same again: no entry
    (entry,) = logged(app, after=start)
    assert (entry.action, entry.username, entry.unit_id) == (
        "laporan.penandatangan", "penulis", office.kecamatan_id,
    )  # fmt: skip
    assert entry.summary == "Penandatangan laporan Kecamatan Sukamaju: Camat Sukamaju, Hj. Rina"
    assert entry.changes == {
        "nama": ["Drs. H. Ahmad Sutisna, M.Si.", "Hj. Rina"],
        "pangkat": ["Pembina Tingkat I (IV/b)", "Pembina (IV/a)"],
        "nip": ["197001011990031001", "198002022005012002"],
    }


def test_refused_report_changes_leave_no_entry(app, client, office, make_user) -> None:
    kecamatan = _unit(app, office.kecamatan_id)
    start = last_id(app)
    base = f"/staf/laporan/{office.kecamatan_slug}"
    login(client, make_user(kecamatan, "operator", "penulis"))
    assert (
        post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "x" * 10_001}).status_code == 400
    )
    bad_nip = post_form(client, f"{base}/penandatangan{PERIODE}", {"nama": "Budi", "nip": "12345"})
    assert bad_nip.status_code == 400
    no_token = client.post(f"{base}/narasi{PERIODE}", data={"penutup": "tanpa token"})
    assert no_token.status_code == 400
    login(client, make_user(kecamatan, "pimpinan"))
    assert post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "x"}).status_code == 403
    assert post_form(client, f"{base}/penandatangan{PERIODE}", {"nama": "x"}).status_code == 403
    # A kelurahan operator cannot reach the kecamatan's report.
    login(client, make_user(_unit(app, office.kelurahan_id), "operator"))
    assert post_form(client, f"{base}/narasi{PERIODE}", {"penutup": "x"}).status_code == 404
    assert logged(app, after=start) == []
