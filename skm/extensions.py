"""Flask extensions, created here and bound in ``create_app``."""

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer

from skm.sessions import load_user

csrf = CSRFProtect()

login_manager = LoginManager()
login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(user_id: str) -> object | None:
    return load_user(user_id)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer built once per secret key.

    Flask builds the serializer on every request, and building it costs a
    key derivation and a test serialization: a tenth of the time of a kiosk
    delivery (benchmarks/load.py). It holds no request state, so threads
    share it.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer
