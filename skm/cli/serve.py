"""``skm serve``: the production WSGI server (waitress; runs on Windows too)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from skm.limits import UPLOAD_BODY_BYTES


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Alamat yang didengar.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Jumlah thread pekerja.")
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Jalankan aplikasi dengan server produksi (waitress)."""
    from waitress import serve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"SKM berjalan di http://{host}:{port}  (Ctrl+C untuk berhenti)")
    # Waitress reads a whole body before the application sees it: a body
    # beyond the largest the application accepts is refused by waitress
    # itself (413, from its Content-Length, without reading it).
    serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="skm",
        max_request_body_size=UPLOAD_BODY_BYTES,
    )
