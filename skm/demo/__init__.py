"""Demo data: a kecamatan with its kelurahan, layanan and a year of responses.

The answers are drawn from a simple model so that the dashboard has
something to show: each unsur has its own level (biaya is usually rated
well because most services are free; waktu and pengaduan worse), each
kelurahan is a little better or worse, and service improves a little every
quarter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.demo.iku import load_demo_iku
from skm.models import Layanan, Unit, answer_column_name
from skm.periode import Periode, periode_of
from skm.responses import bulk_insert
from skm.units import add_layanan, create_unit

KECAMATAN = "Kecamatan Sukamaju"
KELURAHAN = (
    "Kelurahan Sukamaju",
    "Kelurahan Mekarsari",
    "Kelurahan Cibeureum",
    "Kelurahan Tanjungsari",
    "Kelurahan Margahayu",
)
LAYANAN_KECAMATAN = (
    "Rekomendasi KTP Elektronik",
    "Kartu Keluarga (KK)",
    "Akta Kelahiran",
    "Surat Pengantar Nikah",
    "Izin Usaha Mikro dan Kecil (IUMK)",
    "Legalisasi Dokumen",
)
LAYANAN_KELURAHAN = (
    "Surat Pengantar KTP/KK",
    "Surat Keterangan Domisili",
    "Surat Keterangan Tidak Mampu (SKTM)",
    "Surat Keterangan Usaha",
)
#: Mean opinion (on 1–4) per unsur key; unknown keys get 3.1.
UNSUR_LEVEL = {
    "persyaratan": 3.25,
    "prosedur": 3.1,
    "waktu": 2.85,
    "biaya": 3.7,
    "produk": 3.2,
    "kompetensi": 3.2,
    "perilaku": 3.35,
    "pengaduan": 2.8,
    "sarana": 2.95,
}
SARAN = (
    "Ruang tunggu panas, mohon ditambah kipas angin.",
    "Pelayanan sudah cepat, terima kasih.",
    "Petugas ramah dan membantu.",
    "Antrean pagi terlalu panjang, mohon loket dibuka tepat waktu.",
    "Informasi persyaratan sebaiknya ditempel di depan kantor.",
    "Kotak pengaduan tidak jelas letaknya.",
    "Parkir motor sempit.",
    "Mohon ada kursi prioritas untuk lansia.",
    "Sudah bagus, pertahankan.",
    "Tolong sediakan air minum di ruang tunggu.",
    "Jam istirahat petugas terlalu lama.",
    "Formulir sebaiknya bisa diunduh dari internet.",
)
PENDIDIKAN = (("sd", 0.2), ("smp", 0.22), ("sma", 0.35), ("d1_d3", 0.07), ("d4_s1", 0.13),
              ("s2", 0.025), ("s3", 0.005))  # fmt: skip
PEKERJAAN = (("pns", 0.06), ("tni", 0.01), ("polri", 0.01), ("swasta", 0.3),
             ("wirausaha", 0.3), ("pelajar_mahasiswa", 0.1), ("lainnya", 0.22))  # fmt: skip
CHANNELS = (("kiosk", 0.6), ("web", 0.25), ("paper", 0.15))


@dataclass(frozen=True)
class DemoSummary:
    kecamatan: Unit
    units: int
    layanan: int
    responses: int
    periodes: tuple[Periode, ...]


def _choice(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> list[str]:
    keys = [k for k, _ in options]
    weights = np.array([w for _, w in options])
    return [keys[i] for i in rng.choice(len(keys), size=n, p=weights / weights.sum())]


def _profile_keys(
    instrument: Instrument, field: str, wanted: tuple[tuple[str, float], ...]
) -> tuple[tuple[str, float], ...]:
    """Keep only the demo options that the instrument really offers."""
    spec = next((f for f in instrument.profile if f.key == field), None)
    if spec is None:
        return ()
    offered = {o.key for o in spec.options}
    kept = tuple((k, w) for k, w in wanted if k in offered)
    return kept or tuple((o.key, 1.0) for o in spec.options)


def _demo_units(
    session: Session, parent: Unit | None, name: str, kelurahan: tuple[str, ...]
) -> tuple[list[Unit], dict[int, list[Layanan]]]:
    """The kecamatan (first) and its kelurahan, each with its layanan, by unit id."""
    kecamatan = create_unit(session, name, "kecamatan", parent)
    kecamatan.address = f"Jl. Raya {name.removeprefix('Kecamatan ')} No. 1"
    units = [kecamatan] + [create_unit(session, n, "kelurahan", kecamatan) for n in kelurahan]
    layanan_by_unit = {kecamatan.id: add_layanan(session, kecamatan, list(LAYANAN_KECAMATAN))}
    for unit in units[1:]:
        layanan_by_unit[unit.id] = add_layanan(session, unit, list(LAYANAN_KELURAHAN))
    return units, layanan_by_unit


def _survey_days(first: date, today: date) -> list[date]:
    """The days a demo respondent may have come: weekdays from ``first`` to ``today``."""
    days = []
    day = first
    while day <= today:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_demo(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    *,
    responses: int = 4000,
    today: date | None = None,
    seed: int = 2017,
    parent: Unit | None = None,
    name: str = KECAMATAN,
    kelurahan: tuple[str, ...] = KELURAHAN,
    level_shift: float = 0.0,
    with_iku: bool = True,
) -> DemoSummary:
    """Create the demo kecamatan and ``responses`` responses over four triwulan.

    The four triwulan end with the current one (up to ``today``). ``parent``,
    ``name``, ``kelurahan`` and ``level_shift`` (added to every opinion) make
    the other kecamatan of :func:`build_kabupaten_demo`. Flushes; the caller
    commits.
    """
    rng = np.random.default_rng(seed)
    today = today or datetime.now(tz).date()
    current = periode_of(datetime.combine(today, time(12), tzinfo=tz), "triwulan", tz)
    periodes = tuple(current.history(4))

    units, layanan_by_unit = _demo_units(session, parent, name, kelurahan)
    kecamatan = units[0]
    days = _survey_days(periodes[0].start, today)

    n = responses
    # The kecamatan office serves more people than any one kelurahan.
    unit_weights = np.array([3.0] + [1.0] * len(kelurahan))
    unit_index = rng.choice(len(units), size=n, p=unit_weights / unit_weights.sum())
    unit_offset = rng.normal(0, 0.12, size=len(units))
    day_index = np.sort(rng.integers(0, len(days), size=n))
    minutes = rng.integers(8 * 60, 15 * 60, size=n)
    progress = day_index / max(1, len(days) - 1)  # 0 at the start, 1 today

    answers = np.empty((n, instrument.n_unsur), dtype=np.int64)
    blank = np.zeros((n, instrument.n_unsur), dtype=bool)
    person = rng.normal(0, 0.35, size=n)  # some people rate everything higher
    for unsur in instrument.unsur:
        level = UNSUR_LEVEL.get(unsur.key, 3.1) + level_shift
        latent = (level + unit_offset[unit_index] + 0.25 * progress + person
                  + rng.normal(0, 0.55, size=n))  # fmt: skip
        answers[:, unsur.position] = np.clip(np.rint(latent), 1, 4)
        # Citizens who never complained often leave the pengaduan question blank.
        blank_rate = 0.04 if unsur.key == "pengaduan" else 0.005
        blank[:, unsur.position] = rng.random(n) < blank_rate

    gender = _choice(rng, (("L", 0.48), ("P", 0.52)), n)
    age = np.clip(rng.normal(40, 13, size=n).astype(int), 17, 85)
    pendidikan = _choice(rng, _profile_keys(instrument, "pendidikan", PENDIDIKAN), n)
    pekerjaan = _choice(rng, _profile_keys(instrument, "pekerjaan", PEKERJAAN), n)
    channel = _choice(rng, CHANNELS, n)
    has_saran = rng.random(n) < 0.18
    saran_index = rng.integers(0, len(SARAN), size=n)
    skip_profile = rng.random(n) < 0.08

    rows = []
    for i in range(n):
        unit = units[unit_index[i]]
        layanan = layanan_by_unit[unit.id]
        local = datetime.combine(days[day_index[i]], time(0), tzinfo=tz) + timedelta(
            minutes=int(minutes[i])
        )
        row = {
            "uuid": uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | i, version=4),
            "unit_id": unit.id,
            "layanan_id": layanan[int(rng.integers(0, len(layanan)))].id,
            "instrument_key": instrument.key,
            "instrument_version": instrument.version,
            "submitted_at": local.astimezone(UTC),
            "received_at": local.astimezone(UTC),
            "channel": channel[i],
            "excluded": False,
            "jenis_kelamin": None if skip_profile[i] else gender[i],
            "usia": None if skip_profile[i] else int(age[i]),
            "pendidikan": None if skip_profile[i] else pendidikan[i],
            "pekerjaan": None if skip_profile[i] else pekerjaan[i],
            "saran": SARAN[saran_index[i]] if has_saran[i] else None,
        }
        for unsur in instrument.unsur:
            value = None if blank[i, unsur.position] else int(answers[i, unsur.position])
            row[answer_column_name(unsur.position)] = value
        rows.append(row)
    for start in range(0, n, 2000):
        bulk_insert(session, rows[start : start + 2000])
    session.flush()
    if with_iku:
        load_demo_iku(session, kecamatan, today)
    layanan_count = sum(len(v) for v in layanan_by_unit.values())
    return DemoSummary(kecamatan, len(units), layanan_count, n, periodes)


KABUPATEN = "Kabupaten Sukamaju"
#: The other kecamatan of the demo kabupaten: name, kelurahan/desa, share of the
#: responses of Kecamatan Sukamaju, opinion shift, seed. Cisurupan collects too few
#: responses for its population on purpose (the report marks it).
OTHER_KECAMATAN = (
    ("Kecamatan Cipanas", ("Kelurahan Cipanas", "Kelurahan Sindanglaya", "Desa Palasari"),
     0.45, 0.1, 2018),
    ("Kecamatan Pangalengan", ("Desa Pangalengan", "Desa Margamukti", "Desa Lamajang"),
     0.3, -0.18, 2019),
    ("Kecamatan Cisurupan", ("Desa Cisurupan", "Desa Sirnagalih"), 0.05, 0.02, 2020),
)  # fmt: skip


def build_kabupaten_demo(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    *,
    responses: int = 4000,
    today: date | None = None,
    seed: int = 2017,
) -> tuple[Unit, list[DemoSummary]]:
    """The demo kabupaten: Kecamatan Sukamaju exactly as :func:`build_demo` makes it
    (``responses`` responses), and three more kecamatan with their kelurahan/desa.
    Flushes; the caller commits."""
    kabupaten = create_unit(session, KABUPATEN, "kabupaten")
    kabupaten.address = "Jl. Pemuda No. 1, Sukamaju"
    summaries = [
        build_demo(session, instrument, tz, responses=responses, today=today, seed=seed,
                   parent=kabupaten)
    ]  # fmt: skip
    for name, kelurahan, share, shift, other_seed in OTHER_KECAMATAN:
        summaries.append(
            build_demo(
                session, instrument, tz, responses=max(1, round(responses * share)),
                today=today, seed=other_seed, parent=kabupaten, name=name,
                kelurahan=kelurahan, level_shift=shift, with_iku=False,
            )
        )  # fmt: skip
    return kabupaten, summaries
