"""Questionnaire instruments as data: one TOML file per instrument and version.

``permenpan-14-2017.toml`` is the current SKM questionnaire (nine unsur);
``kepmenpan-25-2004.toml`` the older fourteen-unsur IKM questionnaire, kept
for historical data. Files are read with :mod:`tomllib`, validated once and
turned into frozen objects (:class:`Instrument` and its parts). Offices add
instruments without code changes through ``SKM_INSTRUMENTS_DIR`` (see
:mod:`questionnaires.registry`).

Schema of an instrument file (all keys below; any other key is an error)::

    key = "permenpan-14-2017"   # optional: defaults to the file name
    version = 1                 # integer >= 1; responses store (key, version)
    title = "..."               # official title of the regulation
    short_name = "..."

    [scale]
    min = 1
    max = 4
    letters = ["a", "b", "c", "d"]   # paper letter of each value, min..max

    [[unsur]]                   # REPORT order; codes U1..Un consecutive
    key = "persyaratan"
    code = "U1"
    name = "Persyaratan"

    [[questions]]               # numbered 1..n, questionnaire order
    number = 1
    unsur = "persyaratan"       # each unsur asked by exactly one question
    text = "Bagaimana pendapat Saudara tentang ...?"
    [questions.labels]          # one label per value min..max
    1 = "Tidak sesuai"
    ...

    [[profile]]                 # respondent profile
    key = "usia"
    label = "Usia"
    kind = "integer"            # "integer" (minimum, maximum, bands, unit)
    minimum = 15                # or "choice" (options = [{key, label}, ...])
    maximum = 100
    bands = [{ key = "lt20", label = "< 20", minimum = 15, maximum = 19 }, ...]

    [[grades]]                  # category table as printed, any order
    persepsi = 1
    ni = ["1.00", "2.5996"]     # informative, kept as printed
    konversi = ["25.00", "64.99"]
    mutu = "D"
    kinerja = "Tidak Baik"

Decimals are TOML strings with a decimal point ("88.31"), never floats: the
konversi bounds decide grades and must be exact (read as 8831 hundredths).
Konversi bands must tile 25 x min .. 25 x max with steps of 0,01.
"""

from .loader import load_instrument
from .model import (
    AnswerOption,
    GradeRow,
    Instrument,
    InstrumentError,
    ProfileBand,
    ProfileField,
    ProfileOption,
    Question,
    UnknownInstrumentError,
    Unsur,
)
from .registry import (
    DEFAULT_INSTRUMENT_KEY,
    ENV_INSTRUMENTS_DIR,
    default_instrument,
    get_instrument,
    instrument_dirs,
    registry,
)

__all__ = [
    "DEFAULT_INSTRUMENT_KEY",
    "ENV_INSTRUMENTS_DIR",
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
    "default_instrument",
    "get_instrument",
    "instrument_dirs",
    "load_instrument",
    "registry",
]
