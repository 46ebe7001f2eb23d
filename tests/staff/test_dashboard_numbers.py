"""Dashboard numbers against values worked out by hand (fractions) for a small office.

See tests/staff/helpers.py for the office. Every expected value below is
derived in the comments from the answers, never from the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sqlalchemy as sa
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from scoring import konversi_interval
from skm import database
from skm.config import office_timezone
from skm.models import Unit, User
from skm.results.dashboard import Selection, build_dashboard
from skm.results.population import set_population
from tests.staff.helpers import R1, R2, R3, R4, R5, T1, T2, build_office, exclude
from tests.support.auth import signed_in_client
from tests.support.reference import reference_konversi


def rounded(fraction: Fraction) -> float:
    """Konversi rounded half-up to two decimals, from an exact fraction."""
    return math.floor(fraction * 100 + Fraction(1, 2)) / 100


@pytest.fixture
def office(app: Flask):
    with app.app_context():
        return build_office(database.session())


def board(app: Flask, unit_id: int, periode=T2, **kwargs):
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, unit_id)
        instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
        return build_dashboard(
            session, instrument, office_timezone(), Selection(unit, periode, **kwargs)
        )


def test_kecamatan_rolls_up_its_kelurahan_and_their_loket(app, office) -> None:
    result = board(app, office.k).result
    # R1..R5 (the excluded response left out). Σ per unsur over five answers:
    # U1 4+3+4+2+3=16, U2 16, U3 14, U4 14, U5 16, U6 16, U7 14, U8 14;
    # U9 4+3+2+3=12 over four answers (R3 left it blank).
    nrr = [
        Fraction(16, 5),
        Fraction(16, 5),
        Fraction(14, 5),
        Fraction(14, 5),
        Fraction(16, 5),
        Fraction(16, 5),
        Fraction(14, 5),
        Fraction(14, 5),
        Fraction(3),
    ]
    assert [u.sum for u in result.unsur] == [16, 16, 14, 14, 16, 16, 14, 14, 12]
    assert [u.count for u in result.unsur] == [5, 5, 5, 5, 5, 5, 5, 5, 4]
    assert [Fraction(u.sum, u.count) for u in result.unsur] == nrr
    # Σ NRR = 64/5 + 56/5 + 3 = 27; IKM = 27/9 = 3; konversi 75,00: C, Kurang Baik.
    assert sum(nrr) / 9 == 3
    assert (result.respondents, result.konversi, result.mutu, result.kinerja) == (
        5,
        75.0,
        "C",
        "Kurang Baik",
    )
    assert reference_konversi([R1, R2, R3, R4, R5]) == (Fraction(75), "C")


def test_unit_alone_and_one_layanan(app, office) -> None:
    assert board(app, office.k, include_subunits=False).result.konversi == 100.0  # R1 only
    # Domisili of kelurahan A: R2 and R3. NRR 7/2, 3, 5/2, 2, 7/2, 3, 5/2, 2 and U9 3/1;
    # Σ = 25; konversi = 25/9 x 25 = 69,444 -> 69,44 (C).
    result = board(app, office.k, layanan_id=office.domisili_a).result
    assert result.respondents == 2
    assert result.konversi == rounded(Fraction(25, 9) * 25) == 69.44
    assert result.mutu == "C"


def test_sub_units_side_by_side(app, office) -> None:
    rows = {row.key: row for row in board(app, office.k).subunit_rows}
    assert set(rows) == {office.k, office.a, office.b}
    # K's own office: R1 alone, 100,00.
    assert (rows[office.k].respondents, rows[office.k].result.konversi) == (1, 100.0)
    assert rows[office.k].name == "Kecamatan K (kantor sendiri)"
    # A with its loket A1: R2, R3, R4. NRR 9/3, 8/3, 7/3, 6/3, 9/3, 8/3, 7/3, 6/3 and
    # U9 (3+2)/2; Σ = 10 + 30/3 + 5/2 = 45/2; IKM 5/2; konversi 62,50 (D).
    assert rows[office.a].respondents == 3
    assert rows[office.a].result.konversi == rounded(Fraction(45, 2) / 9 * 25) == 62.5
    assert rows[office.a].result.mutu == "D"
    assert rows[office.a].slug == office.a_slug
    # B: R5 (Σ 31) -> 31/9 x 25 = 86,11 (B); the excluded response does not count.
    assert (rows[office.b].respondents, rows[office.b].result.konversi) == (1, 86.11)


def test_layanan_of_the_same_name_count_together(app, office) -> None:
    rows = {row.name: row for row in board(app, office.k).layanan_rows}
    assert set(rows) == {"KTP", "Domisili (2 unit)", "SKTM"}
    # Domisili at A and at A1: R2, R3, R4, as for kelurahan A above.
    assert (rows["Domisili (2 unit)"].respondents, rows["Domisili (2 unit)"].result.konversi) == (
        3,
        62.5,
    )
    assert rows["Domisili (2 unit)"].key is None  # two layanan: no single filter link
    assert rows["KTP"].key == office.ktp and rows["KTP"].result.konversi == 100.0
    assert rows["SKTM"].result.konversi == 86.11


def test_previous_periode_and_priorities(app, office) -> None:
    dashboard = board(app, office.k)
    # T1: P1 (all 3) and P2 (4 x 8, then 3). NRR U1..U8 = 7/2, U9 = 3;
    # Σ = 28 + 3 = 31; konversi = 31/9 x 25 = 86,11.
    assert dashboard.previous_periode == T1
    assert dashboard.previous_result.konversi == rounded(Fraction(31, 9) * 25) == 86.11
    assert dashboard.change == -11.11  # 75,00 - 86,11
    # Weakest NRR: 14/5 for U3, U4, U7 and U8, a tie at the cut: all four.
    assert [u.code for u in dashboard.priorities] == ["U3", "U4", "U7", "U8"]
    rows = {row.unsur.code: row for row in dashboard.unsur_rows}
    assert rows["U3"].prioritas and not rows["U1"].prioritas
    # U3 now 14/5 x 25 = 70,00; in T1 7/2 x 25 = 87,50.
    assert (rows["U3"].score.konversi, rows["U3"].previous.konversi) == (70.0, 87.5)
    assert rows["U3"].change == -17.5
    trend = dict((p.code, r) for p, r in dashboard.trend)
    assert trend["2026-T2"].konversi == 75.0 and trend["2026-T1"].konversi == 86.11
    assert trend["2025-T4"] is None
    assert [p.code for p, _ in dashboard.trend_shown] == ["2026-T1", "2026-T2"]


def test_respondent_profiles(app, office) -> None:
    profiles = {p.key: p for p in board(app, office.k).profiles}

    def counts(key):
        return {row.label: row.count for row in profiles[key].rows}

    # R1 L, R2 P, R3 blank, R4 L, R5 P; the excluded response (L, 70) is not counted.
    assert counts("jenis_kelamin") == {"Laki-laki": 2, "Perempuan": 2, "Tidak diisi": 1}
    # Ages 19, 20, 45, 60, 33 in the instrument's bands.
    assert counts("usia") == {
        "< 20": 1,
        "20–29": 1,
        "30–39": 1,
        "40–49": 1,
        "50–59": 0,
        "≥ 60": 1,
    }
    assert counts("pendidikan")["SMA"] == 2 and counts("pendidikan")["Tidak diisi"] == 1
    assert counts("pendidikan")["S3"] == 0
    assert counts("pekerjaan")["TNI"] == 0 and counts("pekerjaan")["Wirausaha"] == 1
    assert profiles["jenis_kelamin"].total == 5
    laki = next(r for r in profiles["jenis_kelamin"].rows if r.label == "Laki-laki")
    assert laki.percent == 40.0


def test_sample_adequacy_and_interval(app, office) -> None:
    with app.app_context():
        session = database.session()
        admin = User(username="x", role="admin", unit_id=office.k, password_hash="-")
        session.add(admin)
        set_population(session, admin, session.get(Unit, office.k), T2, 100)
        session.commit()
    dashboard = board(app, office.k)
    # Krejcie & Morgan for N = 100: 80 (the published table); 5 collected.
    assert (dashboard.adequacy.minimum, dashboard.adequacy.collected) == (80, 5)
    assert dashboard.adequacy.label == "Belum Sesuai"
    # The interval from SQL sums equals the one from the five respondent rows.
    expected = konversi_interval(
        [R1, R2, R3, R4, R5], get_instrument(DEFAULT_INSTRUMENT_KEY).grade_scale, population=100
    )
    interval = dashboard.interval
    assert (interval.low, interval.high) == (expected.low, expected.high)
    assert math.isclose(interval.standard_error, expected.standard_error, rel_tol=1e-9)
    assert interval.crosses_boundary == expected.crosses_boundary
    # The population is not the layanan's: no adequacy for one layanan.
    assert board(app, office.k, layanan_id=office.ktp).adequacy is None


def test_semester_population_is_the_sum_of_its_triwulan(app, office) -> None:
    from skm.periode import Periode

    with app.app_context():
        session = database.session()
        admin = User(username="x", role="admin", unit_id=office.k, password_hash="-")
        session.add(admin)
        unit = session.get(Unit, office.k)
        set_population(session, admin, unit, T1, 120)
        session.commit()
        assert board(app, office.k, Periode.semester(2026, 1)).population is None
        set_population(session, admin, unit, T2, 130)
        session.commit()
    figure = board(app, office.k, Periode.semester(2026, 1)).population
    assert (figure.population, figure.source) == (250, "jumlah Triwulan I dan II")
    with app.app_context():
        session = database.session()
        admin = session.scalar(sa.select(User).where(User.username == "x"))
        unit = session.get(Unit, office.k)
        set_population(session, admin, unit, Periode.triwulan(2026, 3), 140)
        set_population(session, admin, unit, Periode.triwulan(2026, 4), 150)
        session.commit()
    figure = board(app, office.k, Periode.tahun(2026)).population
    assert (figure.population, figure.source) == (540, "jumlah Triwulan I–IV")


def test_new_and_excluded_responses_show_at_once(app, office) -> None:
    assert board(app, office.k).result.respondents == 5
    with app.app_context():
        exclude(database.session(), office.response_ids[0])  # R1 (all 4) no longer counts
    result = board(app, office.k).result
    # R2..R5: U1 3+4+2+3 = 12/4 ... the score must be computed afresh, not cached.
    assert result.respondents == 4
    assert result.unsur[0].sum == 12


def test_dashboard_page_shows_the_numbers(app, office, make_user) -> None:
    with app.app_context():
        unit = database.session().get(Unit, office.k)
    client = signed_in_client(app, make_user(unit, "pimpinan"))
    page = client.get(f"/staf/unit/{office.k_slug}/?periode=2026-T2").get_data(as_text=True)
    assert '<span class="value" data-testid="konversi">75,00</span>' in page
    assert "Kurang Baik" in page
    assert "▼ -11,11" in page
    assert "Kecamatan K (kantor sendiri)" in page and "62,50" in page
    assert "Domisili (2 unit)" in page
    # The official table prints NRR with three decimals: 14/5 = 2,800.
    assert "2,800" in page
    assert "Populasi Triwulan II 2026 belum dicatat" in page


def test_populations_of_several_units_read_together(app, office) -> None:
    """Per unit, as for one: the semester's own figure wins over its triwulan; else
    the sum of both triwulan (120 + 130); one triwulan alone is no figure."""
    from skm.periode import Periode
    from skm.results.population import populations_for

    semester = Periode.semester(2026, 1)
    with app.app_context():
        session = database.session()
        admin = User(username="y", role="admin", unit_id=office.k, password_hash="-")
        session.add(admin)
        k, a, b = (session.get(Unit, unit_id) for unit_id in (office.k, office.a, office.b))
        for unit, periode, population in (
            (k, T1, 10), (k, T2, 20), (k, semester, 300), (a, T1, 120), (a, T2, 130), (b, T1, 7),
        ):  # fmt: skip
            set_population(session, admin, unit, periode, population)
        session.commit()
        found = populations_for(session, [k, a, b], semester)
    assert {unit_id: f and (f.population, f.source) for unit_id, f in found.items()} == {
        office.k: (300, "dicatat"),
        office.a: (250, "jumlah Triwulan I dan II"),
        office.b: None,
    }
