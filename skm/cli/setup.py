"""``skm init``: the database, the questionnaires and the first admin."""

from __future__ import annotations

import secrets
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from questionnaires import InstrumentError, registry
from skm import database
from skm.migrations.prepare import prepare_database
from skm.models import UNIT_KINDS, User
from skm.units import create_unit, create_user, root_units


@click.command("init")
@click.option("--unit-name", default=None, help="Nama unit induk, mis. 'Kecamatan Sukamaju'.")
@click.option(
    "--unit-kind",
    type=click.Choice(UNIT_KINDS),
    default="kecamatan",
    show_default=True,
)
@click.option("--admin-username", default="admin", show_default=True)
@click.option(
    "--admin-password",
    envvar="SKM_ADMIN_PASSWORD",
    default=None,
    help="Kata sandi admin pertama (atau variabel SKM_ADMIN_PASSWORD); "
    "tanpa ini dibuatkan kata sandi acak.",
)
@with_appcontext
def init_command(
    unit_name: str | None, unit_kind: str, admin_username: str, admin_password: str | None
) -> None:
    """Buat basis data, periksa kuesioner, dan buat admin pertama."""
    try:
        instruments = registry()
    except InstrumentError as error:
        click.echo(f"Galat kuesioner: {error}", err=True)
        sys.exit(1)
    schema = prepare_database()
    click.echo(f"Basis data siap: {database.engine().url.render_as_string(hide_password=True)}")
    click.echo(f"  {schema}")
    for (key, version), instrument in sorted(instruments.items()):
        click.echo(f"  kuesioner {key} v{version}: {instrument.n_unsur} unsur")

    session = database.session()
    if session.scalar(sa.select(sa.func.count()).select_from(User)):
        click.echo("Akun staf sudah ada; tidak ada akun baru yang dibuat.")
        return
    roots = root_units(session)
    unit = roots[0] if roots else create_unit(session, unit_name or "Unit Layanan", unit_kind)
    generated = admin_password is None
    password = admin_password or secrets.token_urlsafe(12)
    try:
        admin = create_user(session, admin_username, password, "admin", unit, "Administrator")
    except ValueError as error:
        session.rollback()
        click.echo(f"Galat: {error}", err=True)
        sys.exit(2)
    # A generated password has been on the screen: it is replaced at the first sign-in.
    admin.must_change_password = generated
    session.commit()
    click.echo(f"Admin '{admin_username}' dibuat untuk {unit.name}.")
    if generated:
        click.echo(
            f"Kata sandi awal: {password}   (SKM meminta Anda menggantinya saat pertama masuk)"
        )
