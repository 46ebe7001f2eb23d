"""JSON API for other systems (``/api/v1``), with bearer tokens scoped to a unit.

Token authentication replaces the session and CSRF token of the survey
pages: a request carries ``Authorization: Bearer skm_...`` and nothing a
browser would send by itself, so the blueprint is exempt from CSRF.
"""

from typing import cast

from flask import Blueprint, Flask

from skm.extensions import csrf
from skm.kiosk import ratelimit

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# state.app is the Flask app registering bp, typed as Flask's sansio base class.
bp.record_once(lambda state: ratelimit.init_app(cast(Flask, state.app)))

from skm.api import routes  # noqa: E402,F401
