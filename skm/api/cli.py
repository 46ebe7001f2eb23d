"""``skm token ...``: API tokens for other systems."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from skm import database
from skm.config import office_timezone
from skm.formatting import local_time
from skm.models import Unit
from skm.models.api import ApiToken
from skm.tokens import create_token, revoke_token


@click.group("token")
def token_command() -> None:
    """Token API untuk sistem lain (POST /api/v1/responses, GET /api/v1/ikm)."""


@token_command.command("create")
@click.option(
    "--unit", "slug", required=True, help="Alamat (slug) unit; berlaku juga untuk sub-unitnya."
)
@click.option("--name", required=True, help="Nama pengenal, mis. 'Aplikasi antrean'.")
@with_appcontext
def create(slug: str, name: str) -> None:
    """Buat token baru; token hanya ditampilkan sekali."""
    session = database.session()
    unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None:
        click.echo(f"Galat: unit '{slug}' tidak ditemukan.", err=True)
        sys.exit(2)
    try:
        token, plain = create_token(session, name, unit)
    except ValueError as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(2)
    session.commit()
    click.echo(f"Token '{token.name}' untuk {unit.name} dan sub-unitnya (awalan {token.prefix}):")
    click.echo(plain)
    click.echo("Simpan sekarang: token ini tidak dapat ditampilkan lagi.")


@token_command.command("list")
@with_appcontext
def list_tokens() -> None:
    """Daftar token (tanpa rahasianya)."""
    tz = office_timezone()
    tokens = database.session().scalars(sa.select(ApiToken).order_by(ApiToken.id)).all()
    if not tokens:
        click.echo("Belum ada token.")
        return
    for token in tokens:
        state = "aktif" if token.active else f"dicabut {local_time(token.revoked_at, tz)}"
        used = local_time(token.last_used_at, tz) if token.last_used_at else "belum pernah"
        click.echo(
            f"{token.prefix}…  {token.name}  ({token.unit.slug})  {state}; terakhir dipakai: {used}"
        )


@token_command.command("revoke")
@click.argument("prefix")
@with_appcontext
def revoke(prefix: str) -> None:
    """Cabut token berawalan PREFIX (lihat 'skm token list')."""
    session = database.session()
    matches = session.scalars(
        sa.select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.revoked_at.is_(None))
    ).all()
    if len(matches) != 1:
        click.echo(
            f"Galat: {'tidak ada' if not matches else 'lebih dari satu'} token aktif "
            f"berawalan '{prefix}'.",
            err=True,
        )
        sys.exit(2)
    revoke_token(session, matches[0])
    session.commit()
    click.echo(f"Token '{matches[0].name}' dicabut.")
