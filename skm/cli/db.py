"""``skm db``: the schema revision, upgrading and backing up the database, its summaries."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from skm import database, migrations
from skm.formatting import format_number
from skm.migrations import backup
from skm.migrations.prepare import prepare_database
from skm.summaries import maintenance, summary_timezone

#: Differences check-summaries lists one by one.
CHECK_LISTED = 20


@click.group("db")
def db_command() -> None:
    """Skema basis data: lihat revisinya, perbarui ke versi SKM terpasang, cadangkan."""


@db_command.command("upgrade", short_help="Perbarui skema ke revisi terbaru.")
@with_appcontext
def upgrade_command() -> None:
    """Perbarui skema basis data ke revisi terbaru; semua data tetap ada."""
    click.echo(prepare_database())


@db_command.command("backup", short_help="Cadangkan basis data SQLite.")
@click.option(
    "--to",
    "to",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder tujuan, atau berkas baru, mis. E:\\skm-juli.sqlite3 "
    "(bawaan: folder 'cadangan' di folder instance).",
)
@with_appcontext
def backup_command(to: Path | None) -> None:
    """Salin basis data SQLite ke berkas cadangan; aman selagi SKM berjalan.

    Cadangan manual tidak pernah dihapus oleh SKM. Basis data PostgreSQL
    dicadangkan dengan pg_dump.
    """
    path = backup.manual_backup(database.engine(), migrations.instance_backup_folder(), to)
    click.echo(f"Basis data dicadangkan ke {path}")


@db_command.command("rebuild-summaries", short_help="Hitung ulang ringkasan dari semua respons.")
@with_appcontext
def rebuild_summaries_command() -> None:
    """Hitung ulang tabel ringkasan (per unit, layanan, hari dan bulan) dari semua respons.

    Perlu setelah basis data dipulihkan dari cadangan, setelah respons diubah
    langsung dengan SQL, atau setelah SKM_TIMEZONE diganti.
    """
    with database.engine().begin() as connection:
        rows = maintenance.rebuild(connection, summary_timezone())
    click.echo(f"Ringkasan dihitung ulang dari respons: {format_number(rows, 0)} baris per hari.")


@db_command.command("check-summaries", short_help="Bandingkan ringkasan dengan respons.")
@with_appcontext
def check_summaries_command() -> None:
    """Bandingkan tabel ringkasan dengan jumlah yang dihitung dari respons; sebutkan bedanya."""
    with database.engine().connect() as connection:
        found = maintenance.differences(connection, summary_timezone())
    if not found:
        click.echo("Ringkasan sesuai dengan respons.")
        return
    click.echo(f"Ringkasan berbeda dari respons di {format_number(len(found), 0)} nilai:", err=True)
    for difference in found[:CHECK_LISTED]:
        click.echo(f"  {difference}", err=True)
    if len(found) > CHECK_LISTED:
        click.echo(f"  ... dan {format_number(len(found) - CHECK_LISTED, 0)} lagi.", err=True)
    click.echo("Jalankan 'skm db rebuild-summaries' untuk menghitungnya ulang.", err=True)
    sys.exit(1)


@db_command.command("current", short_help="Tampilkan revisi skema basis data.")
@with_appcontext
def current_command() -> None:
    """Tampilkan revisi skema basis data dan revisi terbaru versi SKM ini."""
    engine = database.engine()
    head = migrations.head_revision()
    with engine.connect() as connection:
        current = migrations.current_revision(connection)
        has_tables = migrations.has_skm_tables(connection)
    click.echo(f"Basis data: {engine.url.render_as_string(hide_password=True)}")
    if current == head:
        click.echo(f"Revisi skema: {current} (terbaru)")
    elif current is not None:
        click.echo(f"Revisi skema: {current}; terbaru: {head}. Jalankan 'skm db upgrade'.")
    elif has_tables:
        click.echo(
            "Revisi skema: belum tercatat (dibuat oleh versi SKM sebelum ada migrasi); "
            f"terbaru: {head}. Jalankan 'skm db upgrade'."
        )
    else:
        click.echo(f"Basis data masih kosong; 'skm init' membuat skema revisi {head}.")


@db_command.command("revision", short_help="Pengembang: buat berkas migrasi.")
@click.option(
    "-m",
    "--message",
    required=True,
    help="Ringkasan perubahan dalam bahasa Inggris, mis. 'add note to unit'.",
)
def revision_command(message: str) -> None:
    """Untuk pengembang: buat berkas migrasi dari perubahan model (lihat docs/database.md)."""
    path = migrations.new_revision(message)
    if path is None:
        click.echo("Model sama dengan revisi terbaru; tidak ada berkas migrasi yang dibuat.")
        sys.exit(1)
    click.echo(f"Berkas migrasi dibuat: {path}")
    click.echo("Baca dan rapikan isinya, lalu jalankan tests/storage/test_migrations.py.")
