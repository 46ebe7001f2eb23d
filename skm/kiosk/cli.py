"""``skm kiosk ...``: open, list and close kiosks from the command line."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from skm import database
from skm.kiosk.kiosks import KioskError, close_kiosk, open_kiosk
from skm.models import Layanan, Unit
from skm.models.kiosk import Kiosk


@click.group("kiosk")
def kiosk_command() -> None:
    """Kios survei: tablet di loket."""


def _kiosk_path(kiosk: Kiosk) -> str:
    with current_app.test_request_context():
        from flask import url_for

        return url_for("kiosk.kiosk_page", token=kiosk.token)


@kiosk_command.command("open")
@click.option("--unit", "slug", required=True, help="Alamat (slug) unit.")
@click.option("--name", required=True, help="Nama kios, mis. 'Loket 1'.")
@click.option("--layanan", default=None, help="Nama jenis layanan tetap (opsional).")
@with_appcontext
def open_command(slug: str, name: str, layanan: str | None) -> None:
    """Buka kios baru dan cetak alamatnya untuk dibuka di tablet."""
    session = database.session()
    unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None:
        click.echo(f"Galat: unit '{slug}' tidak ditemukan.", err=True)
        sys.exit(2)
    fixed = None
    if layanan:
        fixed = session.scalar(
            sa.select(Layanan).where(Layanan.unit_id == unit.id, Layanan.name == layanan)
        )
        if fixed is None:
            click.echo(f"Galat: {unit.name} tidak memiliki layanan '{layanan}'.", err=True)
            sys.exit(2)
    try:
        kiosk = open_kiosk(session, unit, name, fixed)
    except KioskError as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(2)
    session.commit()
    click.echo(f"Kios '{kiosk.name}' (#{kiosk.id}) dibuka untuk {unit.name}.")
    click.echo(f"Buka di tablet: http://<alamat-server>{_kiosk_path(kiosk)}")


@kiosk_command.command("list")
@with_appcontext
def list_command() -> None:
    """Daftar kios dengan status dan antreannya."""
    kiosks = database.session().scalars(sa.select(Kiosk).order_by(Kiosk.id)).all()
    if not kiosks:
        click.echo("Belum ada kios.")
        return
    for kiosk in kiosks:
        state = "terbuka" if kiosk.active else "ditutup"
        click.echo(
            f"#{kiosk.id}  {kiosk.name}  ({kiosk.unit.slug})  {state}, antrean {kiosk.queue_length}"
        )


@kiosk_command.command("close")
@click.argument("kiosk_id", type=int)
@with_appcontext
def close_command(kiosk_id: int) -> None:
    """Tutup kios nomor KIOSK_ID."""
    session = database.session()
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        click.echo(f"Galat: kios #{kiosk_id} tidak ada.", err=True)
        sys.exit(2)
    close_kiosk(session, kiosk)
    session.commit()
    click.echo(f"Kios '{kiosk.name}' ditutup.")
