"""Read one instrument TOML file, validate it, and build frozen objects.

Every problem raises :class:`InstrumentError` whose message names the file
and says, in Bahasa Indonesia, what to fix, for example
``permenpan-14-2017.toml: pertanyaan 3 tidak memiliki label untuk nilai 2``.
Validation is strict (unknown keys are errors) because the people editing
these files are office staff, and a typo must not silently drop a label.
"""

from __future__ import annotations

import itertools
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.grades import Grade, GradeScale

from .model import (
    AnswerOption,
    GradeRow,
    Instrument,
    InstrumentError,
    ProfileBand,
    ProfileField,
    ProfileKind,
    ProfileOption,
    Question,
    Unsur,
)

__all__ = ["load_instrument"]

# Konversi = IKM x 25 (Permenpan RB 14/2017): answers 1..4 give 25,00..100,00.
KONVERSI_FACTOR = 25

_TOP_REQUIRED = (
    "version",
    "title",
    "short_name",
    "scale",
    "unsur",
    "questions",
    "profile",
    "grades",
)
_TOP_KEYS = ("key", *_TOP_REQUIRED)

_KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_CENTI_PATTERN = re.compile(r"[0-9]+\.[0-9]{2}")
_DECIMAL_PATTERN = re.compile(r"[0-9]+\.[0-9]+")


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """Load and validate one instrument file.

    Parameters
    ----------
    path : str or PathLike
        A ``.toml`` file in the schema described in the package docstring
        (``questionnaires/__init__.py``). When the file has no ``key``, the
        file name without ``.toml`` is the key.

    Raises
    ------
    InstrumentError
        The file cannot be read, is not TOML, or breaks a rule; the message
        starts with the file name.
    """
    file = Path(path)
    source = file.name
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise InstrumentError(f"berkas tidak dapat dibaca ({exc.strerror or exc})", source) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"bukan TOML yang sah: {exc}", source) from exc
    return _Builder(source, default_key=file.stem).build(data)


class _Builder:
    """Validation of one parsed file; every error carries the file name."""

    def __init__(self, source: str, default_key: str) -> None:
        self.source = source
        self.default_key = default_key

    def error(self, problem: str) -> InstrumentError:
        return InstrumentError(problem, self.source)

    # -- generic field readers -------------------------------------------------

    def check_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], required: Sequence[str], where: str
    ) -> None:
        prefix = f"{where}: " if where else ""
        for name in table:
            if name not in allowed:
                known = ", ".join(allowed)
                raise self.error(f"{prefix}kunci tidak dikenal '{name}' (yang dikenal: {known})")
        for name in required:
            if name not in table:
                raise self.error(f"{prefix}kolom wajib '{name}' tidak ada")

    def table(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.error(f"{where} harus berupa tabel TOML")
        return value

    def tables(self, value: Any, where: str) -> list[Mapping[str, Any]]:
        if not isinstance(value, list) or not value:
            raise self.error(f"'{where}' harus berupa daftar tabel ([[{where}]]) dan tidak kosong")
        return [self.table(item, f"{where} ke-{i}") for i, item in enumerate(value, start=1)]

    def text(self, table: Mapping[str, Any], name: str, where: str) -> str:
        value = table[name]
        if not isinstance(value, str) or not value.strip():
            prefix = f"{where}: " if where else ""
            raise self.error(f"{prefix}'{name}' harus berupa teks yang tidak kosong")
        return value.strip()

    def integer(self, table: Mapping[str, Any], name: str, where: str) -> int:
        value = table[name]
        # bool is an int subclass in Python; `true` is never a valid number here.
        if not isinstance(value, int) or isinstance(value, bool):
            prefix = f"{where}: " if where else ""
            raise self.error(f"{prefix}'{name}' harus berupa bilangan bulat, bukan {value!r}")
        return value

    def centi(self, value: Any, where: str) -> int:
        """A konversi bound written as "88.31" -> 8831, exactly."""
        if isinstance(value, float | int) and not isinstance(value, bool):
            raise self.error(
                f"{where}: batas {value!r} ditulis sebagai angka; tulis sebagai teks dengan dua "
                f'angka desimal, misalnya "88.31", agar batas tepat (float tidak diizinkan)'
            )
        if not isinstance(value, str) or not _CENTI_PATTERN.fullmatch(value):
            raise self.error(
                f'{where}: batas {value!r} tidak sah; tulis seperti "88.31" (titik desimal, '
                "dua angka di belakang titik)"
            )
        whole, fraction = value.split(".")
        return int(whole) * 100 + int(fraction)

    def decimal_text(self, value: Any, where: str) -> str:
        if isinstance(value, float | int) and not isinstance(value, bool):
            raise self.error(
                f"{where}: nilai {value!r} ditulis sebagai angka; "
                'tulis sebagai teks, misalnya "2.5996"'
            )
        if not isinstance(value, str) or not _DECIMAL_PATTERN.fullmatch(value):
            raise self.error(f'{where}: nilai {value!r} tidak sah; tulis seperti "2.5996"')
        return value

    def pair(self, table: Mapping[str, Any], name: str, where: str) -> tuple[Any, Any]:
        value = table[name]
        if not isinstance(value, list) or len(value) != 2:
            raise self.error(f"{where}: '{name}' harus berupa [batas_bawah, batas_atas]")
        return value[0], value[1]

    def stable_key(self, table: Mapping[str, Any], name: str, where: str) -> str:
        value = self.text(table, name, where)
        if not _KEY_PATTERN.fullmatch(value):
            prefix = f"{where}: " if where else ""
            raise self.error(f"{prefix}kunci '{value}' hanya boleh huruf kecil, angka, '_' dan '-'")
        return value

    # -- sections --------------------------------------------------------------

    def build(self, data: Mapping[str, Any]) -> Instrument:
        self.check_keys(data, _TOP_KEYS, _TOP_REQUIRED, "")
        key = self.stable_key(data, "key", "") if "key" in data else self.default_key
        if not _KEY_PATTERN.fullmatch(key):
            raise self.error(f"nama berkas '{key}' tidak dapat dipakai sebagai kunci; isi 'key'")
        version = self.integer(data, "version", "")
        if version < 1:
            raise self.error(f"'version' harus 1 atau lebih, bukan {version}")
        title = self.text(data, "title", "")
        short_name = self.text(data, "short_name", "")
        scale_min, scale_max, letters = self.scale(data["scale"])
        unsur = self.unsur(data["unsur"])
        questions = self.questions(data["questions"], unsur, scale_min, scale_max, letters)
        profile = self.profile(data["profile"])
        grade_rows = self.grade_rows(data["grades"], scale_min, scale_max)
        try:
            grade_scale = GradeScale(
                tuple(
                    Grade(r.mutu, r.kinerja, r.konversi_lower_centi) for r in reversed(grade_rows)
                ),
                minimum_centi=KONVERSI_FACTOR * 100 * scale_min,
                maximum_centi=KONVERSI_FACTOR * 100 * scale_max,
            )
        except ValueError as exc:  # already ruled out above; kept so the file is named
            raise self.error(f"tabel mutu: {exc}") from exc
        return Instrument(
            key=key,
            version=version,
            title=title,
            short_name=short_name,
            scale_min=scale_min,
            scale_max=scale_max,
            unsur=unsur,
            questions=questions,
            profile=profile,
            grade_rows=grade_rows,
            grade_scale=grade_scale,
        )

    def scale(self, value: Any) -> tuple[int, int, tuple[str, ...]]:
        where = "scale"
        table = self.table(value, "'scale'")
        self.check_keys(table, ("min", "max", "letters"), ("min", "max", "letters"), where)
        low = self.integer(table, "min", where)
        high = self.integer(table, "max", where)
        if low < 1 or high <= low:
            raise self.error(
                f"scale: skala {low}–{high} tidak sah (min minimal 1, max lebih besar dari min)"
            )
        letters = table["letters"]
        count = high - low + 1
        if (
            not isinstance(letters, list)
            or len(letters) != count
            or not all(isinstance(x, str) and x.strip() for x in letters)
        ):
            raise self.error(
                f"scale: 'letters' harus berisi {count} huruf, satu untuk tiap nilai {low}–{high}"
            )
        if len(set(letters)) != len(letters):
            raise self.error(f"scale: huruf jawaban ganda dalam {letters}")
        return low, high, tuple(x.strip() for x in letters)

    def unsur(self, value: Any) -> tuple[Unsur, ...]:
        result: list[Unsur] = []
        seen_keys: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
        for position, table in enumerate(self.tables(value, "unsur")):
            where = f"unsur ke-{position + 1}"
            self.check_keys(table, ("key", "code", "name"), ("key", "code", "name"), where)
            key = self.stable_key(table, "key", where)
            code = self.text(table, "code", where)
            name = self.text(table, "name", where)
            if key in seen_keys:
                raise self.error(
                    f"kunci unsur ganda '{key}' (unsur ke-{seen_keys[key]} dan ke-{position + 1})"
                )
            if code in seen_codes:
                raise self.error(
                    f"kode unsur ganda '{code}' (unsur ke-{seen_codes[code]} dan ke-{position + 1})"
                )
            seen_keys[key] = seen_codes[code] = position + 1
            result.append(Unsur(key=key, code=code, name=name, position=position))
        for unsur in result:
            expected = f"U{unsur.position + 1}"
            if unsur.code != expected:
                raise self.error(
                    f"kode unsur harus U1..U{len(result)} berurutan menurut urutan laporan; "
                    f"unsur ke-{unsur.position + 1} ('{unsur.key}') berkode '{unsur.code}', "
                    f"seharusnya '{expected}'"
                )
        return tuple(result)

    def questions(
        self,
        value: Any,
        unsur: tuple[Unsur, ...],
        scale_min: int,
        scale_max: int,
        letters: tuple[str, ...],
    ) -> tuple[Question, ...]:
        known = {u.key: u for u in unsur}
        by_number: dict[int, Question] = {}
        asked: dict[str, int] = {}
        for index, table in enumerate(self.tables(value, "questions"), start=1):
            where = f"pertanyaan ke-{index} dalam berkas"
            fields = ("number", "unsur", "text", "labels")
            self.check_keys(table, fields, fields, where)
            number = self.integer(table, "number", where)
            where = f"pertanyaan {number}"
            if number in by_number:
                raise self.error(f"nomor pertanyaan ganda: {number}")
            unsur_key = self.text(table, "unsur", where)
            if unsur_key not in known:
                raise self.error(
                    f"pertanyaan {number} merujuk unsur '{unsur_key}' yang tidak dikenal"
                )
            if unsur_key in asked:
                raise self.error(
                    f"unsur '{unsur_key}' ditanyakan oleh lebih dari satu pertanyaan "
                    f"({asked[unsur_key]} dan {number}); tiap unsur tepat satu pertanyaan"
                )
            asked[unsur_key] = number
            text = self.text(table, "text", where)
            options = self.labels(table["labels"], number, scale_min, scale_max, letters)
            by_number[number] = Question(
                number=number, unsur_key=unsur_key, text=text, options=options
            )
        for u in unsur:
            if u.key not in asked:
                raise self.error(
                    f"unsur '{u.key}' ({u.code}) tidak ditanyakan oleh pertanyaan mana pun"
                )
        numbers = sorted(by_number)
        if numbers != list(range(1, len(numbers) + 1)):
            raise self.error(
                f"nomor pertanyaan harus 1 sampai {len(numbers)} tanpa loncatan, bukan {numbers}"
            )
        return tuple(by_number[n] for n in numbers)

    def labels(
        self, value: Any, number: int, scale_min: int, scale_max: int, letters: tuple[str, ...]
    ) -> tuple[AnswerOption, ...]:
        where = f"pertanyaan {number}"
        table = self.table(value, f"{where}: 'labels'")
        by_value: dict[int, str] = {}
        for raw_key, label in table.items():
            if not re.fullmatch(r"[0-9]+", raw_key):
                raise self.error(
                    f"{where}: kunci label '{raw_key}' bukan nilai jawaban (tulis 1 = \"...\")"
                )
            answer = int(raw_key)
            if not scale_min <= answer <= scale_max:
                raise self.error(
                    f"{where} memiliki label untuk nilai {answer} "
                    f"di luar skala {scale_min}–{scale_max}"
                )
            if not isinstance(label, str) or not label.strip():
                raise self.error(
                    f"{where}: label untuk nilai {answer} harus berupa teks yang tidak kosong"
                )
            if answer in by_value:
                raise self.error(f"{where}: label ganda untuk nilai {answer}")
            by_value[answer] = label.strip()
        for answer in range(scale_min, scale_max + 1):
            if answer not in by_value:
                raise self.error(f"{where} tidak memiliki label untuk nilai {answer}")
        texts = list(by_value.values())
        for text in texts:
            if texts.count(text) > 1:
                raise self.error(f"{where}: label '{text}' dipakai untuk lebih dari satu nilai")
        return tuple(
            AnswerOption(value=answer, label=by_value[answer], letter=letters[answer - scale_min])
            for answer in range(scale_min, scale_max + 1)
        )

    def profile(self, value: Any) -> tuple[ProfileField, ...]:
        if not isinstance(value, list):
            raise self.error("'profile' harus berupa daftar tabel ([[profile]])")
        result: list[ProfileField] = []
        seen: set[str] = set()
        for index, item in enumerate(value, start=1):
            table = self.table(item, f"profil ke-{index}")
            where = f"profil ke-{index}"
            allowed = ("key", "label", "kind", "options", "minimum", "maximum", "bands", "unit")
            self.check_keys(table, allowed, ("key", "label", "kind"), where)
            key = self.stable_key(table, "key", where)
            where = f"profil '{key}'"
            if key in seen:
                raise self.error(f"kunci profil ganda '{key}'")
            seen.add(key)
            label = self.text(table, "label", where)
            kind = self.text(table, "kind", where)
            unit = self.text(table, "unit", where) if "unit" in table else None
            if kind == "choice":
                result.append(self.choice_field(table, key, label, unit))
            elif kind == "integer":
                result.append(self.integer_field(table, key, label, unit))
            else:
                raise self.error(
                    f"{where}: 'kind' harus \"choice\" atau \"integer\", bukan '{kind}'"
                )
        return tuple(result)

    def choice_field(
        self, table: Mapping[str, Any], key: str, label: str, unit: str | None
    ) -> ProfileField:
        where = f"profil '{key}'"
        for name in ("minimum", "maximum", "bands"):
            if name in table:
                raise self.error(f"{where}: '{name}' hanya untuk kind = \"integer\"")
        if "options" not in table:
            raise self.error(f"{where}: kolom wajib 'options' tidak ada")
        options: list[ProfileOption] = []
        for index, item in enumerate(self.tables(table["options"], f"{where}: options"), start=1):
            item_where = f"{where}, pilihan ke-{index}"
            self.check_keys(item, ("key", "label"), ("key", "label"), item_where)
            option_key = self.text(item, "key", item_where)
            if any(o.key == option_key for o in options):
                raise self.error(f"{where}: kunci pilihan ganda '{option_key}'")
            options.append(
                ProfileOption(key=option_key, label=self.text(item, "label", item_where))
            )
        return ProfileField(key=key, label=label, kind="choice", options=tuple(options), unit=unit)

    def integer_field(
        self, table: Mapping[str, Any], key: str, label: str, unit: str | None
    ) -> ProfileField:
        where = f"profil '{key}'"
        if "options" in table:
            raise self.error(f"{where}: 'options' hanya untuk kind = \"choice\"")
        for name in ("minimum", "maximum"):
            if name not in table:
                raise self.error(f"{where}: kolom wajib '{name}' tidak ada")
        minimum = self.integer(table, "minimum", where)
        maximum = self.integer(table, "maximum", where)
        if minimum > maximum:
            raise self.error(f"{where}: minimum {minimum} lebih besar dari maksimum {maximum}")
        bands = self.bands(table["bands"], where, minimum, maximum) if "bands" in table else ()
        kind: ProfileKind = "integer"
        return ProfileField(
            key=key,
            label=label,
            kind=kind,
            minimum=minimum,
            maximum=maximum,
            bands=bands,
            unit=unit,
        )

    def bands(self, value: Any, where: str, minimum: int, maximum: int) -> tuple[ProfileBand, ...]:
        bands: list[ProfileBand] = []
        for index, item in enumerate(self.tables(value, f"{where}: bands"), start=1):
            item_where = f"{where}, kelompok ke-{index}"
            fields = ("key", "label", "minimum", "maximum")
            self.check_keys(item, fields, fields, item_where)
            band = ProfileBand(
                key=self.stable_key(item, "key", item_where),
                label=self.text(item, "label", item_where),
                minimum=self.integer(item, "minimum", item_where),
                maximum=self.integer(item, "maximum", item_where),
            )
            if band.minimum > band.maximum:
                raise self.error(
                    f"{item_where}: minimum {band.minimum} lebih besar dari maksimum {band.maximum}"
                )
            if any(b.key == band.key for b in bands):
                raise self.error(f"{where}: kunci kelompok ganda '{band.key}'")
            bands.append(band)
        bands.sort(key=lambda b: b.minimum)
        if bands[0].minimum != minimum:
            raise self.error(
                f"{where}: kelompok pertama ('{bands[0].label}') harus mulai dari {minimum}, "
                f"bukan {bands[0].minimum}"
            )
        if bands[-1].maximum != maximum:
            raise self.error(
                f"{where}: kelompok terakhir ('{bands[-1].label}') harus berakhir di {maximum}, "
                f"bukan {bands[-1].maximum}"
            )
        for lower, upper in itertools.pairwise(bands):
            if upper.minimum <= lower.maximum:
                raise self.error(
                    f"{where}: kelompok '{lower.label}' ({lower.minimum}–{lower.maximum}) tumpang "
                    f"tindih dengan '{upper.label}' ({upper.minimum}–{upper.maximum})"
                )
            if upper.minimum > lower.maximum + 1:
                raise self.error(
                    f"{where}: ada celah antara kelompok '{lower.label}' (s.d. {lower.maximum}) "
                    f"dan '{upper.label}' (mulai {upper.minimum})"
                )
        return tuple(bands)

    def grade_rows(self, value: Any, scale_min: int, scale_max: int) -> tuple[GradeRow, ...]:
        rows: list[GradeRow] = []
        for index, table in enumerate(self.tables(value, "grades"), start=1):
            where = f"tabel mutu baris ke-{index}"
            fields = ("persepsi", "ni", "konversi", "mutu", "kinerja")
            self.check_keys(table, fields, fields, where)
            mutu = self.text(table, "mutu", where)
            where = f"tabel mutu, mutu {mutu}"
            konversi_lower, konversi_upper = self.pair(table, "konversi", where)
            ni_lower, ni_upper = self.pair(table, "ni", where)
            row = GradeRow(
                mutu=mutu,
                kinerja=self.text(table, "kinerja", where),
                persepsi=self.integer(table, "persepsi", where),
                konversi_lower_centi=self.centi(konversi_lower, f"{where}, konversi"),
                konversi_upper_centi=self.centi(konversi_upper, f"{where}, konversi"),
                ni_lower=self.decimal_text(ni_lower, f"{where}, NI"),
                ni_upper=self.decimal_text(ni_upper, f"{where}, NI"),
            )
            if row.konversi_lower_centi > row.konversi_upper_centi:
                raise self.error(
                    f"{where}: batas bawah konversi {_fmt(row.konversi_lower_centi)} lebih besar "
                    f"dari batas atas {_fmt(row.konversi_upper_centi)}"
                )
            if Decimal(row.ni_lower) > Decimal(row.ni_upper):
                raise self.error(
                    f"{where}: batas bawah NI {row.ni_lower} lebih besar "
                    f"dari batas atas {row.ni_upper}"
                )
            if any(r.mutu == row.mutu for r in rows):
                raise self.error(f"mutu ganda '{row.mutu}' dalam tabel mutu")
            if any(r.persepsi == row.persepsi for r in rows):
                raise self.error(f"nilai persepsi ganda {row.persepsi} dalam tabel mutu")
            rows.append(row)
        rows.sort(key=lambda r: r.konversi_lower_centi)
        lowest = KONVERSI_FACTOR * 100 * scale_min
        highest = KONVERSI_FACTOR * 100 * scale_max
        if rows[0].konversi_lower_centi != lowest:
            raise self.error(
                f"tabel mutu: mutu terendah ({rows[0].mutu}) harus mulai dari {_fmt(lowest)} "
                f"(25 × nilai skala terendah), bukan {_fmt(rows[0].konversi_lower_centi)}"
            )
        if rows[-1].konversi_upper_centi != highest:
            raise self.error(
                f"tabel mutu: mutu tertinggi ({rows[-1].mutu}) harus berakhir di {_fmt(highest)} "
                f"(25 × nilai skala tertinggi), bukan {_fmt(rows[-1].konversi_upper_centi)}"
            )
        for lower, upper in itertools.pairwise(rows):
            if upper.konversi_lower_centi <= lower.konversi_upper_centi:
                raise self.error(
                    f"tabel mutu: rentang mutu {lower.mutu} ({_range(lower)}) tumpang tindih "
                    f"dengan mutu {upper.mutu} ({_range(upper)})"
                )
            if upper.konversi_lower_centi != lower.konversi_upper_centi + 1:
                raise self.error(
                    f"tabel mutu: ada celah antara mutu {lower.mutu} (s.d. "
                    f"{_fmt(lower.konversi_upper_centi)}) dan mutu {upper.mutu} (mulai "
                    f"{_fmt(upper.konversi_lower_centi)}); batas atas + 0,01 harus sama dengan "
                    "batas bawah berikutnya"
                )
            if upper.persepsi <= lower.persepsi:
                raise self.error(
                    f"tabel mutu: nilai persepsi harus naik bersama rentang konversi "
                    f"(mutu {lower.mutu}: {lower.persepsi}, mutu {upper.mutu}: {upper.persepsi})"
                )
        return tuple(rows)


def _fmt(centi: int) -> str:
    """8831 -> "88,31", as the value is printed in Indonesian documents."""
    return f"{centi // 100},{centi % 100:02d}"


def _range(row: GradeRow) -> str:
    return f"{_fmt(row.konversi_lower_centi)}–{_fmt(row.konversi_upper_centi)}"
