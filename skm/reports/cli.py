"""``skm report``: a report file from the command line (or a scheduled job)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.models import Unit
from skm.periode import Periode, PeriodeError
from skm.reports.service import produce
from skm.results.subject import ReportError

EXIT_BAD_INPUT = 2


@click.command("report")
@click.option(
    "--unit", "unit_slug", required=True, help="Alamat (slug) unit, mis. kecamatan-sukamaju."
)
@click.option(
    "--periode", "periode_code", required=True, help="2025-T1 (triwulan), 2025-S1 atau 2025."
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["pdf", "docx", "xlsx", "csv"]),
    default="pdf",
    show_default=True,
)
@click.option(
    "--summary", is_flag=True, help="Ringkasan satu halaman untuk papan pengumuman (PDF)."
)
@click.option(
    "--rekap",
    "comparison",
    is_flag=True,
    help="Rekapitulasi unit di bawahnya (kabupaten/instansi): PDF, DOCX atau XLSX.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Berkas tujuan.",
)
@with_appcontext
def report_command(
    unit_slug: str,
    periode_code: str,
    file_format: str,
    summary: bool,
    comparison: bool,
    output: Path,
) -> None:
    """Buat laporan SKM (PDF atau DOCX), tabulasi (XLSX) atau data respons (CSV) satu periode."""
    if summary and file_format != "pdf":
        click.echo("Galat: --summary hanya untuk --format pdf.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        periode = Periode.parse(periode_code)
    except PeriodeError as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    session = database.session()
    unit = session.scalar(sa.select(Unit).where(Unit.slug == unit_slug))
    if unit is None:
        click.echo(f"Galat: unit '{unit_slug}' tidak ada.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if comparison and (summary or file_format == "csv"):
        click.echo("Galat: --rekap hanya untuk --format pdf, docx atau xlsx.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    kind = "ringkasan" if summary else file_format
    if comparison:
        kind = f"rekap-{file_format}"
    try:
        content = produce(
            session, get_instrument(DEFAULT_INSTRUMENT_KEY), office_timezone(), unit, periode, kind
        )
    except ReportError as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    output.write_bytes(content)
    click.echo(f"{output} ditulis ({len(content):,} bita).".replace(",", "."))
