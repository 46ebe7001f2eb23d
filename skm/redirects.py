"""Where a page may send the browser back to after sign-in or a form.

A module of its own, importing nothing of SKM: staff pages use it too, and
importing it never pulls in the sign-in views (and their imports).
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: ``next=https://evil.example`` must not redirect away.

    Browsers read a backslash as a slash, so ``/\\evil.example`` is refused too,
    and they drop tabs and line breaks, so a slash, a tab and ``/evil.example`` (``//evil.example``
    to them) is refused with every other control character.
    """
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
