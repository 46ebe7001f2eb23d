"""The ``skm`` program (``python -m skm``; also ``flask --app skm ...``)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from skm import __version__, create_app
from skm.cli.score import score_command


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
@click.version_option(__version__, "--version", prog_name="SKM", message="%(prog)s %(version)s")
def main() -> None:
    """SKM: Survei Kepuasan Masyarakat (Permenpan RB 14/2017)."""


# Offline scoring needs no application or database: keep it off the app loading path.
main.add_command(score_command)

if __name__ == "__main__":
    main()
