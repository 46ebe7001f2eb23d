"""``skm init`` and ``skm demo`` against a real database."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from questionnaires import get_instrument
from skm import database
from skm.demo import build_demo
from skm.ikm import Scope, score
from skm.models import Layanan, SurveyResponse, Unit, User


def _count(model) -> int:
    return database.session().scalar(sa.select(sa.func.count()).select_from(model))


def test_init_creates_schema_and_first_admin(app, runner) -> None:
    result = runner.invoke(
        args=["init", "--unit-name", "Kecamatan Bantargebah", "--admin-password", "rahasia-kantor"]
    )
    assert result.exit_code == 0, result.output
    assert "permenpan-14-2017 v1: 9 unsur" in result.output
    assert "kepmenpan-25-2004 v1: 14 unsur" in result.output
    with app.app_context():
        user = database.session().scalar(sa.select(User))
        assert user is not None
        assert (user.username, user.role, user.unit.name) == (
            "admin",
            "admin",
            "Kecamatan Bantargebah",
        )
        assert user.check_password("rahasia-kantor")
        assert not user.check_password("rahasia-kantoR")
        assert "rahasia-kantor" not in user.password_hash

    again = runner.invoke(args=["init", "--admin-password", "lain-lain-99"])
    assert again.exit_code == 0
    assert "sudah ada" in again.output
    with app.app_context():
        assert _count(User) == 1


def test_init_generates_a_password_when_none_is_given(app, runner) -> None:
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Kata sandi awal: ")[1].split()[0]
    with app.app_context():
        assert database.session().scalar(sa.select(User)).check_password(password)


def test_init_refuses_a_short_password(app, runner) -> None:
    result = runner.invoke(args=["init", "--admin-password", "pendek"])
    assert result.exit_code == 2
    assert "minimal 12 karakter" in result.output  # 8 before issue 16
    with app.app_context():
        assert _count(User) == 0


def test_demo_builds_a_kecamatan_once(app, runner) -> None:
    result = runner.invoke(args=["demo", "--responses", "600"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count(SurveyResponse) == 600
        assert _count(Unit) == 6
        assert _count(Layanan) == 6 + 5 * 4
    again = runner.invoke(args=["demo", "--responses", "600"])
    assert "sudah ada" in again.output
    with app.app_context():
        assert _count(SurveyResponse) == 600


def test_demo_kabupaten_from_the_command_line(app, runner) -> None:
    result = runner.invoke(args=["demo", "--kabupaten", "--responses", "400"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        # 1 kabupaten, 4 kecamatan, 5 + 3 + 3 + 2 kelurahan/desa.
        assert _count(Unit) == 18
        kabupaten = database.session().scalar(sa.select(Unit).where(Unit.kind == "kabupaten"))
        assert kabupaten is not None and len(kabupaten.children) == 4


def test_demo_kabupaten_keeps_the_kecamatan_of_the_plain_demo(session) -> None:
    from zoneinfo import ZoneInfo

    from skm.demo import build_kabupaten_demo

    instrument = get_instrument("permenpan-14-2017")
    tz = ZoneInfo("Asia/Jakarta")
    today = date(2026, 11, 23)
    kabupaten, summaries = build_kabupaten_demo(session, instrument, tz, responses=600,
                                                today=today)  # fmt: skip
    session.commit()
    assert [s.kecamatan.parent_id for s in summaries] == [kabupaten.id] * 4
    # Kecamatan Sukamaju: the same responses as the plain demo (same seed, same model),
    # built again in a database of its own.
    from tests.conftest import newest_schema

    engine = database.make_engine("sqlite://")
    newest_schema(engine)
    with database.make_sessionmaker(engine)() as other:
        plain = build_demo(other, instrument, tz, responses=600, today=today)
        other.commit()
        for periode in plain.periodes:
            first = score(session, instrument, periode, tz, Scope(summaries[0].kecamatan))
            again = score(other, instrument, periode, tz, Scope(plain.kecamatan))
            assert first is not None and again is not None
            assert first.konversi_centi == again.konversi_centi
            assert first.respondents == again.respondents
    engine.dispose()


def test_demo_data_is_plausible(session) -> None:
    instrument = get_instrument("permenpan-14-2017")
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Jakarta")
    summary = build_demo(session, instrument, tz, responses=3000, today=date(2026, 11, 23))
    session.commit()
    assert [p.code for p in summary.periodes] == ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]
    scope = Scope(unit=summary.kecamatan)
    results = [score(session, instrument, p, tz, scope) for p in summary.periodes]
    assert all(r is not None for r in results)
    konversi = [r.konversi for r in results]
    # Plausible: between Kurang Baik and Sangat Baik, improving over the year.
    assert all(65 <= k <= 95 for k in konversi), konversi
    assert konversi[-1] > konversi[0]
    assert sum(r.respondents for r in results) == 3000
    # Every pendidikan and pekerjaan the questionnaire offers occurs.
    for field in ("pendidikan", "pekerjaan"):
        column = getattr(SurveyResponse, field)
        seen = set(session.scalars(sa.select(column).distinct().where(column.is_not(None))))
        offered = {option.key for option in instrument.profile_field(field).options}
        assert seen == offered, field
    # biaya (U4) is rated best and pengaduan (U8) has blanks.
    first = results[0]
    assert max(first.unsur, key=lambda s: s.nrr) is first.unsur[3]
    assert first.unsur[7].count < first.respondents
