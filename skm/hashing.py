"""Hashes of high-entropy secrets (API tokens, kiosk addresses).

A secret of 32 random bytes cannot be guessed, so one SHA-256 is enough
(no slow password hash needed): whoever reads the database, a backup or a
log learns nothing they could open a kiosk or call the API with.
"""

from __future__ import annotations

import hashlib


def secret_hash(plain: str) -> str:
    """Hex SHA-256 of ``plain`` (64 characters), what the database keeps."""
    return hashlib.sha256(plain.encode()).hexdigest()
