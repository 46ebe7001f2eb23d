"""The raw responses as CSV, for Excel and for any other tool.

UTF-8 with a byte-order mark, so that Excel on Windows reads names such as
"Kelurahan Cibeureum – Loket" correctly; semicolons between fields, which
is what Excel expects where the decimal mark is a comma (Indonesian
regional settings); CRLF line ends as RFC 4180 writes them. Text that a
spreadsheet would run as a formula is neutralised (:mod:`skm.cells`).
:func:`generate_csv` is pure: headers and rows in, bytes out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from skm.cells import csv_value

DELIMITER = ";"


def generate_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV bytes (UTF-8 with BOM) of ``headers`` and ``rows``; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow(["" if value is None else csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
