"""What a staff password must be: 12 characters or more, and not a common one.

Length does most of the work against guessing; the list of common
passwords (``common-passwords.txt`` beside this file, shipped in the wheel)
catches the long ones everybody uses, such as ``indonesia2026`` or
``bismillah123``: a password is refused when it, or what is left of it
without the digits and punctuation at either end, is on the list.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200

_LIST = Path(__file__).with_name("common-passwords.txt")
_EDGES = string.digits + string.punctuation + " "

TOO_SHORT = f"Kata sandi minimal {MIN_LENGTH} karakter."
TOO_COMMON = (
    "Kata sandi ini terlalu umum dan mudah ditebak. Pakai beberapa kata yang tidak "
    "berhubungan, mis. 'meja-hujan-kopi-pagi'."
)
TOO_SIMPLE = "Kata sandi ini terlalu sederhana: pakai lebih banyak huruf dan angka yang berbeda."


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` may not be used (Indonesian), or None when it may."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return f"Kata sandi paling banyak {MAX_LENGTH} karakter."
    lowered = password.lower()
    core = lowered.strip(_EDGES)
    common = common_passwords()
    if lowered in common or core in common or not core:
        return TOO_COMMON
    if username and username.lower() in lowered:
        return "Kata sandi tidak boleh memuat nama pengguna."
    if len(set(lowered)) <= 3:
        return TOO_SIMPLE
    return None
