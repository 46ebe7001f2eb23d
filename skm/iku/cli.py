"""``skm iku import FILE``: indicators and targets from an IKU data file;
``skm iku tabel``: the realisation table on the terminal or as XLSX."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from skm import database
from skm.config import office_timezone
from skm.formatting import format_number
from skm.iku.datafile import IkuFileError, import_document, read_document
from skm.iku.export import generate_iku_xlsx
from skm.migrations.prepare import prepare_database
from skm.models import Unit
from skm.results.indicators import predikat_scale
from skm.results.realisasi import iku_table
from skm.units import slugify

EXIT_BAD_INPUT = 2


@click.group("iku")
def iku_command() -> None:
    """Indikator Kinerja Utama: impor dokumen IKU dan tabel realisasinya."""


def _unit(session: Session, slug: str | None, name: str) -> Unit | None:
    if slug:
        return session.scalar(sa.select(Unit).where(Unit.slug == slug))
    found = session.scalar(sa.select(Unit).where(sa.func.lower(Unit.name) == name.casefold()))
    return found or session.scalar(sa.select(Unit).where(Unit.slug == slugify(name)))


@iku_command.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--unit",
    "unit_slug",
    default=None,
    help="Alamat (slug) unit tujuan; tanpa ini, unit yang namanya ada di berkas.",
)
@click.option("--dry-run", is_flag=True, help="Periksa saja, jangan simpan.")
@with_appcontext
def import_command(file: Path, unit_slug: str | None, dry_run: bool) -> None:  # fmt: skip
    """Impor indikator dan target IKU dari berkas TOML (lihat data/iku/)."""
    if not file.exists():
        click.echo(f"Galat: berkas '{file}' tidak ditemukan.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        document = read_document(file)
    except IkuFileError as error:
        _fail(file, error.problems)
    prepare_database()  # prints only a backup made before an upgrade
    session = database.session()
    unit = _unit(session, unit_slug, document.unit_name)
    if unit is None:
        wanted = f"'{unit_slug}'" if unit_slug else f"'{document.unit_name}'"
        click.echo(
            f"Galat: unit {wanted} tidak ada. Buat unitnya dulu (skm init --unit-name ...) "
            "atau pilih unit lain dengan --unit SLUG.",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    try:
        summary = import_document(session, unit, document)
    except IkuFileError as error:
        session.rollback()
        _fail(file, error.problems)
    if dry_run:
        session.rollback()
    else:
        session.commit()
    verb = "akan diimpor (uji coba, tidak disimpan)" if dry_run else "diimpor"
    click.echo(f"IKU {unit.name} {verb}:")
    click.echo(f"  {len(summary.created)} indikator baru, {len(summary.updated)} diperbarui, "
               f"{summary.targets} target.")  # fmt: skip
    if summary.renamed_from:
        click.echo(f"  Nama unit di teks diganti: {summary.renamed_from} -> {unit.name}.")
    if summary.predikat:
        click.echo("  Skala predikat unit diganti dengan skala dari berkas.")
    if summary.untouched:
        click.echo(f"  Tidak ada di berkas, dibiarkan: {', '.join(summary.untouched)}.")


def _fail(file: Path, problems: list[str]) -> None:
    click.echo(f"Berkas '{file.name}' tidak dapat diimpor; tidak ada yang disimpan:", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@iku_command.command("tabel")
@click.option("--unit", "unit_slug", required=True, help="Alamat (slug) unit.")
@click.option("--tahun", "year", type=int, default=None, help="Tahun (bawaan: tahun ini).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Simpan sebagai XLSX ke berkas ini.")  # fmt: skip
@with_appcontext
def table_command(unit_slug: str, year: int | None, xlsx_path: Path | None) -> None:
    """Tabel realisasi IKU satu unit untuk satu tahun."""
    session = database.session()
    unit = session.scalar(sa.select(Unit).where(Unit.slug == unit_slug))
    if unit is None:
        click.echo(f"Galat: unit '{unit_slug}' tidak ada.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    today = datetime.now(UTC).astimezone(office_timezone()).date()
    year = year or today.year
    rows = iku_table(session, unit, year)
    if xlsx_path is not None:
        steps, _ = predikat_scale(session, unit)
        content = generate_iku_xlsx(
            rows, unit_name=unit.name, periode_label=f"Tahun {year}", steps=steps,
            generated_on=today,
        )  # fmt: skip
        xlsx_path.write_bytes(content)
        click.echo(f"Tersimpan: {xlsx_path}")
        return
    click.echo(f"Realisasi IKU {unit.name} tahun {year}")
    for row in rows:
        target = row.target_grade or (
            format_number(row.target, 2) if row.target is not None else "–"
        )
        realisasi = row.realisasi_grade or (
            format_number(row.realisasi, 2) if row.realisasi is not None else "–"
        )
        capaian = f"{format_number(row.capaian, 2)}%" if row.capaian is not None else "–"
        click.echo(f"{row.number:>2}. {row.name}")
        click.echo(f"    target {target} {row.satuan} · realisasi {realisasi} · capaian {capaian}"
                   f"{' · ' + row.predikat if row.predikat else ''}")  # fmt: skip
