"""IKU documents as data files: ``skm iku import FILE``.

An office's IKU document (the table of sasaran strategis, indicators,
formulas and targets that the head of the office signs) is written as one
TOML file, e.g. ``data/iku/bantargebah-2024.toml``. TOML because it is
plain text that an office can edit in Notepad, keeps long Indonesian
texts readable (multi-line strings), allows comments, and is read by
Python's standard library. Decimals may be written as in the document
(``"83,5"``), as strings (``"74.15"``) or as numbers (``83.5``).

Schema (all keys but those marked optional are required)::

    format = "skm-iku/1"
    unit = "Kecamatan Bantargebah"        # the office named in the texts
    title = "..."                          # optional: the document's title
    source = "..."                         # optional: where it comes from

    [[indicator]]
    code = "ikm"                           # a-z, 0-9, '-': stable within the unit
    sasaran = "Meningkatnya ..."
    name = "Indeks Kepuasan Masyarakat ..."
    satuan = "Nilai"
    method = "ikm"        # ikm | value (nilai) | ratio (rasio) | change (perubahan) |
                          # count (jumlah) | quantity (besaran) | composite (komposit) |
                          # grade (predikat)
    polarity = "higher"   # higher (naik) | lower (turun); optional, default higher
    direction = "decrease"                 # optional, change only: decrease (penurunan,
                                           # = polarity lower) | increase (kenaikan)
    scale = ["AA", "A", "BB", "B", "CC", "C", "D"]   # grade only: best first
    combination = "mean"                   # composite only: mean (rata-rata) | sum (jumlah)
    definisi = "..."                       # optional: definisi operasional
    alasan = "..."                         # optional
    formula = "..."                        # optional: formulasi / cara pengukuran
    penanggung_jawab = "..."               # optional
    sumber_data = "..."                    # optional
    numerator = "Jumlah ..."               # optional: ratio / change inputs
    denominator = "Jumlah ..."             # optional
    include_subunits = true                # optional, IKM only
    targets = { 2024 = "83", 2025 = "83,5", 2026 = "84" }   # optional; grade: { 2024 = "BB" }

    [[predikat]]                           # optional: the unit's own scale
    minimum = "91"                         # omit on the last (lowest) step
    label = "Sangat Tinggi"

Importing is all or nothing: every problem is reported with the
indicator's number and code, and nothing is stored. An indicator whose
code already exists in the unit is updated (targets of the years in the
file are set, other years kept); indicators not in the file are left
alone. When the file is imported into another unit than the one it names,
that unit's name replaces the file's in every text, so one kecamatan can
adopt another's document.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.models import Unit
from skm.models.iku import IkuIndicator
from skm.results.amounts import parse_decimal
from skm.results.capaian import PredikatStep, validate_scale
from skm.results.indicators import (
    IkuError,
    IndicatorData,
    parse_scale,
    save_indicator,
    set_predikat_scale,
    validate_indicator,
)

FORMAT = "skm-iku/1"

POLARITY_NAMES = {"higher": "higher", "naik": "higher", "tinggi": "higher",
                  "lower": "lower", "turun": "lower", "rendah": "lower"}  # fmt: skip
METHOD_NAMES = {"ikm": "ikm", "value": "value", "nilai": "value", "ratio": "ratio",
                "rasio": "ratio", "change": "change", "perubahan": "change",
                "count": "count", "jumlah": "count", "quantity": "quantity",
                "besaran": "quantity", "composite": "composite", "komposit": "composite",
                "grade": "grade", "predikat": "grade"}  # fmt: skip
DIRECTION_NAMES = {"decrease": "lower", "penurunan": "lower", "turun": "lower",
                   "increase": "higher", "kenaikan": "higher", "naik": "higher"}  # fmt: skip
COMBINATION_NAMES = {"mean": "mean", "rata-rata": "mean", "sum": "sum", "jumlah": "sum"}

_TEXT_FIELDS = ("sasaran", "name", "satuan", "definisi", "alasan", "formula",
                "penanggung_jawab", "sumber_data", "numerator", "denominator")  # fmt: skip
_LONG_TEXTS = ("definisi", "alasan", "formula")
_INDICATOR_KEYS = frozenset(
    {*_TEXT_FIELDS, "code", "method", "polarity", "direction", "scale", "combination",
     "include_subunits", "targets"}
)  # fmt: skip
_TOP_KEYS = frozenset({"format", "unit", "title", "source", "indicator", "predikat"})


class IkuFileError(ValueError):
    """A file that cannot be imported; ``problems`` lists every one, in Indonesian."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class IkuDocument:
    unit_name: str
    title: str | None
    indicators: list[IndicatorData]
    predikat: list[PredikatStep] | None = None
    source: str | None = None


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    targets: int = 0
    untouched: list[str] = field(default_factory=list)
    renamed_from: str | None = None
    predikat: bool = False


def read_document(path: Path) -> IkuDocument:
    """Parse and check an IKU data file (everything that needs no database)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise IkuFileError([f"Berkas harus teks UTF-8: {error}"]) from error
    except tomllib.TOMLDecodeError as error:
        raise IkuFileError([f"Bukan TOML yang sah: {error}"]) from error
    return parse_document(data)


def parse_document(data: dict[str, Any]) -> IkuDocument:
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f'Baris format = "{FORMAT}" tidak ada atau berbeda.')
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(f"Kunci '{key}' tidak dikenal.")
    unit_name = data.get("unit")
    if not isinstance(unit_name, str) or not unit_name.strip():
        problems.append("Kunci 'unit' (nama unit dalam dokumen) wajib diisi.")
        unit_name = ""
    raw_indicators = data.get("indicator", [])
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.append("Tidak ada [[indicator]].")
        raw_indicators = []
    indicators = []
    codes: set[str] = set()
    for number, raw in enumerate(raw_indicators, start=1):
        where = f"Indikator ke-{number}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: harus tabel [[indicator]].")
            continue
        if isinstance(raw.get("code"), str):
            where += f" ({raw['code']})"
        indicator, indicator_problems = _parse_indicator(raw, number)
        problems += [f"{where}: {problem}" for problem in indicator_problems]
        if indicator is not None:
            if indicator.code in codes:
                problems.append(f"{where}: kode '{indicator.code}' dipakai dua kali.")
            codes.add(indicator.code)
            indicators.append(indicator)
    if sum(1 for i in indicators if i.method == "ikm") > 1:
        problems.append('Hanya satu indikator boleh memakai method = "ikm".')
    predikat = None
    if "predikat" in data:
        predikat, predikat_problems = _parse_predikat(data["predikat"])
        problems += predikat_problems
    if problems:
        raise IkuFileError(problems)
    title = data.get("title")
    source = data.get("source")
    return IkuDocument(
        unit_name.strip(),
        title if isinstance(title, str) else None,
        indicators,
        predikat,
        source if isinstance(source, str) else None,
    )


def _text(raw: dict[str, Any], key: str, problems: list[str]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"'{key}' harus teks.")
        return None
    return " ".join(value.split()) if key not in _LONG_TEXTS else value.strip()


def _parse_indicator(raw: dict[str, Any], number: int) -> tuple[IndicatorData | None, list[str]]:
    problems: list[str] = []
    for key in sorted(set(raw) - _INDICATOR_KEYS):
        problems.append(f"kunci '{key}' tidak dikenal.")
    texts = {key: _text(raw, key, problems) for key in _TEXT_FIELDS}
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        problems.append("'code' wajib diisi.")
        code = ""
    for key in ("sasaran", "name", "satuan"):
        if not texts[key]:
            problems.append(f"'{key}' wajib diisi.")
    method = METHOD_NAMES.get(str(raw.get("method", "")).strip().casefold())
    if method is None:
        problems.append(
            f"method '{raw.get('method', '')}' tidak dikenal; "
            "gunakan ikm, value, ratio, change, count, quantity, composite atau grade."
        )
    polarity = _polarity(raw, method, problems)
    scale = _scale(raw.get("scale"), method, problems)
    combination = _combination(raw, method, problems)
    include_subunits = raw.get("include_subunits", True)
    if not isinstance(include_subunits, bool):
        problems.append("include_subunits harus true atau false.")
        include_subunits = True
    targets = _targets(raw.get("targets", {}), method, problems)
    if problems:
        return None, problems
    assert method is not None and polarity is not None
    data = IndicatorData(
        code=code.strip(),
        sasaran=texts["sasaran"] or "",
        name=texts["name"] or "",
        satuan=texts["satuan"] or "",
        polarity=polarity,
        method=method,
        alasan=texts["alasan"],
        formula=texts["formula"],
        penanggung_jawab=texts["penanggung_jawab"],
        sumber_data=texts["sumber_data"],
        numerator_label=texts["numerator"],
        denominator_label=texts["denominator"],
        include_subunits=include_subunits,
        position=number,
        definisi=texts["definisi"],
        scale=scale,
        combination=combination,
        targets=targets,
    )
    return data, problems


def _polarity(raw: dict[str, Any], method: str | None, problems: list[str]) -> str | None:
    """Whether higher or lower is better; a "change" indicator may say it as the
    direction it aims for (decrease: lower), which must then agree with any polarity."""
    polarity = POLARITY_NAMES.get(str(raw.get("polarity", "higher")).strip().casefold())
    if polarity is None:
        problems.append(
            f"polarity '{raw.get('polarity')}' tidak dikenal; gunakan higher atau lower."
        )
    if "direction" in raw:
        direction = DIRECTION_NAMES.get(str(raw["direction"]).strip().casefold())
        if method != "change":
            problems.append('direction hanya untuk method = "change".')
        elif direction is None:
            problems.append(
                f"direction '{raw['direction']}' tidak dikenal; gunakan decrease atau increase."
            )
        elif "polarity" in raw and polarity != direction:
            problems.append("direction dan polarity bertentangan.")
        else:
            polarity = direction
    return polarity


def _combination(raw: dict[str, Any], method: str | None, problems: list[str]) -> str | None:
    """How a composite indicator combines its parts (mean unless said); only composites
    have one."""
    if method == "composite":
        combination = COMBINATION_NAMES.get(str(raw.get("combination", "mean")).casefold())
        if combination is None:
            problems.append(
                f"combination '{raw.get('combination')}' tidak dikenal; gunakan mean atau sum."
            )
        return combination
    if "combination" in raw:
        problems.append('combination hanya untuk method = "composite".')
    return None


def _targets(
    raw_targets: Any, method: str | None, problems: list[str]
) -> dict[int, Decimal | str | None]:
    """The yearly targets: { 2024 = "83", ... }, numbers, or predikat for a grade."""
    targets: dict[int, Decimal | str | None] = {}
    if not isinstance(raw_targets, dict):
        problems.append('targets harus tabel { 2024 = "83", ... }.')
        return targets
    for year_text, value in raw_targets.items():
        if not str(year_text).isdigit() or len(str(year_text)) != 4:
            problems.append(f"tahun target '{year_text}' bukan tahun empat angka.")
            continue
        if method == "grade":
            # A grade's target is a predikat; the database check names a wrong one.
            targets[int(year_text)] = str(value).strip()
            continue
        try:
            targets[int(year_text)] = parse_decimal(value)
        except ValueError:
            problems.append(f"target {year_text} '{value}' bukan angka.")
    return targets


def _scale(raw: Any, method: str | None, problems: list[str]) -> tuple[str, ...]:
    """A grade's scale, written as a list (["AA", "A"]) or as text ("AA, A")."""
    if raw is None:
        if method == "grade":
            problems.append('method = "grade" membutuhkan scale, mis. ["AA", "A", "BB"].')
        return ()
    if method != "grade":
        problems.append('scale hanya untuk method = "grade".')
        return ()
    if isinstance(raw, str):
        return parse_scale(raw)
    if isinstance(raw, list) and all(isinstance(grade, str) for grade in raw):
        return tuple(grade.strip() for grade in raw if grade.strip())
    problems.append('scale harus daftar teks, mis. ["AA", "A", "BB"].')
    return ()


def _parse_predikat(raw: Any) -> tuple[list[PredikatStep] | None, list[str]]:
    if not isinstance(raw, list) or not all(isinstance(step, dict) for step in raw):
        return None, ["[[predikat]] harus daftar tabel dengan minimum dan label."]
    steps = []
    problems = []
    for number, step in enumerate(raw, start=1):
        label = step.get("label")
        if not isinstance(label, str):
            problems.append(f"Predikat ke-{number}: 'label' wajib diisi.")
            continue
        minimum = None
        if "minimum" in step:
            try:
                minimum = parse_decimal(step["minimum"])
            except ValueError:
                problems.append(f"Predikat ke-{number}: minimum '{step['minimum']}' bukan angka.")
                continue
        steps.append(PredikatStep(minimum, label))
    if not problems:
        problems += [f"Predikat: {p}" for p in validate_scale(steps)]
    return steps, problems


def _adopt(data: IndicatorData, old: str, new: str) -> None:
    """Replace the document's unit name by the importing unit's in every text."""
    for name in ("sasaran", "name", "definisi", "alasan", "formula", "penanggung_jawab",
                 "sumber_data", "numerator_label", "denominator_label"):  # fmt: skip
        value = getattr(data, name)
        if value:
            setattr(data, name, value.replace(old, new))


def import_document(session: Session, unit: Unit, document: IkuDocument) -> ImportSummary:
    """Create or update the document's indicators, targets and scale in ``unit``.

    Flushes; the caller commits, or rolls back on IkuFileError (raised
    with every problem when any indicator is invalid).
    """
    summary = ImportSummary()
    if document.unit_name and document.unit_name.casefold() != unit.name.casefold():
        summary.renamed_from = document.unit_name
        for data in document.indicators:
            _adopt(data, document.unit_name, unit.name)
    existing = {
        indicator.code: indicator
        for indicator in session.scalars(
            sa.select(IkuIndicator).where(IkuIndicator.unit_id == unit.id)
        )
    }
    problems = []
    # Check everything first: one bad indicator must not leave the others half-imported.
    for number, data in enumerate(document.indicators, start=1):
        errors = validate_indicator(session, unit, data, existing.get(data.code))
        problems += [f"Indikator ke-{number} ({data.code}): {m}" for m in errors.values()]
    if problems:
        raise IkuFileError(problems)
    for data in document.indicators:
        indicator = existing.get(data.code)
        try:
            save_indicator(session, unit, data, indicator)
        except IkuError as error:  # pragma: no cover - validated above
            raise IkuFileError(list(error.errors.values())) from error
        (summary.updated if indicator is not None else summary.created).append(data.code)
        summary.targets += sum(1 for value in data.targets.values() if value is not None)
    codes = {d.code for d in document.indicators}
    summary.untouched = sorted(code for code in existing if code not in codes)
    if document.predikat is not None:
        set_predikat_scale(session, unit, document.predikat)
        summary.predikat = True
    return summary
