"""Frozen objects and the lookup helpers of Instrument."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaires import Instrument, load_instrument


@pytest.fixture
def instrument(write_instrument: Callable[..., Path]) -> Instrument:
    return load_instrument(write_instrument(name="kecil.toml"))


def test_objects_are_frozen(instrument: Instrument) -> None:
    frozen_objects: list[tuple[object, str]] = [
        (instrument, "version"),
        (instrument.unsur[0], "name"),
        (instrument.questions[0], "text"),
        (instrument.questions[0].options[0], "label"),
        (instrument.profile[0], "label"),
        (instrument.profile[0].options[0], "label"),
        (instrument.profile[1].bands[0], "maximum"),
        (instrument.grade_rows[0], "konversi_lower_centi"),
    ]
    for obj, field in frozen_objects:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, field, None)


def test_collections_are_tuples(instrument: Instrument) -> None:
    assert isinstance(instrument.unsur, tuple)
    assert isinstance(instrument.questions, tuple)
    assert isinstance(instrument.questions[0].options, tuple)
    assert isinstance(instrument.profile, tuple)
    assert isinstance(instrument.grade_rows, tuple)


def test_positions_follow_report_order_not_question_order(instrument: Instrument) -> None:
    assert [(u.key, u.position) for u in instrument.unsur] == [("alpha", 0), ("beta", 1)]
    assert instrument.question_for("alpha").number == 2
    assert instrument.question_for("beta").number == 1


@pytest.mark.parametrize(
    ("column", "expected"),
    [("U1", "alpha"), ("u2", "beta"), (" U2 ", "beta"), ("alpha", "alpha"), ("BETA", "beta"),
     ("U3", None), ("Alpha Beta", None), ("", None)],
)  # fmt: skip
def test_resolve_column(instrument: Instrument, column: str, expected: str | None) -> None:
    unsur = instrument.resolve_column(column)
    assert (unsur.key if unsur else None) == expected


def test_lookups(instrument: Instrument) -> None:
    assert instrument.n_unsur == 2
    assert list(instrument.values) == [1, 2, 3, 4]
    assert instrument.unsur_by_key("beta").code == "U2"
    assert instrument.unsur_by_code("U1").key == "alpha"
    assert instrument.label("beta", 4) == "Sangat baik"
    assert instrument.label("alpha", 1) == "Tidak sesuai"
    assert instrument.questions[0].option_for(3).letter == "c"
    pendidikan = instrument.profile_field("pendidikan")
    assert pendidikan is not None
    option = pendidikan.option_by_key("smp")
    assert option is not None and option.label == "SMP"
    assert pendidikan.option_by_key("s3") is None
    assert instrument.profile_field("tidak_ada") is None


def test_unknown_lookups_raise(instrument: Instrument) -> None:
    with pytest.raises(KeyError):
        instrument.unsur_by_key("gamma")
    with pytest.raises(KeyError):
        instrument.unsur_by_code("U9")
    with pytest.raises(KeyError):
        instrument.question_for("gamma")
    with pytest.raises(ValueError, match="Nilai 5 tidak ada pada pertanyaan 2"):
        instrument.label("alpha", 5)
