"""Who the client is, behind reverse proxies the office trusts (``SKM_PROXY_HOPS``).

Anyone can send ``X-Forwarded-For``, so SKM ignores it by default: the
address is the one the connection came from, and sending the header
cannot move a guesser out of the sign-in or survey limits. Behind N
reverse proxies (nginx, a tunnel) set ``SKM_PROXY_HOPS=N``: Werkzeug's
ProxyFix then takes the address (and http/https) the N-th proxy from the
end saw, and whatever a client wrote into the header before that is
ignored too.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    hops = int(app.config.get("SKM_PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def client_address() -> str:
    """The client's address, as the sign-in and survey limits count it."""
    return (request.remote_addr or "unknown")[:64]
