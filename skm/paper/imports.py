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

from questionnaires import Instrument
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


def preview_import(
    session: Session, settings: ImportSettings, tz: ZoneInfo, *, now: datetime | None = None
) -> ImportPreview:
    """Read and check every row; nothing is stored."""
    now = now or datetime.now(UTC)
    today = now.astimezone(tz).date()
    preview = ImportPreview(settings)
    instrument = settings.instrument
    periode = settings.periode
    if len(settings.content) > MAX_FILE_BYTES:
        preview.errors.append(
            CellError(0, "", f"Berkas lebih dari {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        )
        return preview
    if periode.start > today:
        preview.errors.append(CellError(0, "", f"{periode.label} belum dimulai."))
        return preview
    try:
        tabulation = read_tabulation_bytes(
            settings.content, settings.filename, instrument, max_errors=None, strict=False,
            columns=settings.columns,
        )  # fmt: skip
    except TabulationError as unreadable:
        preview.errors.extend(unreadable.errors)
        preview.columns = unreadable.columns
        return preview
    preview.columns = tabulation.columns

    headers = tabulation.detail_columns
    layanan_names = layanan_by_name(session, settings.unit)
    default_layanan = (
        session.get(Layanan, settings.default_layanan_id) if settings.default_layanan_id else None
    )
    profile_specs = {spec.key: spec for spec in instrument.profile}
    layanan_counts: Counter[str] = Counter()
    profile_counts: Counter[str] = Counter()
    days: list[date] = []
    column_of_unsur = {u.key: u.code for u in instrument.unsur}
    # Bad answer cells, found by the reader; their rows are checked for the
    # other problems too, so one upload names everything there is to fix.
    cell_errors: dict[int, list[CellError]] = {}
    for error in tabulation.errors:
        cell_errors.setdefault(error.row, []).append(error)
    preview.errors.extend(cell_errors.pop(0, []))
    for index, row_number in enumerate(tabulation.rows):
        details = tabulation.details[index]
        row_errors: list[CellError] = list(cell_errors.get(row_number, []))
        problem = _Problems(row_number, headers, row_errors)

        day, submitted_at, local_time = _row_instant(
            details.get("tanggal"), periode, today, tz, problem
        )

        layanan = default_layanan
        if "layanan" in details:
            name = str(details["layanan"]).strip()
            layanan = layanan_names.get(_normal(name))
            if layanan is None:
                preview.unknown_layanan.add(name)
                problem(
                    "layanan",
                    f"layanan '{name}' tidak ada di {settings.unit.name} "
                    "(lihat daftar layanan di bawah).",
                )

        profile: dict[str, Any] = {}
        for key, spec in profile_specs.items():
            if key not in details:
                continue
            try:
                profile[key] = profile_cell_value(spec, details[key])
            except ValueError as error:
                problem(key, str(error))

        saran = str(details["saran"]).strip() if "saran" in details else None
        if saran and len(saran) > SARAN_MAX_LENGTH:
            problem("saran", f"saran lebih dari {SARAN_MAX_LENGTH} karakter.")
            saran = None

        answers = {
            u.key: (None if math.isnan(v) else int(v))
            for u, v in zip(instrument.unsur, tabulation.answers[index], strict=True)
        }
        if not row_errors:
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
                        problem(column_of_unsur.get(key, key), message)
            else:
                preview.values.append(values)
                days.append(day)
                layanan_counts[layanan.name if layanan is not None else "(tidak dicatat)"] += 1
                profile_counts.update(key for key in profile)
                if len(preview.sample) < SAMPLE_ROWS:
                    preview.sample.append(
                        PreviewRow(
                            row_number,
                            day,
                            layanan.name if layanan is not None else None,
                            tuple(answers[u.key] for u in instrument.unsur),
                            profile,
                            local_time,
                        )
                    )
        preview.errors.extend(row_errors)

    preview.dated = "tanggal" in headers
    if days:
        preview.first_day, preview.last_day = min(days), max(days)
        preview.triwulan_counts = sorted(
            Counter((d.year, (d.month + 2) // 3) for d in days).items()
        )
    preview.layanan_counts = sorted(layanan_counts.items(), key=lambda item: -item[1])
    preview.profile_counts = dict(profile_counts)
    if not preview.errors:
        try:
            preview.result = score_matrix(tabulation.answers, instrument.grade_scale)
        except ValueError:
            preview.result = None
        preview.previous = session.scalar(
            sa.select(ImportBatch).where(
                ImportBatch.kind == "import",
                ImportBatch.content_sha256 == settings.sha256,
                ImportBatch.undone_at.is_(None),
            )
        )
    return preview


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
    summaries.remove(session.connection(), [row._mapping for row in deleted])
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
