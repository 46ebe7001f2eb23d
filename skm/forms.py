"""What every staff form shares: Indonesian messages, CSRF, choices, numbers, passwords."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField
from wtforms.validators import ValidationError

from skm.passwords import password_problem

#: WTForms ships no Indonesian translation; these are the built-in messages
#: a staff member can meet (bad number, tampered choice).
MESSAGES_ID = {
    "Not a valid integer value.": "Isi dengan bilangan bulat, misalnya 1250.",
    "Not a valid choice.": "Pilihan tidak dikenal.",
    "Invalid Choice: could not coerce.": "Pilihan tidak dikenal.",
    "Choices cannot be None.": "Pilihan tidak tersedia.",
    "Not a valid date value.": "Tanggal tidak dikenal.",
    "This field is required.": "Wajib diisi.",
    "Invalid input.": "Isian tidak sah.",
    "'%(value)s' is not a valid choice for this field.": "Pilihan '%(value)s' tidak dikenal.",
    "'%(value)s' are not valid choices for this field.": "Pilihan '%(value)s' tidak dikenal.",
}


class _IndonesianMessages:
    def gettext(self, string: str) -> str:
        return MESSAGES_ID.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MESSAGES_ID.get(singular if n == 1 else plural, singular if n == 1 else plural)


def options(pairs: Iterable[tuple[Any, str]]) -> list[Any]:
    """Choices of a SelectField from (value, label) pairs.

    WTForms 3.3 wants ``SelectChoice`` objects (tuples are deprecated);
    older versions only know tuples.
    """
    try:
        # The locked types-WTForms describes WTForms 3.2, which has no SelectChoice;
        # unused-ignore: newer stubs (dev.py test-newest) may have it.
        from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # WTForms < 3.3
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def strong_password(form: Form, field: Field) -> None:
    """WTForms validator: skm.passwords' rule (12+ characters, not a common password)."""
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class StaffForm(FlaskForm):
    """Base of every staff form: built-in validation messages in Indonesian."""

    class Meta:
        def get_translations(self, form: Any) -> _IndonesianMessages:
            return _IndonesianMessages()


class NumberField(IntegerField):
    """An integer typed the Indonesian way too: "1.250" and "1 250" mean 1250."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(".", "").replace(" ", "")]
        super().process_formdata(valuelist)


class ActionForm(StaffForm):
    """An empty form: CSRF protection for POST-only buttons (close, reopen, exclude, undo)."""
