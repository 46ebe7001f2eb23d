"""A small fixed office whose report numbers are worked out by hand in the tests.

Kabupaten Contoh > Kecamatan Sukamaju (layanan KTP) > Kelurahan Mekarsari
(layanan Domisili). Triwulan II 2026 has four counted responses and one
that staff excluded; Triwulan I has one. Answers are in report order
U1..U9; None is a blank.

Hand computation for Triwulan II (R1..R4):

====  ====  ====  ====  ====  ====  ====  ====  ====  ====
      U1    U2    U3    U4    U5    U6    U7    U8    U9
====  ====  ====  ====  ====  ====  ====  ====  ====  ====
R1    4     4     4     4     4     4     4     4     4
R2    3     3     3     3     3     3     3     3     3
R3    4     3     2     1     4     3     2     1     –
R4    2     3     3     4     3     3     4     2     3
Σ     13    13    12    12    14    13    13    10    10
n     4     4     4     4     4     4     4     4     3
====  ====  ====  ====  ====  ====  ====  ====  ====  ====

Σ NRR = 13/4·4 + 3 + 3 + 7/2 + 5/2 + 10/3 = 85/3, IKM = 85/27 = 3,1481,
konversi = 2125/27 = 78,7037… -> 78,70, mutu B (Baik). U8: 5/2·25 = 62,50 (D);
U9: 10/3·25 = 83,33 (B).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

from sqlalchemy.orm import Session

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm.models import SurveyResponse, Unit, User
from skm.periode import Periode
from skm.reports.narrative import Signatory, save_signatory
from skm.responses import ResponseInput, store_response
from skm.results.population import set_population
from skm.results.rencana import RencanaInput, create_rencana
from skm.units import add_layanan, create_unit

T1 = Periode.triwulan(2026, 1)
T2 = Periode.triwulan(2026, 2)

R1 = [4, 4, 4, 4, 4, 4, 4, 4, 4]
R2 = [3, 3, 3, 3, 3, 3, 3, 3, 3]
R3 = [4, 3, 2, 1, 4, 3, 2, 1, None]
R4 = [2, 3, 3, 4, 3, 3, 4, 2, 3]
EXCLUDED = [1, 1, 1, 1, 1, 1, 1, 1, 1]
PREVIOUS = [3, 3, 3, 3, 3, 3, 3, 3, 3]

#: Worked out by hand in the module docstring (not by the code under test).
SUMS = [13, 13, 12, 12, 14, 13, 13, 10, 10]
COUNTS = [4, 4, 4, 4, 4, 4, 4, 4, 3]
IKM = Fraction(85, 27)
KONVERSI_TEXT = "78,70"
MUTU = "B"
KINERJA = "Baik"

INJECTION = '=HYPERLINK("http://contoh.invalid/","Klik di sini")'
SARAN_R1 = "Petugas ramah, terima kasih."
SARAN_R3 = "Antrean <b>panjang</b> & ruang tunggu panas"

SIGNATORY = Signatory(
    jabatan="Camat Sukamaju",
    nama="Drs. H. Ahmad Sutisna, M.Si.",
    pangkat="Pembina Tingkat I (IV/b)",
    nip="197001011990031001",
    tempat="Sukamaju",
)
RTL_PROGRAM = "Membuka layanan pengaduan melalui WhatsApp yang dipantau setiap hari."


@dataclass(frozen=True)
class Office:
    kabupaten_id: int
    kecamatan_id: int
    kelurahan_id: int
    kecamatan_slug: str
    other_slug: str
    operator_id: int


def _at(day: int, hour: int, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def build_office(session: Session, *, with_staff_entries: bool = True) -> Office:
    """The office above; with ``with_staff_entries`` also population, an RTL row and
    the signing official, as staff enter them before exporting."""
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    kabupaten = create_unit(session, "Kabupaten Contoh", "kabupaten")
    kecamatan = create_unit(session, "Kecamatan Sukamaju", "kecamatan", kabupaten)
    kecamatan.address = "Jl. Raya Sukamaju No. 1"
    kelurahan = create_unit(session, "Kelurahan Mekarsari", "kelurahan", kecamatan)
    other = create_unit(session, "Kecamatan Lain", "kecamatan", kabupaten)
    (ktp,) = add_layanan(session, kecamatan, ["Rekomendasi KTP"])
    (domisili,) = add_layanan(session, kelurahan, ["Surat Keterangan Domisili"])
    session.commit()

    def add(
        unit: Unit,
        layanan_id: int,
        answers: list[int | None],
        when: datetime,
        channel: str = "kiosk",
        profile: dict[str, object] | None = None,
        saran: str | None = None,
    ) -> SurveyResponse:
        response, created = store_response(
            session,
            ResponseInput(
                uuid.uuid4(),
                unit.id,
                layanan_id,
                {u.key: answers[u.position] for u in instrument.unsur},
                when,
                channel,
                profile=profile or {},
                saran=saran,
            ),
            instrument,
        )
        assert created
        return response

    profile = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
    add(
        kecamatan,
        ktp.id,
        R1,
        _at(12, 3),
        "kiosk",
        dict(zip(profile, ("L", 19, "sma", "swasta"), strict=True)),
        SARAN_R1,
    )
    add(
        kelurahan,
        domisili.id,
        R2,
        _at(12, 4),
        "web",
        dict(zip(profile, ("P", 25, "smp", "pns"), strict=True)),
        INJECTION,
    )
    add(kelurahan, domisili.id, R3, _at(13, 2), "paper", None, SARAN_R3)
    add(
        kecamatan,
        ktp.id,
        R4,
        _at(14, 5),
        "kiosk",
        dict(zip(profile, ("P", 45, "d4_s1", "wirausaha"), strict=True)),
        SARAN_R1,
    )
    excluded = add(kelurahan, domisili.id, EXCLUDED, _at(15, 2), "web", None, "=1+1 isian otomatis")
    excluded.excluded = True
    excluded.flag = "Terlalu cepat"
    add(kecamatan, ktp.id, PREVIOUS, _at(10, 3, month=2))  # fmt: skip
    session.commit()

    operator = User(
        username="operator-laporan",
        full_name="Operator",
        role="operator",
        unit_id=kecamatan.id,
        password_hash="-",
    )
    session.add(operator)
    session.flush()
    if with_staff_entries:
        set_population(session, operator, kecamatan, T2, 40)
        create_rencana(
            session,
            operator,
            instrument,
            kecamatan,
            T2,
            RencanaInput("pengaduan", RTL_PROGRAM, (3,), "Kepala Seksi Pelayanan"),
        )
        save_signatory(session, operator, kecamatan, SIGNATORY)
    session.commit()
    return Office(kabupaten.id, kecamatan.id, kelurahan.id, kecamatan.slug, other.slug, operator.id)


#: The day the tests produce the report (after the periode: nothing is "running").
PRODUCED = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
REPORT_DAY = date(2026, 11, 22)
