"""The paper blueprint; the entry views (routes.py) and the import views add to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("paper", __name__, url_prefix="/staf")
