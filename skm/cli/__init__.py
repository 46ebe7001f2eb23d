"""The commands of the ``skm`` program that belong to no one feature.

``skm init``, ``skm serve``, ``skm score`` and ``skm db``; each feature
adds its own (``skm kiosk``, ``skm iku``, ``skm report``, ``skm token``)
in its ``init_app``, and the program itself is :mod:`skm.__main__`.
"""

from __future__ import annotations

from flask import Flask

from skm.cli.db import db_command
from skm.cli.score import score_command
from skm.cli.serve import serve_command
from skm.cli.setup import init_command


def init_app(app: Flask) -> None:
    for command in (init_command, serve_command, score_command, db_command):
        app.cli.add_command(command)
