"""Summaries == raw aggregates after every kind of write, in random order, on both databases.

Each step is one write path a real office takes (a kiosk delivery, the
same delivery again, an import and its undo, a paper form typed and
deleted, an edit, a response excluded and counted again, every flagged one
excluded at once, a unit moved, an emptied unit deleted). After each step
the stored summary rows must equal what a grouped query over the raw
responses gives (``differences``), and every score, breakdown, trend,
profile and interval the pages show must come out of the summaries exactly
as out of the raw rows.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import get_instrument
from skm.ikm import (
    Scope,
    reading_raw_rows,
    score,
    score_by,
    score_interval,
    score_periodes,
    summaries_serve,
    unit_layanan_aggregates,
)
from skm.kiosk.review import exclude_all_flagged
from skm.models import SurveyResponse, Unit, answer_column_name
from skm.models.paper import ImportBatch
from skm.models.summaries import response_summary_month
from skm.paper.imports import undo_batch
from skm.periode import Periode
from skm.responses import ResponseInput, SessionReferences, bulk_insert, save_response
from skm.results.profiles import profile_breakdowns
from skm.summaries.maintenance import differences, rebuild, stored_totals
from skm.units import add_layanan, create_unit, create_user, move_subtree

INSTRUMENT = get_instrument("permenpan-14-2017")
TZ = ZoneInfo("Asia/Jakarta")
# Two triwulan (read from the month rows) and a range that cuts months (the day rows).
PERIODES = [Periode.triwulan(2026, 1), Periode.triwulan(2026, 2),
            Periode.rentang(date(2026, 2, 10), date(2026, 4, 20))]  # fmt: skip
STEPS = 30
SEEDS = (1, 2)


class Office:
    """Two kecamatan with two kelurahan each, every unit with two layanan, and an admin."""

    def __init__(self, session: Session) -> None:
        self.root = create_unit(session, "Kabupaten Contoh", "kabupaten")
        self.units = [self.root]
        for k in range(2):
            kecamatan = create_unit(session, f"Kecamatan {k}", "kecamatan", self.root)
            self.units.append(kecamatan)
            for j in range(2):
                self.units.append(create_unit(session, f"Kelurahan {k}{j}", "kelurahan", kecamatan))
        self.layanan = {u.id: add_layanan(session, u, ["KTP", "KK"]) for u in self.units}
        self.admin = create_user(session, "admin", "rahasia-sekali", "admin", self.root)
        session.commit()


def _instant(rng: random.Random) -> datetime:
    """A moment in T1 or T2 2026; one in four right at a Jakarta midnight (17:00 UTC)."""
    day = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(181))
    if rng.random() < 0.25:
        return day.replace(hour=17) - timedelta(seconds=rng.choice([1, 0]))
    return day + timedelta(seconds=rng.randrange(86_400))


def _answers(rng: random.Random) -> dict[str, int | None]:
    answers = {
        u.key: (None if rng.random() < 0.15 else rng.randint(1, 4)) for u in INSTRUMENT.unsur
    }
    if all(v is None for v in answers.values()):
        answers[INSTRUMENT.unsur[0].key] = 3
    return answers


def _profile(rng: random.Random) -> dict[str, object]:
    return {
        "jenis_kelamin": rng.choice([None, "L", "P"]),
        "usia": rng.choice([None, 17, 25, 44, 61, 80]),
        "pendidikan": rng.choice([None, "sma", "d4_s1", "s2"]),
        "pekerjaan": rng.choice([None, "swasta", "pns"]),
    }


def _place(rng: random.Random, office: Office) -> tuple[Unit, int | None]:
    unit = rng.choice(office.units)
    layanan = rng.choice([None, *office.layanan[unit.id]])
    return unit, None if layanan is None else layanan.id


def _row(rng: random.Random, office: Office, channel: str) -> dict[str, object]:
    """Column values as bulk_insert takes them; some with an age outside every band."""
    unit, layanan_id = _place(rng, office)
    row: dict[str, object] = {
        "uuid": uuid.UUID(int=rng.getrandbits(128)),
        "unit_id": unit.id,
        "layanan_id": layanan_id,
        "instrument_key": INSTRUMENT.key,
        "instrument_version": INSTRUMENT.version,
        "submitted_at": _instant(rng),
        "channel": channel,
        "excluded": rng.random() < 0.1,
        "flag": "terlalu cepat" if rng.random() < 0.3 else None,
        **_profile(rng),
    }
    if rng.random() < 0.1:
        row["usia"] = 7  # below the first band: "Di luar kelompok"
    for unsur in INSTRUMENT.unsur:
        row[answer_column_name(unsur.position)] = _answers(rng)[unsur.key]
    return row


class Steps:
    def __init__(self, session: Session, office: Office, rng: random.Random) -> None:
        self.session, self.office, self.rng = session, office, rng
        self.delivered: list[ResponseInput] = []

    def deliver(self) -> None:
        unit, layanan_id = _place(self.rng, self.office)
        data = ResponseInput(
            uuid=uuid.UUID(int=self.rng.getrandbits(128)),
            unit_id=unit.id,
            layanan_id=layanan_id,
            answers=_answers(self.rng),
            submitted_at=_instant(self.rng),
            channel="kiosk",
            profile={k: v for k, v in _profile(self.rng).items() if v is not None},
            flag="pola jawaban sama" if self.rng.random() < 0.3 else None,
        )
        references = SessionReferences(self.session)
        assert save_response(self.session.connection(), data, INSTRUMENT, references)
        self.session.commit()
        self.delivered.append(data)

    def deliver_again(self) -> None:
        if not self.delivered:
            return self.deliver()
        data = self.rng.choice(self.delivered)
        references = SessionReferences(self.session)
        assert not save_response(self.session.connection(), data, INSTRUMENT, references)
        self.session.commit()

    def import_batch(self) -> None:
        unit = self.rng.choice(self.office.units)
        batch = ImportBatch(
            kind="import",
            unit_id=unit.id,
            instrument_key=INSTRUMENT.key,
            instrument_version=INSTRUMENT.version,
            filename="tabulasi.csv",
        )
        self.session.add(batch)
        self.session.flush()
        rows = [_row(self.rng, self.office, "import") for _ in range(self.rng.randint(1, 30))]
        for row in rows:
            row["import_batch_id"] = batch.id
        bulk_insert(self.session, rows)
        batch.row_count = len(rows)
        self.session.commit()

    def undo_import(self) -> None:
        batches = self.session.scalars(
            sa.select(ImportBatch).where(ImportBatch.undone_at.is_(None))
        ).all()
        if not batches:
            return self.import_batch()
        undo_batch(self.session, self.rng.choice(batches), self.office.admin)
        self.session.commit()

    def paper_form(self) -> None:
        row = _row(self.rng, self.office, "paper")
        row["usia"] = self.rng.choice([None, 30])
        self.session.add(SurveyResponse(**row))
        self.session.commit()

    def _some_response(self) -> SurveyResponse | None:
        ids = self.session.scalars(sa.select(SurveyResponse.id)).all()
        return self.session.get(SurveyResponse, self.rng.choice(ids)) if ids else None

    def delete_response(self) -> None:
        response = self._some_response()
        if response is not None:
            self.session.delete(response)
            self.session.commit()

    def edit_response(self) -> None:
        """A correction: another answer, another layanan of the unit, another day."""
        response = self._some_response()
        if response is None:
            return
        response.u01 = self.rng.choice([None, 1, 2, 3, 4]) if response.u02 is not None else 4
        layanan = self.office.layanan[response.unit_id]
        response.layanan_id = self.rng.choice([None, *(lay.id for lay in layanan)])
        response.submitted_at = _instant(self.rng)
        response.pendidikan = self.rng.choice([None, "smp"])
        self.session.commit()

    def toggle_excluded(self) -> None:
        response = self._some_response()
        if response is not None:
            response.excluded = not response.excluded
            self.session.commit()

    def exclude_flagged(self) -> None:
        exclude_all_flagged(self.session, self.office.admin, self.rng.choice(self.office.units))
        self.session.commit()

    def move_unit(self) -> None:
        kelurahan = [u for u in self.office.units if u.kind == "kelurahan"]
        kecamatan = [u for u in self.office.units if u.kind == "kecamatan"]
        unit = self.rng.choice(kelurahan)
        target = self.rng.choice([k for k in kecamatan if k.id != unit.parent_id])
        move_subtree(self.session, unit, target)
        self.session.commit()
        self.session.expire_all()

    def delete_emptied_unit(self) -> None:
        """A unit whose responses were all undone leaves empty summary rows; they go with it."""
        unit = create_unit(self.session, f"Loket {self.rng.random()}", "loket", self.office.root)
        values = _row(self.rng, self.office, "paper") | {"unit_id": unit.id, "layanan_id": None}
        self.session.add(SurveyResponse(**(values | {"excluded": False})))
        self.session.commit()
        response = self.session.scalar(
            sa.select(SurveyResponse).where(SurveyResponse.unit_id == unit.id)
        )
        self.session.delete(response)
        self.session.commit()
        self.session.execute(sa.delete(Unit).where(Unit.id == unit.id))
        self.session.commit()

    ALL = ("deliver", "deliver", "deliver_again", "import_batch", "undo_import", "paper_form",
           "delete_response", "edit_response", "toggle_excluded", "exclude_flagged",
           "move_unit", "delete_emptied_unit")  # fmt: skip


def _scores(session: Session, office: Office) -> tuple[list[object], list[float]]:
    """Everything the pages compute, for a few scopes (compared raw against summaries)."""
    kecamatan = next(u for u in office.units if u.kind == "kecamatan")
    layanan_id = office.layanan[office.units[-1].id][0].id
    scopes = [Scope(office.root), Scope(kecamatan), Scope(kecamatan, include_subunits=False),
              Scope(office.units[-1], layanan_id=layanan_id)]  # fmt: skip
    found: list[object] = []
    intervals: list[float] = []
    for scope in scopes:
        for periode in PERIODES:
            result = score(session, INSTRUMENT, periode, TZ, scope)
            found.append(result)
            breakdown = unit_layanan_aggregates(session, INSTRUMENT, periode, TZ, scope)
            # Rows in no particular order (GROUP BY): compared by key.
            found.append(dict(zip(breakdown.keys, breakdown.table.tolist(), strict=True)))
            found.append(score_by(session, INSTRUMENT, periode, TZ, "layanan", scope).keys)
            found.append(profile_breakdowns(session, INSTRUMENT, periode, TZ, scope))
            if result is not None and (result.respondents or 0) >= 2:
                interval = score_interval(session, INSTRUMENT, periode, TZ, scope, result)
                assert interval is not None
                intervals += [interval.low, interval.high, interval.standard_error]
        found.append(score_periodes(session, INSTRUMENT, PERIODES, TZ, scope).respondents)
    return found, intervals


@pytest.mark.parametrize("seed", SEEDS)
def test_random_writes_keep_summaries_equal_to_raw_aggregates(session: Session, seed: int) -> None:
    office = Office(session)
    rng = random.Random(seed)
    steps = Steps(session, office, rng)
    assert summaries_serve(TZ, Scope(office.root))
    for number in range(STEPS):
        name = rng.choice(Steps.ALL)
        getattr(steps, name)()
        connection = session.connection()
        assert differences(connection, TZ) == [], f"step {number}: {name}"
        from_summaries, intervals = _scores(session, office)
        with reading_raw_rows():
            from_rows, raw_intervals = _scores(session, office)
        assert from_summaries == from_rows, f"step {number}: {name}"
        # Float sums in another order (and exact centring on the summary side):
        # equal to far below the 0,01 a page shows.
        assert intervals == pytest.approx(raw_intervals, abs=1e-9), f"step {number}: {name}"
        session.commit()
    # The walk really reached the paths it means to test.
    counts = session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(SurveyResponse.excluded.is_(True)))
    ).one()
    assert counts[0] > 20 and counts[1] > 0


def test_rebuild_repairs_a_manual_sql_change_and_check_names_it(session: Session) -> None:
    office = Office(session)
    steps = Steps(session, office, random.Random(7))
    for _ in range(10):
        steps.deliver()
    changed = session.scalar(sa.select(SurveyResponse).order_by(SurveyResponse.id).limit(1))
    assert changed is not None
    old = changed.u01
    session.execute(
        sa.update(SurveyResponse).where(SurveyResponse.id == changed.id).values(u01=None)
    )
    session.commit()
    found = differences(session.connection(), TZ)
    names = {d.column for d in found}
    # u01 gone: one answer fewer in count and sum, and in every pair with u01.
    assert {"c01", "s01", "xx_01_01"} <= names
    assert all(d.column.startswith(("c01", "s01", "xx_01", "aa_01", "xa_01")) or
               d.column.endswith("_01") for d in found)  # fmt: skip
    sum_row = next(d for d in found if d.column == "s01")
    assert sum_row.stored is not None and sum_row.expected == sum_row.stored - (old or 0)
    # The day row and the month row holding the answer both differ.
    assert {d.grain for d in found if d.column == "s01"} == {"hari", "bulan"}
    rows = rebuild(session.connection(), TZ)
    session.commit()
    assert rows == len(stored_totals(session.connection()))
    assert differences(session.connection(), TZ) == []


def test_check_names_a_month_row_changed_by_hand_and_rebuild_repairs_it(session: Session) -> None:
    office = Office(session)
    steps = Steps(session, office, random.Random(11))
    for _ in range(10):
        steps.deliver()
    month = session.execute(
        sa.select(response_summary_month.c.day, response_summary_month.c.unit_id).limit(1)
    ).one()
    session.execute(
        sa.update(response_summary_month)
        .where(response_summary_month.c.day == month.day,
               response_summary_month.c.unit_id == month.unit_id)
        .values(s02=response_summary_month.c.s02 + 1)
    )  # fmt: skip
    session.commit()
    found = differences(session.connection(), TZ)
    assert len(found) == 1 and found[0].column == "s02" and found[0].grain == "bulan"
    assert found[0].stored == (found[0].expected or 0) + 1
    assert f"bulan {str(month.day)[:7]}" in str(found[0])
    rebuild(session.connection(), TZ)
    session.commit()
    assert differences(session.connection(), TZ) == []
