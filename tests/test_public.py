"""The public results pages."""

from __future__ import annotations

from skm import database
from tests.support.factories import demo_office


def test_index_and_results_page(app, client) -> None:
    with app.app_context():
        session = database.session()
        summary = demo_office(session, responses=400)
        session.commit()
        slug = summary.kecamatan.slug
    index = client.get("/")
    assert index.status_code == 200
    assert "Kecamatan Sukamaju" in index.text
    assert 'lang="id"' in index.text
    page = client.get(f"/hasil/{slug}?periode=2026-T2")
    assert page.status_code == 200
    assert "Triwulan II 2026" in page.text
    assert "Penanganan Pengaduan, Saran dan Masukan" in page.text
    assert "Triwulan III 2025" in page.text  # the trend starts three triwulan back


def test_unknown_unit_and_bad_periode(app, client) -> None:
    assert client.get("/hasil/tidak-ada").status_code == 404
    with app.app_context():
        from skm.units import create_unit

        session = database.session()
        create_unit(session, "Kelurahan Uji", "kelurahan")
        session.commit()
    page = client.get("/hasil/kelurahan-uji?periode=2026-Q9")
    assert page.status_code == 200
    assert "tidak dikenal" in page.text
    assert "Belum ada respons" in page.text
