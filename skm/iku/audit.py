"""Audit-log entries of the IKU pages: indicators with their targets, realisation
and the predikat scale, each change as "before → after".

The IKU services are also used by the data-file import and the demo, which
act for nobody; the pages take a snapshot before the change and call these
functions after it, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from skm.audit import diff, record
from skm.models import Unit, User
from skm.models.iku import IkuIndicator
from skm.periode import ROMAN
from skm.results.amounts import format_amount, plain
from skm.results.capaian import PredikatStep
from skm.results.indicators import (
    COMBINATION_LABELS,
    METHOD_LABELS,
    POLARITY_LABELS,
    predikat_scale,
)
from skm.results.realisasi import TAHUNAN, components_of, realisasi_entries

#: Fields of an indicator as the log compares them, in the order of the form.
_TEXT_FIELDS = (
    "code",
    "sasaran",
    "name",
    "satuan",
    "alasan",
    "formula",
    "penanggung_jawab",
    "sumber_data",
    "numerator_label",
    "denominator_label",
    "definisi",
    "scale",
)

#: Inputs of a realisation row, in the order of the form.
_INPUTS = ("value", "numerator", "denominator", "current_count", "previous_count", "grade",
           "components", "note")  # fmt: skip
_TEXT_INPUTS = ("grade", "note")

Snapshot = dict[str, Any]


def indicator_snapshot(indicator: IkuIndicator) -> Snapshot:
    """An indicator and its targets as the log shows them ("74,5", not Decimal('74.5000'))."""
    values: Snapshot = {name: getattr(indicator, name) or None for name in _TEXT_FIELDS}
    values["polarity"] = POLARITY_LABELS.get(indicator.polarity, indicator.polarity)
    values["method"] = METHOD_LABELS.get(indicator.method, indicator.method)
    if indicator.method == "ikm":  # the only method that scores sub-units
        values["include_subunits"] = bool(indicator.include_subunits)
    if indicator.method == "composite":
        values["combination"] = COMBINATION_LABELS.get(indicator.combination or "mean")
    for target in sorted(indicator.targets, key=lambda t: t.year):
        values[f"target:{target.year}"] = target.grade or format_amount(plain(target.value))
    return values


def _title(indicator: IkuIndicator) -> str:
    name = indicator.name if len(indicator.name) <= 80 else indicator.name[:77] + "..."
    return f"{indicator.code} ({name})"


def record_indicator_saved(
    session: Session,
    actor: User,
    indicator: IkuIndicator,
    before: Snapshot | None,
    address: str | None = None,
) -> None:
    """Log a new indicator (``before`` None) or the fields an edit changed (none: no entry)."""
    after = indicator_snapshot(indicator)
    unit = session.get(Unit, indicator.unit_id)
    if before is None:
        changes = {key: [None, value] for key, value in after.items() if value is not None}
        action, summary = "iku.create", f"Indikator {_title(indicator)} ditambahkan"
    else:
        changes = diff(before, after)
        action, summary = "iku.update", f"Indikator {_title(indicator)} diubah"
        if not changes:
            return
    if unit is not None:
        summary += f" di {unit.name}"
    record(session, actor, action, indicator, summary, unit=unit, changes=changes, address=address)


def record_indicator_deleted(
    session: Session, actor: User, indicator: IkuIndicator, address: str | None = None
) -> None:
    """Log an indicator about to be deleted (call before deleting it)."""
    unit = session.get(Unit, indicator.unit_id)
    before = indicator_snapshot(indicator)
    record(
        session,
        actor,
        "iku.delete",
        indicator,
        f"Indikator {_title(indicator)} dihapus beserta target dan realisasinya",
        unit=unit,
        changes={key: [before[key], None] for key in ("code", "name") if before[key]},
        address=address,
    )


def _row_name(triwulan: int) -> str:
    return "tahunan" if triwulan == TAHUNAN else f"Triwulan {ROMAN[triwulan - 1]}"


def realisasi_snapshot(session: Session, indicator: IkuIndicator, year: int) -> Snapshot:
    """The typed-in inputs of one year, keyed "value:Triwulan I", "note:tahunan"."""
    entries = realisasi_entries(session, indicator, year)
    values: Snapshot = {}
    for triwulan in sorted(entries, key=lambda t: (t == TAHUNAN, t)):
        entry = entries[triwulan]
        for name in _INPUTS:
            value = getattr(entry, name)
            if value is None or value == "":
                continue
            if name == "components":
                shown = "; ".join(format_amount(plain(v)) for v in components_of(value))
            else:
                shown = value if name in _TEXT_INPUTS else format_amount(plain(value))
            values[f"{name}:{_row_name(triwulan)}"] = shown
    return values


def record_realisasi(
    session: Session,
    actor: User,
    indicator: IkuIndicator,
    year: int,
    before: Snapshot,
    address: str | None = None,
) -> None:
    """Log one save of a year's realisation form: every input that changed (none: no entry)."""
    changes = diff(before, realisasi_snapshot(session, indicator, year))
    if not changes:
        return
    unit = session.get(Unit, indicator.unit_id)
    summary = f"Realisasi {year} indikator {_title(indicator)}"
    if unit is not None:
        summary += f" di {unit.name}"
    record(
        session,
        actor,
        "iku.realisasi",
        indicator,
        summary,
        unit=unit,
        changes=changes,
        address=address,
    )


def scale_text(steps: Sequence[PredikatStep], owner: Unit | None, unit: Unit) -> str:
    """ "≥ 90 Sangat Tinggi; ≥ 75 Tinggi; di bawahnya Rendah (skala bawaan)"."""
    parts = [
        f"di bawahnya {step.label}"
        if step.minimum is None
        else f"≥ {format_amount(plain(step.minimum))} {step.label}"
        for step in steps
    ]
    text = "; ".join(parts)
    if owner is None:
        return f"{text} (skala bawaan)"
    if owner.id != unit.id:
        return f"{text} (ikut {owner.name})"
    return text


def predikat_text(session: Session, unit: Unit) -> str:
    steps, owner = predikat_scale(session, unit)
    return scale_text(steps, owner, unit)


def record_predikat(
    session: Session, actor: User, unit: Unit, before: str, address: str | None = None
) -> None:
    """Log a change of ``unit``'s predikat scale (``before`` from :func:`predikat_text`)."""
    after = predikat_text(session, unit)
    if after == before:
        return
    record(
        session,
        actor,
        "iku.predikat",
        unit,
        f"Skala predikat capaian IKU {unit.name} diubah",
        unit=unit,
        changes={"predikat": [before, after]},
        address=address,
    )
