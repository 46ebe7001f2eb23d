"""Kiosks delivering at the same moment to the same day row lose no increment, deadlock never."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from questionnaires import get_instrument
from skm import database
from skm.models.summaries import response_summary
from skm.responses import ResponseInput, SessionReferences, save_response
from skm.summaries.maintenance import differences
from skm.units import add_layanan, create_unit

INSTRUMENT = get_instrument("permenpan-14-2017")
KIOSKS = 6
EACH = 15


def test_concurrent_deliveries_to_one_day_row_are_all_counted(engine: Engine) -> None:
    with database.make_sessionmaker(engine)() as session:
        unit = create_unit(session, "Kecamatan Ramai", "kecamatan")
        layanan = add_layanan(session, unit, ["KTP"])[0]
        session.commit()
        unit_id, layanan_id = unit.id, layanan.id
    moment = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta: one day row
    failures: list[BaseException] = []
    start = threading.Barrier(KIOSKS)

    def kiosk(number: int) -> None:
        try:
            start.wait()
            with database.make_sessionmaker(engine)() as session:
                for i in range(EACH):
                    data = ResponseInput(
                        uuid=uuid.uuid4(),
                        unit_id=unit_id,
                        layanan_id=layanan_id,
                        answers={
                            u.key: 1 + (number + i + u.position) % 4 for u in INSTRUMENT.unsur
                        },
                        submitted_at=moment + timedelta(seconds=number * EACH + i),
                        channel="kiosk",
                    )
                    references = SessionReferences(session)
                    assert save_response(session.connection(), data, INSTRUMENT, references)
                    session.commit()
        except BaseException as error:  # reported below: a thread's assert would be lost
            failures.append(error)

    threads = [threading.Thread(target=kiosk, args=(n,)) for n in range(KIOSKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with engine.connect() as connection:
        rows = connection.execute(sa.select(response_summary.c.respondents)).scalars().all()
        assert rows == [KIOSKS * EACH]  # one row, every delivery in it
        assert differences(connection, ZoneInfo("Asia/Jakarta")) == []
