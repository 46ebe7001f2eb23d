"""What each column of a tabulation holds, and what an answer cell means.

Shared by ``skm score`` and the staff import (both read through
:func:`skm.tabulation.parse_rows`). Offices bring three kinds of files:

- hand-made tabulations with ``U1…U9`` or unsur keys and digits;
- Google Forms (or similar) exports, whose headers are the full question
  texts, often with a number prefix ("1. ") or a trailing space, and whose
  cells are the answer labels ("Sangat sesuai");
- typed paper forms with the letters a–d, or "a. Tidak sesuai".

Headers are matched after :func:`normalise` (case, accents, punctuation,
spaces and a leading question number do not count). A header is, in this
order: a numbering column (ignored); an unsur code or key; a question's
text, with or without its "Bagaimana pendapat Saudara tentang" lead; an
unsur name; an optional column by its usual header (tanggal/Timestamp,
layanan, saran, profile fields); and last the one question whose text is
clearly the most similar. Staff can override any column (the import preview
has a select per column); whatever stays unmatched is an error naming the
column, so nothing is guessed silently.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from questionnaires import Instrument, Question, Unsur

#: Numbering columns found in almost every hand-made tabulation; not answers.
NUMBERING_COLUMNS = frozenset({"no", "nomor", "responden", "no responden", "nomor responden"})

#: Optional columns besides the answers, by the header names offices and
#: form tools use ("Timestamp" in English Google Forms, "Cap waktu" in the
#: Indonesian one). Profile fields are added per instrument (key and label).
DETAIL_ALIASES = {
    "tanggal": (
        "tanggal", "tgl", "tanggal survei", "tanggal survey", "tanggal pengisian", "date",
        "timestamp", "cap waktu", "stempel waktu", "waktu pengisian", "tanggal dan waktu",
        "tanggal waktu",
    ),
    "layanan": (
        "layanan", "jenis layanan", "jenis pelayanan", "pelayanan", "jenis layanan yang diterima",
        "layanan yang diterima", "jenis layanan yang diurus",
    ),
    "saran": (
        "saran", "masukan", "saran masukan", "saran dan masukan", "kritik dan saran",
        "kritik saran", "saran dan kritik",
    ),
}  # fmt: skip
PROFILE_ALIASES = {
    "jenis_kelamin": ("jk", "l p", "kelamin", "gender", "jenis kelamin"),
    "usia": ("umur", "usia tahun", "umur tahun", "umur usia", "usia umur"),
    "pendidikan": ("pendidikan terakhir", "pendidikan terakhir yang ditamatkan"),
    "pekerjaan": ("pekerjaan utama",),
}

#: The lead every annex question starts with; exports sometimes drop it.
QUESTION_LEAD = "bagaimana pendapat saudara tentang"

#: Similarity (difflib ratio of the normalised texts) from which a header is
#: taken to be a reworded question, and by how much the best question must
#: beat the runner-up. Offices reword a few words ("pemahaman" for
#: "pendapat": 0,94); two different questions of the same instrument stay
#: below 0,83 of each other (the three "kesesuaian ..." questions of 16/2014).
SIMILAR_ENOUGH = 0.85
CLEAR_LEAD = 0.05

SIMILAR_MATCH = "teks pertanyaan yang mirip"

#: Target of a column set to "not imported" in the preview.
IGNORE = "-"

_NUMBER_PREFIX = re.compile(r"^\s*(?:no\.?\s*)?\(?\d{1,2}\s*[.):-]\s*(?=\D)", re.IGNORECASE)
_LETTERED = re.compile(r"^([a-z])\s*[.)]\s*(.*)$")


def normalise(text: str, *, numbered: bool = True) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces and, for a
    header (``numbered``), no leading question number:
    ``" 1. Bagaimana  pendapat Saudara…? "`` -> ``"bagaimana pendapat saudara …"``."""
    text = _NUMBER_PREFIX.sub("", str(text)) if numbered else str(text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _topic(text: str) -> str:
    normal = normalise(text)
    return normal[len(QUESTION_LEAD) :].strip() if normal.startswith(QUESTION_LEAD) else normal


@dataclass(frozen=True)
class ColumnRole:
    """One column of the header row and what it was taken to hold.

    ``target`` is an unsur code (``"U8"``), an optional column (``"tanggal"``,
    ``"layanan"``, ``"saran"`` or a profile key), ``IGNORE``, or ``None``
    when nothing matched. ``matched_by`` says why, in words for the preview.
    """

    index: int
    header: str
    target: str | None
    matched_by: str

    @property
    def guessed(self) -> bool:
        """Matched by similarity only: staff should be able to correct it."""
        return self.matched_by == SIMILAR_MATCH


def target_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """Everything a column can be set to, for the preview's select."""
    choices = [(IGNORE, "— tidak diimpor —")]
    choices += [(u.code, f"{u.code} {u.name}") for u in instrument.unsur]
    choices += [("tanggal", "Tanggal/waktu pengisian"), ("layanan", "Layanan")]
    choices += [(spec.key, spec.label) for spec in instrument.profile]
    choices.append(("saran", "Saran"))
    return choices


def detail_column_names(instrument: Instrument) -> dict[str, str]:
    """Normalised header -> optional column (``tanggal``, ``layanan``, ``saran``
    or a profile field key) for the instrument's profile fields."""
    names: dict[str, str] = {}
    for column, aliases in DETAIL_ALIASES.items():
        for alias in aliases:
            names[normalise(alias)] = column
    for spec in instrument.profile:
        for alias in (spec.key, spec.label, *PROFILE_ALIASES.get(spec.key, ())):
            names[normalise(alias)] = spec.key
    return names


def _by_wording(instrument: Instrument) -> dict[str, tuple[Unsur, str]]:
    wording: dict[str, tuple[Unsur, str]] = {}
    for question in instrument.questions:
        unsur = instrument.unsur_by_key(question.unsur_key)
        wording[normalise(question.text)] = (unsur, "teks pertanyaan")
        wording.setdefault(_topic(question.text), (unsur, "teks pertanyaan"))
    for unsur in instrument.unsur:
        wording.setdefault(normalise(unsur.name), (unsur, "nama unsur"))
    return wording


def _similarity(header: str, question: Question) -> float:
    """The better of the whole texts' and the topics' (after the lead) ratios."""
    whole = difflib.SequenceMatcher(None, normalise(header), normalise(question.text)).ratio()
    topic = difflib.SequenceMatcher(None, _topic(header), _topic(question.text)).ratio()
    return max(whole, topic)


def _most_similar(instrument: Instrument, header: str) -> Unsur | None:
    scored = sorted(
        ((_similarity(header, q), q.unsur_key) for q in instrument.questions), reverse=True
    )
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else (0.0, "")
    if best[0] >= SIMILAR_ENOUGH and best[0] - runner_up[0] >= CLEAR_LEAD:
        return instrument.unsur_by_key(best[1])
    return None


def match_columns(
    header: Sequence[Any], instrument: Instrument, overrides: Mapping[int, str] | None = None
) -> list[ColumnRole]:
    """The role of every non-blank header cell, in file order.

    ``overrides`` (column index -> target, as chosen in the preview) win
    over any rule. Duplicates and missing unsur are left to the caller, which
    names them with the file's headers.
    """
    overrides = overrides or {}
    details = detail_column_names(instrument)
    wording = _by_wording(instrument)
    valid = {value for value, _ in target_choices(instrument)}
    roles: list[ColumnRole] = []
    for index, cell in enumerate(header):
        label = "" if cell is None else str(cell).strip()
        if not label and index not in overrides:
            continue
        if overrides.get(index) in valid:
            roles.append(ColumnRole(index, label, overrides[index], "diatur petugas"))
            continue
        normal = normalise(label)
        unsur = instrument.resolve_column(label)
        if normal in NUMBERING_COLUMNS:
            roles.append(ColumnRole(index, label, IGNORE, "kolom nomor"))
        elif unsur is not None:
            how = "kode unsur" if unsur.code.casefold() == label.casefold() else "kunci unsur"
            roles.append(ColumnRole(index, label, unsur.code, how))
        elif normal in wording:
            unsur, how = wording[normal]
            roles.append(ColumnRole(index, label, unsur.code, how))
        elif normal in details:
            roles.append(ColumnRole(index, label, details[normal], "judul kolom"))
        elif (similar := _most_similar(instrument, label)) is not None:
            roles.append(ColumnRole(index, label, similar.code, SIMILAR_MATCH))
        else:
            roles.append(ColumnRole(index, label, None, ""))
    return roles


class AnswerReader:
    """Reads answer cells of one instrument: digits (``3``, ``3,0``), letters
    (``c``), labels (``Sesuai``) and both (``c. Sesuai``), per question."""

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self._letters = {
            option.letter.casefold(): option.value for option in instrument.questions[0].options
        }
        self._labels: dict[str, dict[str, int]] = {
            q.unsur_key: {normalise(o.label, numbered=False): o.value for o in q.options}
            for q in instrument.questions
        }

    def value(self, cell: Any, unsur: Unsur) -> int | None:
        """The answer in ``cell`` for ``unsur``, or None when it is not one."""
        if isinstance(cell, bool):
            return None
        if isinstance(cell, int | float):
            return self._on_scale(float(cell))
        text = str(cell).strip()
        try:
            return self._on_scale(float(text.replace(",", ".")))
        except ValueError:
            pass
        labels = self._labels[unsur.key]
        lettered = _LETTERED.match(text.casefold())
        if lettered and lettered.group(1) in self._letters:
            value = self._letters[lettered.group(1)]
            wording = normalise(lettered.group(2), numbered=False)
            # "b. Sesuai" contradicts itself: refuse rather than pick one.
            return value if not wording or labels.get(wording) == value else None
        if text.casefold() in self._letters:
            return self._letters[text.casefold()]
        return labels.get(normalise(text, numbered=False))

    def _on_scale(self, number: float) -> int | None:
        if not number.is_integer():
            return None
        value = int(number)
        inside = self.instrument.scale_min <= value <= self.instrument.scale_max
        return value if inside else None

    def allowed(self, unsur: Unsur) -> str:
        """What a cell of this unsur may hold, for an error message."""
        question: Question = self.instrument.question_for(unsur.key)
        first, last = question.options[0], question.options[-1]
        labels = ", ".join(f"'{o.label}'" for o in question.options)
        return (
            f"isi {first.value}–{last.value} atau kosongkan "
            f"(huruf {first.letter}–{last.letter} atau jawaban {labels} juga boleh)"
        )


def spreadsheet_column(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of a spreadsheet column letter: A -> 0, AA -> 26.
    ValueError for anything else."""
    text = letters.strip().upper()
    if not text.isalpha() or not text.isascii():
        raise ValueError(f"'{letters}' bukan huruf kolom seperti di Excel (A, B, …, AA).")
    index = 0
    for char in text:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def describe_columns(roles: Sequence[ColumnRole], instrument: Instrument) -> list[str]:
    """One line per column, 'H  <header> -> U2 Sistem, … (how)', for ``skm score``."""
    names = dict(target_choices(instrument))
    lines = []
    for role in roles:
        target = names.get(role.target or "", "tidak dikenali")
        header = role.header if len(role.header) <= 60 else role.header[:57] + "..."
        how = f" ({role.matched_by})" if role.matched_by else ""
        lines.append(f"{spreadsheet_column(role.index):>3}  {header} -> {target}{how}")
    return lines
