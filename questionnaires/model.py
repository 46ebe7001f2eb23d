"""Frozen objects describing one questionnaire instrument (one TOML file).

An :class:`Instrument` is identified by ``(key, version)``; the database
stores that pair with every response and never a copy of the labels, so the
objects here are the only place the wording lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scoring.grades import GradeScale

__all__ = [
    "AnswerOption",
    "GradeRow",
    "Instrument",
    "InstrumentError",
    "ProfileBand",
    "ProfileField",
    "ProfileOption",
    "Question",
    "UnknownInstrumentError",
    "Unsur",
]

ProfileKind = Literal["choice", "integer"]


class InstrumentError(ValueError):
    """An instrument file is invalid, or an instrument cannot be found.

    ``str(error)`` is ``"<file>: <problem>"`` when a file is involved, so a
    person editing the TOML file sees where to look.
    """

    def __init__(self, problem: str, source: str | None = None) -> None:
        super().__init__(problem, source)
        self.problem = problem
        self.source = source

    def __str__(self) -> str:
        if self.source:
            return f"{self.source}: {self.problem}"
        return self.problem


class UnknownInstrumentError(InstrumentError, KeyError):
    """No instrument with the requested key (and version) is registered.

    Also a :class:`KeyError`, so a lookup can be guarded like a mapping's.
    """


@dataclass(frozen=True)
class AnswerOption:
    """One answer of a question: the score, its wording, its letter on paper."""

    value: int
    label: str
    letter: str


@dataclass(frozen=True)
class Unsur:
    """One scored service element.

    ``position`` is the 0-based index in report order (U1 is 0), which is
    also the column order of the per-respondent annex table.
    """

    key: str
    code: str
    name: str
    position: int


@dataclass(frozen=True)
class Question:
    """One question, asked about exactly one unsur, in questionnaire order."""

    number: int
    unsur_key: str
    text: str
    options: tuple[AnswerOption, ...]

    def option_for(self, value: int) -> AnswerOption:
        """The answer option scored ``value``; ValueError outside the scale."""
        for option in self.options:
            if option.value == value:
                return option
        values = ", ".join(str(o.value) for o in self.options)
        raise ValueError(
            f"Nilai {value} tidak ada pada pertanyaan {self.number} (nilai sah: {values})."
        )


@dataclass(frozen=True)
class ProfileOption:
    """One choice of a respondent-profile field, e.g. ``("P", "Perempuan")``."""

    key: str
    label: str


@dataclass(frozen=True)
class ProfileBand:
    """A reporting band of an integer profile field, bounds inclusive."""

    key: str
    label: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class ProfileField:
    """One respondent-profile field.

    ``kind == "choice"`` fields have ``options``; ``kind == "integer"`` fields
    have ``minimum`` and ``maximum`` (inclusive) and may have ``bands`` that
    cover that range without gaps, used to group respondents in reports.
    """

    key: str
    label: str
    kind: ProfileKind
    options: tuple[ProfileOption, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    bands: tuple[ProfileBand, ...] = ()
    unit: str | None = None

    def option_by_key(self, key: str) -> ProfileOption | None:
        """The option with this stable key, or None."""
        for option in self.options:
            if option.key == key:
                return option
        return None

    def band_for(self, value: int) -> ProfileBand | None:
        """The band holding ``value``, or None (no bands, or out of range)."""
        for band in self.bands:
            if band.minimum <= value <= band.maximum:
                return band
        return None


@dataclass(frozen=True)
class GradeRow:
    """One row of the category table as printed in the regulation.

    Konversi bounds are exact integers in hundredths (6499 for 64,99); the
    NI bounds are informative only and kept as the printed decimal strings
    (with a decimal point, e.g. ``"2.5996"``).
    """

    mutu: str
    kinerja: str
    persepsi: int
    konversi_lower_centi: int
    konversi_upper_centi: int
    ni_lower: str
    ni_upper: str


@dataclass(frozen=True)
class Instrument:
    """A validated questionnaire instrument.

    ``unsur`` is in report order (U1..Un); ``questions`` in questionnaire
    order, which may differ (Permenpan RB 14/2017 asks sarana as question 8
    but reports it as U9). ``grade_rows`` are as printed (lowest first);
    ``grade_scale`` applies them as a lower-bound cascade.
    """

    key: str
    version: int
    title: str
    short_name: str
    scale_min: int
    scale_max: int
    unsur: tuple[Unsur, ...]
    questions: tuple[Question, ...]
    profile: tuple[ProfileField, ...]
    grade_rows: tuple[GradeRow, ...]
    grade_scale: GradeScale

    @property
    def n_unsur(self) -> int:
        """Number of scored unsur; each weighs ``1 / n_unsur``."""
        return len(self.unsur)

    @property
    def values(self) -> range:
        """The valid answer values, ``scale_min`` to ``scale_max`` inclusive."""
        return range(self.scale_min, self.scale_max + 1)

    def unsur_by_key(self, key: str) -> Unsur:
        """The unsur with this key; KeyError if there is none."""
        for unsur in self.unsur:
            if unsur.key == key:
                return unsur
        raise KeyError(f"Unsur '{key}' tidak ada pada instrumen {self.key} v{self.version}.")

    def unsur_by_code(self, code: str) -> Unsur:
        """The unsur with this code (``"U8"``); KeyError if there is none."""
        for unsur in self.unsur:
            if unsur.code == code:
                return unsur
        raise KeyError(f"Kode unsur '{code}' tidak ada pada instrumen {self.key} v{self.version}.")

    def resolve_column(self, name: str) -> Unsur | None:
        """The unsur a column header names, or None.

        Accepts a code (``"U1"``, ``"u1"``) or an unsur key (``"sarana"``),
        case-insensitively and ignoring surrounding spaces, so spreadsheets
        exported by other systems can be matched by identity, not position.
        """
        wanted = name.strip().casefold()
        for unsur in self.unsur:
            if wanted in (unsur.code.casefold(), unsur.key.casefold()):
                return unsur
        return None

    def question_for(self, unsur_key: str) -> Question:
        """The question that asks about this unsur; KeyError if unknown."""
        for question in self.questions:
            if question.unsur_key == unsur_key:
                return question
        raise KeyError(f"Unsur '{unsur_key}' tidak ada pada instrumen {self.key} v{self.version}.")

    def label(self, unsur_key: str, value: int) -> str:
        """Wording of answer ``value`` for this unsur, e.g. ``("biaya", 4) -> "Gratis"``."""
        return self.question_for(unsur_key).option_for(value).label

    def profile_field(self, key: str) -> ProfileField | None:
        """The respondent-profile field with this key, or None."""
        for field in self.profile:
            if field.key == key:
                return field
        return None
