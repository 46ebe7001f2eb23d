"""The ``skm`` command (also ``flask --app skm ...``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from skm import __version__
from skm.api.cli import token_command
from skm.cli.db import db_command
from skm.cli.score import score_command
from skm.cli.serve import serve_command
from skm.cli.setup import demo_command, init_command
from skm.iku.cli import iku_command
from skm.kiosk.cli import kiosk_command
from skm.reports.cli import report_command

COMMANDS = (
    init_command,
    demo_command,
    serve_command,
    score_command,
    token_command,
    kiosk_command,
    iku_command,
    report_command,
    db_command,
)


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from skm import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
@click.version_option(__version__, "--version", prog_name="SKM", message="%(prog)s %(version)s")
def main() -> None:
    """SKM: Survei Kepuasan Masyarakat (Permenpan RB 14/2017)."""


# Offline scoring needs no application or database: keep it off the app loading path.
main.add_command(score_command)
