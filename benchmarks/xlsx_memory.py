#!/usr/bin/env python3
"""Peak memory of reading an XLSX whose sheet claims a huge dimension.

An XLSX of a few kilobytes can say ``<dimension ref="A1:XFD4000"/>``: a
reader that trusts it pads every row to 16,384 cells. This script builds
such a file (a valid tabulation of a few rows), reads it the way an upload
is read (``skm.tabulation.read_tabulation_bytes``) and prints the file size,
the peak of Python allocations (tracemalloc) and the process's peak resident
size, next to the same figures for the honest file (its true dimension).

    python benchmarks/xlsx_memory.py
    python benchmarks/xlsx_memory.py --dimension A1:XFD4000 --rows 20
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm.tabulation import TabulationError, read_tabulation_bytes


def honest_workbook(rows: int) -> bytes:
    """A tabulation with a header U1..Un and ``rows`` answered rows."""
    from openpyxl import Workbook

    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([unsur.code for unsur in instrument.unsur])
    for row in range(rows):
        sheet.append([1 + (row + column) % 4 for column in range(instrument.n_unsur)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def claiming(content: bytes, dimension: str) -> bytes:
    """The same workbook, its first sheet claiming ``dimension`` and holding
    empty row elements down to the dimension's last row (as Excel writes for
    formatted rows); they compress to almost nothing."""
    last_row = int("".join(ch for ch in dimension.split(":")[-1] if ch.isdigit()))
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                text = text[:start] + dimension + text[end:]
                first_empty = text.count("<row ") + 1
                empty = "".join(f'<row r="{n}"/>' for n in range(first_empty, last_row + 1))
                data = text.replace("</sheetData>", empty + "</sheetData>").encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def measure(label: str, content: bytes) -> None:
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    tracemalloc.start()
    began = time.perf_counter()
    try:
        tabulation = read_tabulation_bytes(content, "tabulasi.xlsx", instrument, max_errors=None)
        outcome = f"{len(tabulation.rows)} baris"
    except TabulationError as error:
        outcome = f"ditolak: {error.errors[0].message}"
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"{label:<28} {len(content) / 1024:7.1f} KB  peak {peak / 2**20:8.1f} MiB  "
        f"max RSS so far {rss:7.1f} MiB  {elapsed:6.2f} s  {outcome}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dimension", default="A1:XFD4000")
    parser.add_argument("--rows", type=int, default=20)
    args = parser.parse_args()
    print(f"openpyxl reader of this tree; {args.rows} answered rows")
    honest = honest_workbook(args.rows)
    measure("honest dimension", honest)
    measure(f"claims {args.dimension}", claiming(honest, args.dimension))


if __name__ == "__main__":
    main()
