"""Kiosk and phone survey: the citizen's questionnaire, and the staff pages of kiosks.

``bp`` serves citizens: the survey of a unit (``/survei/<unit>``, reached
by QR code on a phone) and the kiosk (``/kiosk/<token>``, a tablet opened by
staff). ``admin_bp`` (``kiosk_admin``) serves staff: kiosks, QR posters and
flagged responses.
"""

from typing import cast

from flask import Blueprint, Flask

from skm.kiosk import ratelimit, reference

#: Timings of the survey pages, in seconds; an office may change them in its config.
SURVEY_SETTINGS = {
    # No touch for this long in the middle of a kiosk survey: "Masih di sini?"
    "SKM_KIOSK_IDLE_SECONDS": 60,
    # ... then this long to answer before the partial answers are discarded.
    "SKM_KIOSK_COUNTDOWN_SECONDS": 15,
    # The thank-you screen returns to the welcome screen after this long.
    "SKM_SURVEY_THANKS_SECONDS": 8,
    # A kiosk reports in (and retries its queue) this often.
    "SKM_KIOSK_HEARTBEAT_SECONDS": 60,
}


def _init_app(app: Flask) -> None:
    ratelimit.init_app(app)
    reference.init_app(app)
    for name, value in SURVEY_SETTINGS.items():
        app.config.setdefault(name, value)


bp = Blueprint("kiosk", __name__)
admin_bp = Blueprint("kiosk_admin", __name__, url_prefix="/staf/kiosk")

# state.app is the Flask app registering bp, typed as Flask's sansio base class.
bp.record_once(lambda state: _init_app(cast(Flask, state.app)))

from skm.kiosk import admin, routes  # noqa: E402,F401
