"""One security policy for every answer of the application (docs/security.md).

- Content-Security-Policy: pages load scripts, styles, images and data from
  this server only; no inline script, style attribute or event handler runs
  (the templates have none), no page may be framed, forms post here only.
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff``: an upload is never run as a script.
- Referrer-Policy: the survey pages (the kiosk's address holds its secret)
  send no Referer at all; every other page only to this server.
- ``Cache-Control: no-store`` on the survey pages (a respondent's answers),
  on staff pages and on anything answered to a signed-in user: on a shared
  office PC, the back button after signing out must not show saran. An
  answer that set its own policy keeps it (the dashboard's charts, named by
  the digest of their data, may be kept privately).
- Strict-Transport-Security when cookies are sent over HTTPS only
  (``SKM_SECURE_COOKIES=1``): the site is then served over HTTPS.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

#: Blueprints of the citizen's survey (phone and kiosk).
SURVEY_BLUEPRINTS = frozenset({"kiosk"})

#: Blueprints anyone may read without signing in; every other page is staff's.
PUBLIC_BLUEPRINTS = frozenset({"public", *SURVEY_BLUEPRINTS})

HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    survey = request.blueprint in SURVEY_BLUEPRINTS
    headers.setdefault("Referrer-Policy", "no-referrer" if survey else "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if "Cache-Control" not in headers and _private(survey):
        headers["Cache-Control"] = "no-store"
    return response


def _private(survey: bool) -> bool:
    """Whether the answer must never be kept by the browser or a proxy."""
    if survey:
        return True
    if request.endpoint == "static":
        return False
    if request.blueprint not in PUBLIC_BLUEPRINTS:
        return True
    return bool(current_user.is_authenticated)
