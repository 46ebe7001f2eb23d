"""Sending a generated file to the browser: the thin web side of the pure generators."""

from __future__ import annotations

import io

from flask import Response, send_file

from skm.periode import Periode

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def filename(kind: str, slug: str, periode: Periode, extension: str) -> str:
    """ "laporan-skm-kecamatan-sukamaju-2026-T3.pdf"; a date range as 2026-01-05_2026-02-20."""
    return f"{kind}-{slug}-{periode.code.replace('..', '_')}.{extension}"


def send_bytes(content: bytes, name: str) -> Response:
    """``content`` as a download called ``name`` (the type follows the extension)."""
    extension = name.rsplit(".", 1)[-1]
    response = send_file(
        io.BytesIO(content),
        mimetype=MIMETYPES[extension],
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    # A report holds the saran of the public and the unit's numbers: not for shared caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_report_pdf(content: bytes, slug: str, periode: Periode) -> Response:
    return send_bytes(content, filename("laporan-skm", slug, periode, "pdf"))


def send_report_docx(content: bytes, slug: str, periode: Periode) -> Response:
    return send_bytes(content, filename("laporan-skm", slug, periode, "docx"))


def send_comparison(content: bytes, slug: str, periode: Periode, extension: str) -> Response:
    return send_bytes(content, filename("rekap-skm", slug, periode, extension))


def send_summary_pdf(content: bytes, slug: str, periode: Periode) -> Response:
    return send_bytes(content, filename("ringkasan-skm", slug, periode, "pdf"))


def send_xlsx(content: bytes, slug: str, periode: Periode) -> Response:
    return send_bytes(content, filename("tabulasi-skm", slug, periode, "xlsx"))


def send_csv(content: bytes, slug: str, periode: Periode) -> Response:
    return send_bytes(content, filename("respons-skm", slug, periode, "csv"))
