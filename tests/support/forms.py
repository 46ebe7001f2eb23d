"""CSRF tokens read from pages, and forms posted with one."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

# Either attribute order: WTForms writes name before value, some templates the other way.
_CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"|value="([^"]+)"[^>]*?name="csrf_token"')


def csrf_from(html: str) -> str:
    """The CSRF token in a page's form."""
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def csrf_token(client: FlaskClient, path: str = "/masuk", **kwargs: Any) -> str:
    """A CSRF token valid for ``client``'s session, read from a page with a form."""
    page = client.get(path, follow_redirects=True, **kwargs).get_data(as_text=True)
    assert _CSRF.search(page), f"no CSRF token on {path}"
    return csrf_from(page)


def post_form(client: FlaskClient, path: str, data: dict | None = None, **kwargs: Any):
    """POST a form with a valid CSRF token (taken from the password page of a
    signed-in client, or the sign-in page otherwise)."""
    token = csrf_token(client, "/akun/kata-sandi")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)
