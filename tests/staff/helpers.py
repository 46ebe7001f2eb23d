"""A small fixed office whose numbers are worked out by hand in the tests.

Kecamatan K with kelurahan A (which has its own loket A1) and kelurahan B.
Answers are in report order U1..U9; None is a blank.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm.models import SurveyResponse
from skm.periode import Periode
from skm.responses import ResponseInput, store_response
from skm.units import add_layanan, create_unit

T1 = Periode.triwulan(2026, 1)
T2 = Periode.triwulan(2026, 2)
MAY = datetime(2026, 5, 12, 3, 0, tzinfo=UTC)  # 10.00 in Jakarta
FEBRUARY = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)

R1 = [4, 4, 4, 4, 4, 4, 4, 4, 4]  # at K itself, layanan KTP
R2 = [3, 3, 3, 3, 3, 3, 3, 3, 3]  # at A, Domisili
R3 = [4, 3, 2, 1, 4, 3, 2, 1, None]  # at A, Domisili; U9 left blank
R4 = [2, 2, 2, 2, 2, 2, 2, 2, 2]  # at A1 (loket of A), Domisili
R5 = [3, 4, 3, 4, 3, 4, 3, 4, 3]  # at B, SKTM
R_EXCLUDED = [1, 1, 1, 1, 1, 1, 1, 1, 1]  # at B, excluded by staff
P1 = [3, 3, 3, 3, 3, 3, 3, 3, 3]  # previous triwulan, at K
P2 = [4, 4, 4, 4, 4, 4, 4, 4, 3]  # previous triwulan, at A

#: (jenis_kelamin, usia, pendidikan, pekerjaan) of R1..R5 and of the excluded response.
PROFILES = [
    ("L", 19, "sma", "swasta"),
    ("P", 20, "smp", "pns"),
    (None, 45, None, None),
    ("L", 60, "sd", "lainnya"),
    ("P", 33, "sma", "wirausaha"),
    ("L", 70, "s3", "tni"),
]

ROWS_T2 = [R1, R2, R3, R4, R5]


@dataclass
class Office:
    k: int
    a: int
    a1: int
    b: int
    k_slug: str
    a_slug: str
    ktp: int
    domisili_a: int
    domisili_a1: int
    sktm: int
    response_ids: list[int]
    excluded_id: int


def build_office(session: Session) -> Office:
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    k = create_unit(session, "Kecamatan K", "kecamatan")
    a = create_unit(session, "Kelurahan A", "kelurahan", k)
    a1 = create_unit(session, "Loket A1", "loket", a)
    b = create_unit(session, "Kelurahan B", "kelurahan", k)
    (ktp,) = add_layanan(session, k, ["KTP"])
    (dom_a,) = add_layanan(session, a, ["Domisili"])
    (dom_a1,) = add_layanan(session, a1, ["Domisili"])
    (sktm,) = add_layanan(session, b, ["SKTM"])
    session.commit()

    def add(unit, layanan, answers, when=MAY, profile=(None, None, None, None), saran=None):
        keys = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
        response, created = store_response(
            session,
            ResponseInput(
                uuid.uuid4(),
                unit.id,
                layanan.id,
                {u.key: answers[u.position] for u in instrument.unsur},
                when,
                "kiosk",
                profile={key: value for key, value in zip(keys, profile, strict=True) if value},
                saran=saran,
            ),
            instrument,
        )
        assert created
        return response

    places = [(k, ktp), (a, dom_a), (a, dom_a), (a1, dom_a1), (b, sktm)]
    ids = [
        add(unit, layanan, rows, profile=profile).id
        for (unit, layanan), rows, profile in zip(places, ROWS_T2, PROFILES, strict=False)
    ]
    excluded = add(b, sktm, R_EXCLUDED, profile=PROFILES[5])
    excluded.excluded = True
    add(k, ktp, P1, when=FEBRUARY)
    add(a, dom_a, P2, when=FEBRUARY)
    session.commit()
    return Office(
        k.id,
        a.id,
        a1.id,
        b.id,
        k.slug,
        a.slug,
        ktp.id,
        dom_a.id,
        dom_a1.id,
        sktm.id,
        ids,
        excluded.id,
    )


def exclude(session: Session, response_id: int) -> None:
    session.get(SurveyResponse, response_id).excluded = True
    session.commit()
