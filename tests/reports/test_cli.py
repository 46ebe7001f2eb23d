"""``skm report``: the same files from the command line."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from skm import database
from tests.reports.helpers import build_office
from tests.reports.test_pdf import pages_of


def test_report_files(app, runner, tmp_path):
    with app.app_context():
        office = build_office(database.session())
    base = ["report", "--unit", office.kecamatan_slug, "--periode", "2026-T2"]
    pdf = tmp_path / "laporan.pdf"
    result = runner.invoke(args=[*base, "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert "BAB V PENUTUP" in " ".join(pages_of(pdf.read_bytes()))
    summary = tmp_path / "ringkasan.pdf"
    assert runner.invoke(args=[*base, "--summary", "-o", str(summary)]).exit_code == 0
    assert len(pages_of(summary.read_bytes())) == 1
    xlsx = tmp_path / "tabulasi.xlsx"
    assert runner.invoke(args=[*base, "--format", "xlsx", "-o", str(xlsx)]).exit_code == 0
    assert "Tabulasi" in load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames
    csv = tmp_path / "respons.csv"
    assert runner.invoke(args=[*base, "--format", "csv", "-o", str(csv)]).exit_code == 0
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")


def test_bad_arguments(app, runner, tmp_path):
    with app.app_context():
        office = build_office(database.session())
    out = tmp_path / "x.pdf"
    cases = [
        (["--unit", "tidak-ada", "--periode", "2026-T2"], "unit 'tidak-ada' tidak ada"),
        (["--unit", office.kecamatan_slug, "--periode", "2026-T7"], "Triwulan harus 1 sampai 4"),
        (["--unit", office.kecamatan_slug, "--periode", "2026-T4"], "Belum ada respons"),
        (["--unit", office.kecamatan_slug, "--periode", "2026-T2", "--format", "csv",
          "--summary"], "--summary hanya untuk --format pdf"),
    ]  # fmt: skip
    for arguments, message in cases:
        result = runner.invoke(args=["report", *arguments, "-o", str(out)])
        assert result.exit_code == 2, arguments
        assert message in result.output
    assert not out.exists()


def test_docx_and_comparison_files(app, runner, tmp_path):
    from docx import Document

    with app.app_context():
        office = build_office(database.session())
    docx = tmp_path / "laporan.docx"
    base = ["report", "--periode", "2026-T2"]
    result = runner.invoke(
        args=[*base, "--unit", office.kecamatan_slug, "--format", "docx", "-o", str(docx)]
    )
    assert result.exit_code == 0, result.output
    headings = [p.text for p in Document(str(docx)).paragraphs if p.style.name == "Heading 1"]
    assert "BAB V\nPENUTUP" in headings
    rekap = tmp_path / "rekap.pdf"
    result = runner.invoke(args=[*base, "--unit", "kabupaten-contoh", "--rekap", "-o", str(rekap)])
    assert result.exit_code == 0, result.output
    assert "LAPORAN REKAPITULASI" in " ".join(pages_of(rekap.read_bytes()))
    for arguments, message in (
        (["--unit", "kabupaten-contoh", "--rekap", "--format", "csv"], "--rekap hanya untuk"),
        (["--unit", "kelurahan-mekarsari", "--rekap"], "tidak memiliki unit di bawahnya"),
    ):
        result = runner.invoke(args=[*base, *arguments, "-o", str(tmp_path / "x.pdf")])
        assert result.exit_code == 2, arguments
        assert message in result.output
