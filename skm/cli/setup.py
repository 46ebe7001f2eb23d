"""``skm init`` and ``skm demo``."""

from __future__ import annotations

import secrets
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from questionnaires import DEFAULT_INSTRUMENT_KEY, InstrumentError, get_instrument, registry
from skm import database, office_timezone
from skm.cli.db import prepare_database
from skm.models import UNIT_KINDS, Response, Unit, User


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
    from skm.units import create_unit, create_user, root_units

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


@click.command("demo")
@click.option("--responses", default=4000, show_default=True, type=click.IntRange(1, 2_000_000))
@click.option("--seed", default=2017, show_default=True, type=int)
@click.option(
    "--kabupaten",
    is_flag=True,
    help="Kecamatan contoh di bawah kabupaten contoh, bersama tiga kecamatan lain.",
)
@with_appcontext
def demo_command(responses: int, seed: int, kabupaten: bool) -> None:
    """Isi basis data dengan kecamatan contoh dan respons selama empat triwulan."""
    from skm.demo import KECAMATAN, build_demo, build_kabupaten_demo
    from skm.units import slugify

    prepare_database()  # prints only a backup made before an upgrade
    session = database.session()
    if session.scalar(sa.select(Unit.id).where(Unit.slug == slugify(KECAMATAN))) is not None:
        count = session.scalar(sa.select(sa.func.count()).select_from(Response))
        click.echo(f"Data contoh sudah ada ({count} respons); tidak ditambah lagi.")
        return
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    if kabupaten:
        unit, summaries = build_kabupaten_demo(
            session, instrument, office_timezone(), responses=responses, seed=seed
        )
        session.commit()
        total = sum(s.responses for s in summaries)
        click.echo(f"{unit.name}: {len(summaries)} kecamatan, {total} respons.")
        return
    summary = build_demo(session, instrument, office_timezone(), responses=responses, seed=seed)
    session.commit()
    first, last = summary.periodes[0], summary.periodes[-1]
    click.echo(
        f"{summary.kecamatan.name}: {summary.units} unit, {summary.layanan} jenis layanan, "
        f"{summary.responses} respons ({first.label} – {last.label})."
    )
