"""``skm demo``: a demo kecamatan (or kabupaten) with a year of responses."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.demo import KECAMATAN, build_demo, build_kabupaten_demo
from skm.migrations.prepare import prepare_database
from skm.models import SurveyResponse, Unit
from skm.units import slugify


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
    prepare_database()  # prints only a backup made before an upgrade
    session = database.session()
    if session.scalar(sa.select(Unit.id).where(Unit.slug == slugify(KECAMATAN))) is not None:
        count = session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse))
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
