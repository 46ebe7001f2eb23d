"""Creating, changing and removing IKU indicators, their targets and a unit's predikat scale."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from skm.models import Unit
from skm.models.iku import (
    COMBINATIONS,
    METHODS,
    POLARITIES,
    IkuIndicator,
    IkuPredikat,
    IkuTarget,
)
from skm.results.capaian import DEFAULT_PREDIKAT, PredikatStep, validate_scale

#: The konversi scale of the IKM; its target must be written on it.
IKM_SCALE = (Decimal(25), Decimal(100))
YEARS = (2000, 2100)

POLARITY_LABELS = {
    "higher": "Makin tinggi makin baik",
    "lower": "Makin rendah makin baik",
}
METHOD_LABELS = {
    "ikm": "IKM dari hasil survei (otomatis)",
    "value": "Nilai yang diisi langsung",
    "ratio": "Pembilang / penyebut x 100%",
    "change": "Perubahan dari tahun sebelumnya: (n − (n−1)) / n x 100%",
    "count": "Jumlah (bilangan bulat, mis. kegiatan)",
    "quantity": "Besaran terukur dalam satuannya (mis. M2)",
    "composite": "Komposit dari persentase komponen",
    "grade": "Predikat pada skala berurutan (mis. AKIP AA–D)",
}
#: The kind of an indicator as the IKU table names it under the indicator.
KIND_LABELS = {
    "ikm": "dari hasil survei",
    "value": "nilai",
    "ratio": "rasio x 100%",
    "change": "perubahan tahunan",
    "count": "jumlah",
    "quantity": "besaran terukur",
    "composite": "komposit",
    "grade": "predikat berurutan",
}
COMBINATION_LABELS = {
    "mean": "Rata-rata persentase komponen",
    "sum": "Jumlah nilai komponen",
}
#: Predikat of the evaluation of SAKIP (PermenPANRB 88/2021), best first.
AKIP_SCALE = ("AA", "A", "BB", "B", "CC", "C", "D")
#: Kinds whose targets and realisation are plain non-negative numbers typed in.
NON_NEGATIVE = ("count", "quantity", "composite")

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


class IkuError(ValueError):
    """Input that cannot be saved; ``errors`` maps field to an Indonesian message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass
class IndicatorData:
    """What an indicator form or an IKU data file says about one indicator."""

    code: str
    sasaran: str
    name: str
    satuan: str
    polarity: str = "higher"
    method: str = "value"
    alasan: str | None = None
    formula: str | None = None
    penanggung_jawab: str | None = None
    sumber_data: str | None = None
    numerator_label: str | None = None
    denominator_label: str | None = None
    include_subunits: bool = True
    position: int | None = None
    definisi: str | None = None
    #: Grade only: the scale, best first.
    scale: tuple[str, ...] = ()
    #: Composite only: ``mean`` or ``sum``.
    combination: str | None = None
    #: Target per year (a grade's target is its predikat text); None removes that year's.
    targets: dict[int, Decimal | str | None] = field(default_factory=dict)


def target_problem(
    method: str,
    value: Decimal | str,
    *,
    polarity: str = "higher",
    scale: tuple[str, ...] = (),
) -> str | None:
    """Why ``value`` cannot be a target of an indicator of ``method``, or None.

    The IKM's realisation is the survey's nilai konversi (25–100), so its
    target must be on that scale too: a target of 3,32 (the IKM on 1–4)
    would make every capaian about 2500 %. A grade's target is one of its
    scale's predikat. A change where a decrease is wanted gives a negative
    number for a decrease, so its target is written the same way (−10 for a
    decrease of 10 %): a positive one would ask for an increase.
    """
    if method == "grade":
        if isinstance(value, str) and value in scale:
            return None
        return f"Target harus salah satu predikat skala: {', '.join(scale) or '(skala kosong)'}."
    if isinstance(value, str):
        return f"'{value}' bukan angka."
    if method == "count" and (value < 0 or value != value.to_integral_value()):
        return "Target jumlah harus bilangan bulat, tidak negatif."
    if method in NON_NEGATIVE and value < 0:
        return "Target tidak boleh negatif."
    if method == "change" and polarity == "lower" and value > 0:
        return (
            f"Rumus (n − (n−1)) / n memberi angka negatif untuk penurunan: tulis target "
            f"penurunan {_plain(value)}% sebagai −{_plain(value)}."
        )
    if method != "ikm":
        return None
    low, high = IKM_SCALE
    if low <= value <= high:
        return None
    hint = ""
    if Decimal(1) <= value <= Decimal(4):
        converted = (value * 25).quantize(Decimal("0.01"))
        hint = (
            f" Nilai {_plain(value)} tampaknya IKM pada skala 1–4; pada skala konversi "
            f"menjadi {_plain(converted)} (x 25)."
        )
    return (
        "Target IKM harus pada skala nilai konversi 25–100 (seperti 83,50), "
        f"skala yang sama dengan realisasi dari survei.{hint}"
    )


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def validate_indicator(
    session: Session, unit: Unit, data: IndicatorData, indicator: IkuIndicator | None = None
) -> dict[str, str]:
    """Every problem with ``data``, as field -> message (empty when it can be saved)."""
    errors: dict[str, str] = {}
    code_problem = _code_problem(session, unit, data.code, indicator)
    if code_problem:
        errors["code"] = code_problem
    for name, label, limit in (
        ("sasaran", "Sasaran strategis", 2000),
        ("name", "Nama indikator", 2000),
        ("satuan", "Satuan", 60),
    ):
        value = (getattr(data, name) or "").strip()
        if not value:
            errors[name] = f"{label} wajib diisi."
        elif len(value) > limit:
            errors[name] = f"{label} paling banyak {limit} karakter."
    if data.polarity not in POLARITIES:
        errors["polarity"] = "Pilih: makin tinggi makin baik, atau makin rendah makin baik."
    if data.method not in METHODS:
        errors["method"] = "Cara menghitung realisasi tidak dikenal."
    elif data.method == "grade":
        errors.update(_scale_problems(data.scale))
    elif data.method == "composite" and data.combination not in COMBINATIONS:
        errors["combination"] = "Pilih cara menggabungkan komponen: rata-rata atau jumlah."
    if data.method in ("ikm", "grade") and data.polarity == "lower":
        errors["polarity"] = (
            "IKM makin tinggi makin baik."
            if data.method == "ikm"
            else "Predikat dinilai dari urutan skala: yang pertama terbaik."
        )
    if data.method == "ikm":
        other = session.scalar(
            sa.select(IkuIndicator.code).where(
                IkuIndicator.unit_id == unit.id,
                IkuIndicator.method == "ikm",
                IkuIndicator.id != (indicator.id if indicator is not None else -1),
            )
        )
        if other is not None:
            errors["method"] = f"Unit ini sudah punya indikator IKM (kode '{other}')."
    for label_name in ("numerator_label", "denominator_label"):
        if len(getattr(data, label_name) or "") > 300:
            errors[label_name] = "Paling banyak 300 karakter."
    errors.update(_target_problems(data))
    return errors


def _code_problem(
    session: Session, unit: Unit, code: str, indicator: IkuIndicator | None
) -> str | None:
    """What is wrong with the code: its form, or another indicator of the unit having it."""
    if not _CODE.match(code):
        return (
            "Kode hanya huruf kecil, angka dan tanda hubung (mis. ikm, nilai-akip), "
            "paling banyak 60 karakter."
        )
    clash = session.scalar(
        sa.select(IkuIndicator.id).where(IkuIndicator.unit_id == unit.id, IkuIndicator.code == code)
    )
    if clash is not None and (indicator is None or clash != indicator.id):
        return f"Kode '{code}' sudah dipakai indikator lain di unit ini."
    return None


def _target_problems(data: IndicatorData) -> dict[str, str]:
    """The yearly targets outside the years offered or not valid for the method, by
    form field (target-YEAR)."""
    errors: dict[str, str] = {}
    for year, value in sorted(data.targets.items()):
        if value is None:
            continue
        if not YEARS[0] <= year <= YEARS[1]:
            errors[f"target-{year}"] = f"Tahun {year} di luar {YEARS[0]}–{YEARS[1]}."
            continue
        problem = target_problem(data.method, value, polarity=data.polarity, scale=data.scale)
        if problem:
            errors[f"target-{year}"] = f"Target {year}: {problem}"
        elif isinstance(value, Decimal) and abs(value) >= Decimal("1e13"):
            errors[f"target-{year}"] = f"Target {year} terlalu besar."
    return errors


def _scale_problems(scale: tuple[str, ...]) -> dict[str, str]:
    if len(scale) < 2:
        return {"scale": "Skala predikat membutuhkan paling sedikit dua predikat, terbaik dulu."}
    if len(set(scale)) != len(scale):
        return {"scale": "Setiap predikat pada skala hanya boleh sekali."}
    if any(len(grade) > 20 for grade in scale) or len(", ".join(scale)) > 200:
        return {"scale": "Predikat paling banyak 20 karakter, seluruh skala 200 karakter."}
    return {}


def parse_scale(text: str | None) -> tuple[str, ...]:
    """ "AA, A, BB" -> ("AA", "A", "BB"): the grades of a scale, best first."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def save_indicator(
    session: Session, unit: Unit, data: IndicatorData, indicator: IkuIndicator | None = None
) -> IkuIndicator:
    """Create (``indicator`` None) or update an indicator with its targets; flushes.

    Targets of years present in ``data.targets`` are set; other years are
    left as they are. Raises IkuError naming every problem, changing nothing.
    """
    errors = validate_indicator(session, unit, data, indicator)
    if errors:
        raise IkuError(errors)
    if indicator is None:
        last = session.scalar(
            sa.select(sa.func.max(IkuIndicator.position)).where(IkuIndicator.unit_id == unit.id)
        )
        indicator = IkuIndicator(unit=unit, position=(last or 0) + 1)
        session.add(indicator)
    indicator.code = data.code
    indicator.sasaran = data.sasaran.strip()
    indicator.name = data.name.strip()
    indicator.satuan = data.satuan.strip()
    indicator.polarity = data.polarity
    indicator.method = data.method
    indicator.alasan = _clean(data.alasan)
    indicator.formula = _clean(data.formula)
    indicator.penanggung_jawab = _clean(data.penanggung_jawab)
    indicator.sumber_data = _clean(data.sumber_data)
    indicator.numerator_label = _clean(data.numerator_label)
    indicator.denominator_label = _clean(data.denominator_label)
    indicator.include_subunits = data.include_subunits
    indicator.definisi = _clean(data.definisi)
    indicator.scale = ", ".join(data.scale) if data.method == "grade" else None
    indicator.combination = data.combination if data.method == "composite" else None
    if data.position is not None:
        indicator.position = data.position
    set_targets(indicator, data.targets)
    session.flush()
    return indicator


def set_targets(indicator: IkuIndicator, targets: Mapping[int, Decimal | str | None]) -> None:
    """Set (or, with None, remove) the targets of the given years; text is a grade."""
    existing = {target.year: target for target in indicator.targets}
    for year, value in targets.items():
        if value is None:
            if year in existing:
                indicator.targets.remove(existing[year])
            continue
        target = existing.get(year)
        if target is None:
            target = IkuTarget(year=year)
            indicator.targets.append(target)
        target.value, target.grade = (None, value) if isinstance(value, str) else (value, None)


def delete_indicator(session: Session, indicator: IkuIndicator) -> None:
    """Remove an indicator with its targets and realisation (flushes)."""
    session.delete(indicator)
    session.flush()


def indicators_of(session: Session, unit: Unit) -> list[IkuIndicator]:
    return list(
        session.scalars(
            sa.select(IkuIndicator)
            .where(IkuIndicator.unit_id == unit.id)
            .options(selectinload(IkuIndicator.targets))
            .order_by(IkuIndicator.position, IkuIndicator.id)
        )
    )


def predikat_scale(session: Session, unit: Unit) -> tuple[tuple[PredikatStep, ...], Unit | None]:
    """The predikat scale that applies to ``unit`` and the unit that set it.

    A unit without its own scale uses the nearest ancestor's, then the
    default (the unit returned is then None).
    """
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = session.scalars(
        sa.select(IkuPredikat).where(IkuPredikat.unit_id.in_(ancestor_ids or [unit.id]))
    ).all()
    by_unit: dict[int, list[IkuPredikat]] = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    for unit_id in reversed(ancestor_ids or [unit.id]):
        if unit_id in by_unit:
            steps = sorted(
                by_unit[unit_id],
                key=lambda s: (s.minimum is None, -(s.minimum or 0)),
            )
            return (
                tuple(PredikatStep(s.minimum, s.label) for s in steps),
                session.get(Unit, unit_id),
            )
    return DEFAULT_PREDIKAT, None


def set_predikat_scale(session: Session, unit: Unit, steps: Sequence[PredikatStep] | None) -> None:
    """Give ``unit`` its own scale (None: go back to the inherited one); flushes.

    Raises IkuError when the scale is unusable.
    """
    if steps is not None:
        problems = validate_scale(steps)
        if problems:
            raise IkuError({"predikat": " ".join(problems)})
    session.execute(sa.delete(IkuPredikat).where(IkuPredikat.unit_id == unit.id))
    for step in steps or ():
        session.add(IkuPredikat(unit_id=unit.id, minimum=step.minimum, label=step.label.strip()))
    session.flush()
