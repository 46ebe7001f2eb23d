"""Jinja filters so templates print numbers and dates the Indonesian way."""

from __future__ import annotations

from flask import Flask

from skm.formatting import format_date, format_number


def register(app: Flask, version: str) -> None:
    app.jinja_env.filters["angka"] = format_number
    app.jinja_env.filters["tanggal"] = format_date
    # Footers show the version, so a report of a problem says which release it is.
    app.jinja_env.globals["skm_version"] = version
