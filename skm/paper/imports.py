"""Importing a tabulation (CSV/XLSX) into a unit and periode, and undoing it.

The file is read by :mod:`skm.tabulation` (the reader of ``skm score``),
every row is validated as a response would be (:func:`skm.responses.
response_values`), and only a file without a single problem can be
imported. The preview lists every bad row and cell; the import stores all
rows in one transaction or none; an import is undone as a whole.
"""

from __future__ import annotations

import hashlib
import math
import uuid as uuid_module
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument, ProfileField
from scoring import IkmResult, score_matrix
from skm import summaries
from skm.audit import record
from skm.columns import ColumnRole
from skm.formatting import format_date, format_number
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.paper import ImportBatch
from skm.paper.entry import survey_instant
from skm.periode import Periode, PeriodeError
from skm.responses import (
    SARAN_MAX_LENGTH,
    ResponseError,
    ResponseInput,
    bulk_insert,
    response_values,
)
from skm.tabulation import (
    CellError,
    Tabulation,
    TabulationError,
    parse_date_cell,
    profile_cell_value,
    read_tabulation_bytes,
)
from skm.units import subtree_condition

#: Files larger than this are refused before reading (a tabulation of
#: 50 000 respondents is about 2 MB as CSV).
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Rows per INSERT statement; all of them in the same transaction.
INSERT_CHUNK = 1000

#: Rows shown in the preview.
SAMPLE_ROWS = 10


@dataclass(frozen=True)
class ImportSettings:
    """What the operator chose: where the rows go and how to read them."""

    unit: Unit
    instrument: Instrument
    periode: Periode
    filename: str
    content: bytes
    default_layanan_id: int | None = None
    #: Column index -> target chosen by staff in the preview (skm.columns).
    columns: Mapping[int, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class PreviewRow:
    row: int
    survey_date: date
    layanan: str | None
    answers: tuple[int | None, ...]  # report order U1..Un
    profile: dict[str, Any]
    local_time: time | None = None  # the time of day read from a timestamp column


@dataclass
class ImportPreview:
    """The outcome of reading a file: problems, or what would be stored."""

    settings: ImportSettings
    errors: list[CellError] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)
    sample: list[PreviewRow] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    dated: bool = False
    layanan_counts: list[tuple[str, int]] = field(default_factory=list)
    profile_counts: dict[str, int] = field(default_factory=dict)
    result: IkmResult | None = None
    previous: ImportBatch | None = None
    unknown_layanan: set[str] = field(default_factory=set)
    columns: tuple[ColumnRole, ...] = ()
    #: ((year, triwulan), rows) of the rows by their local date, oldest first.
    triwulan_counts: list[tuple[tuple[int, int], int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.previous is None and bool(self.values)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row >= 2})


class ImportRejected(ValueError):
    """The file has problems; ``preview`` says which."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__(f"{len(preview.errors)} masalah")


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def layanan_by_name(session: Session, unit: Unit) -> dict[str, Layanan]:
    return {
        _normal(layanan.name): layanan
        for layanan in session.scalars(
            sa.select(Layanan).where(Layanan.unit_id == unit.id, Layanan.active.is_(True))
        )
    }


@dataclass(frozen=True)
class _Problems:
    """Collects the problems of one row, naming columns as the file's header does."""

    row: int
    headers: Mapping[str, str]
    errors: list[CellError]

    def __call__(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.row, self.headers.get(column, column), message))


def _default_day(periode: Periode, today: date) -> date:
    """Rows without a date are dated on the periode's last day (the day a
    tabulation is usually closed), or today while the periode is running."""
    return min(periode.last_day, today)


def _row_instant(
    cell: Any, periode: Periode, today: date, tz: ZoneInfo, problem: _Problems
) -> tuple[date, datetime, time | None]:
    """The local day, the UTC instant and the local time of day (when the
    cell is a timestamp) of a row, from its date cell in the office's time
    zone; the default day when there is none."""
    day = _default_day(periode, today)
    submitted_at = survey_instant(day, tz)
    if cell is None:
        return day, submitted_at, None
    try:
        parsed = parse_date_cell(cell)
    except ValueError as error:
        problem("tanggal", str(error))
        return day, submitted_at, None
    local_time = None
    if isinstance(parsed, datetime):
        local = parsed.replace(tzinfo=tz)
        day, submitted_at, local_time = local.date(), local.astimezone(UTC), local.time()
    else:
        day, submitted_at = parsed, survey_instant(parsed, tz)
    if not periode.start <= day <= periode.last_day:
        problem("tanggal", f"tanggal {format_date(day)} di luar {periode.label}.")
    elif day > today:
        problem("tanggal", f"tanggal {format_date(day)} belum terjadi.")
    return day, submitted_at, local_time


@dataclass(frozen=True)
class _FileRules:
    """What every row of one file is checked against, looked up once for the file."""

    settings: ImportSettings
    tz: ZoneInfo
    today: date
    #: Optional column -> its header as written in the file (for error messages).
    headers: Mapping[str, str]
    layanan_names: dict[str, Layanan]
    #: The layanan of rows without a layanan column (chosen in the form), if any.
    default_layanan: Layanan | None
    profile_fields: dict[str, ProfileField]
    #: Unsur key -> its column (U1..Un), as response_values names unsur by key.
    column_of_unsur: dict[str, str]

    @classmethod
    def of(
        cls,
        session: Session,
        settings: ImportSettings,
        tabulation: Tabulation,
        tz: ZoneInfo,
        today: date,
    ) -> _FileRules:
        instrument = settings.instrument
        return cls(
            settings,
            tz,
            today,
            tabulation.detail_columns,
            layanan_by_name(session, settings.unit),
            session.get(Layanan, settings.default_layanan_id)
            if settings.default_layanan_id
            else None,
            {spec.key: spec for spec in instrument.profile},
            {u.key: u.code for u in instrument.unsur},
        )


@dataclass(frozen=True)
class _AcceptedRow:
    """A row without problems: what it would store and what the preview shows of it."""

    row: int
    day: date
    layanan: Layanan | None
    answers: dict[str, int | None]
    profile: dict[str, Any]
    local_time: time | None
    values: dict[str, Any]


def _refusal(settings: ImportSettings, today: date) -> CellError | None:
    """Why the file is refused before it is read: too large, or a periode not yet begun."""
    if len(settings.content) > MAX_FILE_BYTES:
        return CellError(0, "", f"Berkas lebih dari {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    if settings.periode.start > today:
        return CellError(0, "", f"{settings.periode.label} belum dimulai.")
    return None


def preview_import(
    session: Session, settings: ImportSettings, tz: ZoneInfo, *, now: datetime | None = None
) -> ImportPreview:
    """Read and check every row; nothing is stored."""
    now = now or datetime.now(UTC)
    today = now.astimezone(tz).date()
    preview = ImportPreview(settings)
    refusal = _refusal(settings, today)
    if refusal is not None:
        preview.errors.append(refusal)
        return preview
    try:
        tabulation = read_tabulation_bytes(
            settings.content, settings.filename, settings.instrument, max_errors=None,
            strict=False, columns=settings.columns,
        )  # fmt: skip
    except TabulationError as unreadable:
        preview.errors.extend(unreadable.errors)
        preview.columns = unreadable.columns
        return preview
    preview.columns = tabulation.columns
    rules = _FileRules.of(session, settings, tabulation, tz, today)
    accepted = _check_rows(session, rules, tabulation, preview)
    _summarise(preview, accepted)
    preview.dated = "tanggal" in rules.headers
    if not preview.errors:
        try:
            preview.result = score_matrix(tabulation.answers, settings.instrument.grade_scale)
        except ValueError:
            preview.result = None
        preview.previous = _same_file_imported(session, settings)
    return preview


def _check_rows(
    session: Session, rules: _FileRules, tabulation: Tabulation, preview: ImportPreview
) -> list[_AcceptedRow]:
    """Every row checked, its problems added to ``preview.errors`` in file order; the rows
    without any problem are returned."""
    # Bad answer cells, found by the reader; their rows are checked for the
    # other problems too, so one upload names everything there is to fix.
    cell_errors: dict[int, list[CellError]] = {}
    for error in tabulation.errors:
        cell_errors.setdefault(error.row, []).append(error)
    preview.errors.extend(cell_errors.pop(0, []))
    accepted = []
    for index, row_number in enumerate(tabulation.rows):
        row_errors: list[CellError] = list(cell_errors.get(row_number, []))
        problem = _Problems(row_number, rules.headers, row_errors)
        row = _check_row(session, rules, tabulation, index, problem, preview.unknown_layanan)
        if row is not None:
            accepted.append(row)
        preview.errors.extend(row_errors)
    return accepted


def _check_row(
    session: Session,
    rules: _FileRules,
    tabulation: Tabulation,
    index: int,
    problem: _Problems,
    unknown_layanan: set[str],
) -> _AcceptedRow | None:
    """Data row ``index`` as a response would be stored, or None when it has a problem
    (reported through ``problem``, which also holds the cell errors the reader found)."""
    details = tabulation.details[index]
    settings = rules.settings
    instrument = settings.instrument
    day, submitted_at, local_time = _row_instant(
        details.get("tanggal"), settings.periode, rules.today, rules.tz, problem
    )
    layanan = _row_layanan(rules, details, problem, unknown_layanan)
    profile = _row_profile(rules, details, problem)
    saran = _row_saran(details, problem)
    answers = {
        u.key: (None if math.isnan(v) else int(v))
        for u, v in zip(instrument.unsur, tabulation.answers[index], strict=True)
    }
    if problem.errors:
        return None
    try:
        values = response_values(
            session,
            ResponseInput(
                uuid=uuid_module.uuid4(),
                unit_id=settings.unit.id,
                layanan_id=layanan.id if layanan is not None else None,
                answers=answers,
                submitted_at=submitted_at,
                channel="import",
                profile=profile,
                saran=saran,
            ),
            instrument,
        )
    except ResponseError as error:
        for key, message in error.errors.items():
            if key == "answers":
                problem("", "baris ini tidak berisi satu pun jawaban.")
            else:
                problem(rules.column_of_unsur.get(key, key), message)
        return None
    return _AcceptedRow(problem.row, day, layanan, answers, profile, local_time, values)


def _row_layanan(
    rules: _FileRules, details: Mapping[str, Any], problem: _Problems, unknown: set[str]
) -> Layanan | None:
    """The layanan named in the row (matched ignoring case and spacing), else the default;
    an unknown name is a problem and is collected for the list under the preview."""
    if "layanan" not in details:
        return rules.default_layanan
    name = str(details["layanan"]).strip()
    layanan = rules.layanan_names.get(_normal(name))
    if layanan is None:
        unknown.add(name)
        problem(
            "layanan",
            f"layanan '{name}' tidak ada di {rules.settings.unit.name} "
            "(lihat daftar layanan di bawah).",
        )
    return layanan


def _row_profile(
    rules: _FileRules, details: Mapping[str, Any], problem: _Problems
) -> dict[str, Any]:
    """The profile answers of the row that are present and valid."""
    profile: dict[str, Any] = {}
    for key, spec in rules.profile_fields.items():
        if key not in details:
            continue
        try:
            profile[key] = profile_cell_value(spec, details[key])
        except ValueError as error:
            problem(key, str(error))
    return profile


def _row_saran(details: Mapping[str, Any], problem: _Problems) -> str | None:
    """The saran as written; one longer than a response may hold is a problem."""
    saran = str(details["saran"]).strip() if "saran" in details else None
    if saran and len(saran) > SARAN_MAX_LENGTH:
        problem("saran", f"saran lebih dari {SARAN_MAX_LENGTH} karakter.")
        return None
    return saran


def _summarise(preview: ImportPreview, accepted: Sequence[_AcceptedRow]) -> None:
    """What the accepted rows would store: values, the first rows as a sample, their
    days and triwulan, and how many rows per layanan and per profile question."""
    instrument = preview.settings.instrument
    layanan_counts: Counter[str] = Counter()
    profile_counts: Counter[str] = Counter()
    for row in accepted:
        preview.values.append(row.values)
        layanan_counts[row.layanan.name if row.layanan is not None else "(tidak dicatat)"] += 1
        profile_counts.update(key for key in row.profile)
    for row in accepted[:SAMPLE_ROWS]:
        preview.sample.append(
            PreviewRow(
                row.row,
                row.day,
                row.layanan.name if row.layanan is not None else None,
                tuple(row.answers[u.key] for u in instrument.unsur),
                row.profile,
                row.local_time,
            )
        )
    days = [row.day for row in accepted]
    if days:
        preview.first_day, preview.last_day = min(days), max(days)
        preview.triwulan_counts = sorted(
            Counter((d.year, (d.month + 2) // 3) for d in days).items()
        )
    preview.layanan_counts = sorted(layanan_counts.items(), key=lambda item: -item[1])
    preview.profile_counts = dict(profile_counts)


def _same_file_imported(session: Session, settings: ImportSettings) -> ImportBatch | None:
    """The import of a file with the same content that is not undone, if any (refused again)."""
    return session.scalar(
        sa.select(ImportBatch).where(
            ImportBatch.kind == "import",
            ImportBatch.content_sha256 == settings.sha256,
            ImportBatch.undone_at.is_(None),
        )
    )


def run_import(
    session: Session,
    settings: ImportSettings,
    user: User,
    tz: ZoneInfo,
    *,
    now: datetime | None = None,
    address: str | None = None,
) -> ImportBatch:
    """Check the file again and store every row in the caller's transaction (audited).

    Raises ImportRejected (nothing added) when any row has a problem or the
    same file is already imported. Flushes; the caller commits once, so the
    rows are stored all together or not at all.
    """
    now = now or datetime.now(UTC)
    preview = preview_import(session, settings, tz, now=now)
    if not preview.ok:
        raise ImportRejected(preview)
    batch = ImportBatch(
        kind="import",
        unit_id=settings.unit.id,
        instrument_key=settings.instrument.key,
        instrument_version=settings.instrument.version,
        periode_code=settings.periode.code,
        filename=settings.filename[:255],
        content_sha256=settings.sha256,
        row_count=preview.count,
        created_at=now,
        created_by_id=user.id,
        created_by_name=user.full_name or user.username,
    )
    session.add(batch)
    session.flush()
    rows = [
        {**values, "import_batch_id": batch.id, "received_at": now} for values in preview.values
    ]
    for start in range(0, len(rows), INSERT_CHUNK):
        bulk_insert(session, rows[start : start + INSERT_CHUNK])
    session.flush()
    record(
        session,
        user,
        "impor.create",
        batch,
        f"{format_number(batch.row_count, 0)} respons dari {batch.filename} diimpor ke "
        f"{settings.unit.name} ({settings.periode.label})",
        unit=settings.unit,
        changes={
            "filename": [None, batch.filename],
            "periode": [None, settings.periode.label],
            "row_count": [None, batch.row_count],
        },
        address=address,
    )
    return batch


def undo_batch(
    session: Session,
    batch: ImportBatch,
    user: User,
    *,
    now: datetime | None = None,
    address: str | None = None,
) -> int:
    """Delete every response of ``batch`` and mark it undone by ``user``; flushes, audited.

    Returns the number of responses removed. Raises ValueError when the
    batch was undone already.
    """
    if not batch.active:
        raise ValueError("Batch ini sudah dibatalkan.")
    deleted = session.execute(
        sa.delete(SurveyResponse)
        .where(SurveyResponse.import_batch_id == batch.id)
        .returning(*summaries.returning())
    ).all()
    summaries.remove(session.connection(), [row._asdict() for row in deleted])
    removed = len(deleted)
    batch.undone_at = now or datetime.now(UTC)
    batch.undone_by_id = user.id
    batch.undone_by_name = user.full_name or user.username
    batch.undone_count = removed
    session.flush()
    unit = session.get(Unit, batch.unit_id)
    unit_name = unit.name if unit else ""
    if batch.kind == "import":
        try:
            periode = f", {Periode.parse(batch.periode_code or '').label}"
        except PeriodeError:
            periode = ""
        what = f"Impor {batch.filename} ({unit_name}{periode})"
    else:
        day = f" pada {format_date(batch.entry_date)}" if batch.entry_date else ""
        what = f"Formulir kertas {unit_name} yang diketik {batch.created_by_name}{day}"
    record(
        session,
        user,
        "impor.undo" if batch.kind == "import" else "kertas.undo",
        batch,
        f"{what} dibatalkan: {format_number(removed, 0)} respons dihapus",
        unit=unit,
        changes={"row_count": [removed, 0]},
        address=address,
    )
    return removed


def batches_of(session: Session, unit: Unit, limit: int = 100) -> Sequence[ImportBatch]:
    """Imports and paper batches of ``unit`` and its sub-units, newest first."""
    return session.scalars(
        sa.select(ImportBatch)
        .join(Unit, ImportBatch.unit_id == Unit.id)
        .where(subtree_condition(unit))
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    ).all()
