"""Pure IKM scoring (Permenpan RB 14/2017): numpy and the standard library only."""

from scoring.grades import Grade, GradeScale
from scoring.ikm import (
    GroupedIkm,
    IkmResult,
    UnsurScore,
    score_aggregates,
    score_groups,
    score_matrix,
)
from scoring.interval import KonversiInterval, konversi_interval
from scoring.rounding import (
    exact_konversi_centi,
    konversi_centi,
    round_half_up_centi_ratio,
)
from scoring.sample import (
    SampleAdequacy,
    krejcie_morgan,
    krejcie_morgan_many,
    sample_adequacy,
)

__all__ = [
    "Grade",
    "GradeScale",
    "GroupedIkm",
    "IkmResult",
    "KonversiInterval",
    "SampleAdequacy",
    "UnsurScore",
    "exact_konversi_centi",
    "konversi_centi",
    "konversi_interval",
    "krejcie_morgan",
    "krejcie_morgan_many",
    "round_half_up_centi_ratio",
    "sample_adequacy",
    "score_aggregates",
    "score_groups",
    "score_matrix",
]
