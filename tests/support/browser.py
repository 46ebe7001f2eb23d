"""Headless Chromium for end-to-end tests and screenshots.

Chromium comes from Debian (``/usr/bin/chromium``, installed by ``.ci/run``)
and is driven by Playwright's Python package; Playwright's own browser
download is never used. The application runs under waitress on a free
loopback port in a background thread, so the browser talks to the same
server offices run.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

CHROMIUM = os.environ.get("SKM_CHROMIUM", "/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine's network is closed; Chromium's background requests would
    # only produce noise and delays.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """A waitress server for ``app`` on loopback; ``stop()`` and ``start()`` again
    to simulate the office server going down and coming back."""

    app: Flask
    port: int
    _server: object | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from waitress.server import create_server

        self._server = create_server(self.app, host="127.0.0.1", port=self.port, threads=4)
        self._thread = threading.Thread(target=self._server.run, daemon=True)  # type: ignore[attr-defined]
        self._thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self._server is not None:
            from waitress import wasyncore

            server = self._server
            # Close the listening socket and every open connection, in the
            # server's own loop: a stopped server must not go on answering
            # on the browser's keep-alive connections.
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))  # type: ignore[attr-defined]
            if self._thread is not None:
                self._thread.join(timeout=10)
            server.task_dispatcher.shutdown()  # type: ignore[attr-defined]
            self._server = None


def signed_in_cookie(app: Flask, user_id: int, url: str) -> dict[str, str]:
    """A session cookie that signs ``user_id`` in at ``url``, made the way Flask makes it,
    for ``BrowserContext.add_cookies`` (scripts and browser tests skip the sign-in form).

    The session carries what skm.sessions checks: a new account's version (0, no
    session of it ended yet) and the sign-in time.
    """
    from skm.sessions import session_fields

    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    value = serializer.dumps(session_fields(user_id, version=0))
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": url}


@contextmanager
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(app, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def chromium() -> Iterator[object]:
    """A Playwright Browser on Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)
