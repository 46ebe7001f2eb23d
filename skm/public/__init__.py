"""Public pages: the published survey results of each unit."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from skm.public import routes  # noqa: E402,F401
