"""JSON API for other systems (``/api/v1``), with bearer tokens scoped to a unit.

Token authentication replaces the session and CSRF token of the survey
pages: a request carries ``Authorization: Bearer skm_...`` and nothing a
browser would send by itself, so the blueprint is exempt from CSRF.
"""

from flask import Flask

from skm import ratelimit
from skm.api import cli, routes
from skm.extensions import csrf


def init_app(app: Flask) -> None:
    csrf.exempt(routes.bp)
    ratelimit.init_app(app)
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.token_command)
