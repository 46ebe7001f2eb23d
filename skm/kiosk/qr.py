"""QR codes, drawn here (segno): no remote QR service ever sees an address."""

from __future__ import annotations

import ipaddress
import os
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import current_app, request, url_for
from markupsafe import Markup

# Host names a URL is judged by (a warning on the poster), not addresses bound to.
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # nosec B104


def qr_svg(data: str, title: str) -> Markup:
    """An inline SVG QR code that scales to its box (error correction M: survives a smudge)."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", title=title, svgclass="qr"
    )
    # segno writes the SVG itself and escapes the title.
    # segno made this SVG from our own URL (its title escaped): safe to mark as markup.
    return Markup(svg)  # nosec B704


def public_url(endpoint: str, **values: Any) -> str | None:
    """The address citizens' phones and tablets reach ``endpoint`` at; None if unknown.

    Staff often open SKM on the office PC as http://localhost:5000, which no
    phone can reach; ``SKM_PUBLIC_URL`` (e.g. http://192.168.1.10:5000 or
    https://skm.example.go.id) names the address to print instead. Without
    it the address the page was opened at is used, but only when that host
    can be trusted (:func:`trusted_request_host`): the Host header comes
    from the browser, and a QR code printed for the counter must never lead
    to another site.
    """
    path = url_for(endpoint, **values)
    base = current_app.config.get("SKM_PUBLIC_URL") or os.environ.get("SKM_PUBLIC_URL")
    if not base:
        if not trusted_request_host():
            return None
        base = request.host_url
    return base.rstrip("/") + path


def trusted_request_host() -> bool:
    """Whether this request's Host may be printed: one of ``SKM_TRUSTED_HOSTS``, or an
    IP address or ``localhost`` (the address the server was reached at on the LAN)."""
    if current_app.config.get("TRUSTED_HOSTS"):
        return True  # Flask has already refused every other host (400)
    host = urlsplit(f"//{request.host}").hostname or ""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_local_only(url: str) -> bool:
    """True when ``url`` points at this computer only (useless in a QR code)."""
    host = urlsplit(url).hostname or ""
    return host in _LOCAL_HOSTS or host.startswith("127.")
