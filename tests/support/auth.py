"""Signing staff in and out in tests.

Two ways in: ``login`` writes a signed-in session straight into the client's
cookie (fast; for tests of what a signed-in user sees), ``sign_in`` goes
through the sign-in form with a password (for tests of signing in itself:
limits, lockouts, sessions). ``AuthActions`` wraps the form way for one client,
as the Flask tutorial's ``auth`` fixture does.
"""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.support.forms import csrf_token, post_form

#: The password of every account ``make_user`` creates.
STAFF_PASSWORD = "kata-sandi-uji"

#: The address form sign-ins come from unless a test names another (TEST-NET-1):
#: limits per address then count one known address.
TEST_ADDRESS = "192.0.2.1"


def login(client: FlaskClient, user: Any, *, base_url: str | None = None) -> None:
    """Sign ``user`` (a User or its id) in on ``client`` without the password round trip.

    With the user's session version as stored now: an earlier sign-out of the
    same account (a walk over every URL posts to /keluar) ended older sessions.
    ``base_url``: the address the cookie is for (a test of Host headers).
    """
    from skm import database
    from skm.models import User
    from skm.sessions import mark_signed_in

    user_id = user if isinstance(user, int) else user.id
    with client.application.app_context():
        version = database.session().get(User, user_id).session_version
    extra = {"base_url": base_url} if base_url else {}
    with client.session_transaction(**extra) as flask_session:
        mark_signed_in(flask_session, user_id, version)


def sign_in(
    client: FlaskClient,
    username: str,
    password: str = STAFF_PASSWORD,
    address: str = TEST_ADDRESS,
    path: str = "/masuk",
    **environ: Any,
):
    """Sign in through the form, as a browser does; the response of the POST.

    ``environ``: more WSGI environ (``HTTP_X_FORWARDED_FOR``, or ``REMOTE_ADDR``,
    which wins over ``address``).
    """
    token = csrf_token(client)
    return client.post(
        path,
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address, **environ},
    )


def sign_out(client: FlaskClient):
    """Sign out the way the page does: a POST with a token."""
    return post_form(client, "/keluar")


class AuthActions:
    """Sign-in and sign-out of one client (the ``auth`` fixture is the ``client`` fixture's)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str, password: str = STAFF_PASSWORD, **kwargs: Any):
        """Through the form; the response (302 when signed in)."""
        return sign_in(self.client, username, password, **kwargs)

    def logout(self):
        return sign_out(self.client)


def signed_in_client(app: Any, user: Any, **kwargs: Any) -> FlaskClient:
    """A new client of ``app`` with ``user`` signed in (see ``login``)."""
    client = app.test_client()
    login(client, user, **kwargs)
    return client
