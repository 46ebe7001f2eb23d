"""Views of the public results pages."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.ikm import Scope, score, score_periodes
from skm.models import Unit
from skm.periode import Periode, PeriodeError, periode_of

bp = Blueprint("public", __name__)

#: Below this many respondents a public page shows no score: with one or two
#: respondents the NRR per unsur are their answers (docs/security.md).
DEFAULT_MIN_RESPONDENTS = 5


def min_respondents() -> int:
    """``SKM_PUBLIC_MIN_RESPONDENTS`` (5): fewer respondents, no published scores."""
    return int(current_app.config.get("SKM_PUBLIC_MIN_RESPONDENTS") or DEFAULT_MIN_RESPONDENTS)


@bp.get("/")
def index() -> str:
    """List the units whose results are published."""
    session = database.session()
    units = session.scalars(sa.select(Unit).order_by(Unit.path)).all()
    return render_template("public/index.html", units=units)


@bp.get("/hasil/<slug>")
def hasil(slug: str) -> str:
    """The IKM of one unit for a periode (default: the current triwulan), with its trend."""
    session = database.session()
    unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
    if unit is None:
        abort(404)
    tz = office_timezone()
    code = request.args.get("periode", "")
    error = None
    try:
        periode = Periode.parse(code) if code else periode_of(datetime.now(tz), "triwulan", tz)
    except PeriodeError as exc:
        error = str(exc)
        periode = periode_of(datetime.now(tz), "triwulan", tz)
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    scope = Scope(unit=unit)
    result = score(session, instrument, periode, tz, scope)
    trend = score_periodes(session, instrument, periode.history(4), tz, scope)
    now = periode_of(datetime.now(tz), "triwulan", tz)
    choices = [
        *reversed(now.history(8)),
        *reversed(periode_of(datetime.now(tz), "semester", tz).history(4)),
        *reversed(periode_of(datetime.now(tz), "tahun", tz).history(3)),
    ]
    return render_template(
        "public/hasil.html",
        unit=unit,
        periode=periode,
        choices=choices if periode in choices else [periode, *choices],
        instrument=instrument,
        result=result,
        trend=[(p, trend.result(p.code)) for p in periode.history(4)],
        error=error,
        min_respondents=min_respondents(),
    )
