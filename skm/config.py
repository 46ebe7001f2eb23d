"""Settings, read from the environment (``SKM_*``) or ``instance/config.py``.

One setting picks the database: ``SKM_DATABASE_URL``. Without it the
application uses SQLite in the instance folder, which needs no server.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app

from skm.filemodes import create_private_file, private_folder

DEFAULT_TIMEZONE = "Asia/Jakarta"

#: Indonesia's three time zones, as offices know them.
INDONESIAN_TIMEZONES = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}


def resolve_timezone(name: str) -> ZoneInfo:
    """``Asia/Makassar`` or simply ``WITA``; a clear error for anything else."""
    name = INDONESIAN_TIMEZONES.get(name.strip().upper(), name.strip())
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"Zona waktu '{name}' tidak dikenal. Gunakan WIB, WITA, WIT atau nama "
            "seperti Asia/Jakarta."
        ) from error


def _secret_key(instance_path: Path) -> str:
    """A stable secret key kept in the instance folder, made on first start.

    Sessions and CSRF tokens must survive a restart of the office PC, so the
    key cannot be random per process.
    """
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    create_private_file(key_file)  # 0600 before the key is in it
    key_file.write_text(key, encoding="utf-8")
    return key


def _host_list(text: str) -> list[str] | None:
    """``skm.example.go.id, 192.168.1.10`` as Flask's TRUSTED_HOSTS; None for every host."""
    hosts = [host.strip() for host in text.split(",") if host.strip()]
    return hosts or None


def load_settings(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The configuration for ``create_app``: environment, then overrides."""
    private_folder(instance_path)
    default_db = instance_path / "skm.sqlite3"
    settings: dict[str, Any] = {
        "SKM_DATABASE_URL": os.environ.get("SKM_DATABASE_URL") or f"sqlite:///{default_db}",
        "SKM_TIMEZONE": os.environ.get("SKM_TIMEZONE", DEFAULT_TIMEZONE),
        "SECRET_KEY": os.environ.get("SKM_SECRET_KEY"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SKM_SECURE_COOKIES", "0") == "1",
        # Staff sessions end after this long idle, and this long after sign-in (skm.sessions).
        "SKM_SESSION_IDLE_MINUTES": int(os.environ.get("SKM_SESSION_IDLE_MINUTES", "30")),
        "SKM_SESSION_MAX_HOURS": int(os.environ.get("SKM_SESSION_MAX_HOURS", "12")),
        # Reverse proxies in front of SKM whose X-Forwarded-For is believed (0: none).
        "SKM_PROXY_HOPS": int(os.environ.get("SKM_PROXY_HOPS", "0")),
        # Host names SKM answers to (Flask refuses any other Host with 400);
        # without them QR codes are made only for IP addresses and localhost.
        "TRUSTED_HOSTS": _host_list(os.environ.get("SKM_TRUSTED_HOSTS", "")),
        # Fewer respondents in a periode: the public results show no score.
        "SKM_PUBLIC_MIN_RESPONDENTS": int(os.environ.get("SKM_PUBLIC_MIN_RESPONDENTS", "5")),
    }
    if overrides:
        settings.update(overrides)
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _secret_key(instance_path)
    resolve_timezone(settings["SKM_TIMEZONE"])  # fail at start-up, not on first report
    return settings


def office_timezone() -> ZoneInfo:
    """The office's time zone (setting ``SKM_TIMEZONE``), in which periodes are cut."""
    return resolve_timezone(current_app.config["SKM_TIMEZONE"])
