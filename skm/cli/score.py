"""``skm score FILE``: the annex table of an offline tabulation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, InstrumentError, get_instrument
from scoring import IkmResult, score_matrix
from skm.columns import column_index, describe_columns
from skm.formatting import format_number
from skm.results.ikm_json import result_json
from skm.tabulation import TabulationError, read_tabulation

#: Exit status for a file that cannot be scored (click uses 2 for usage errors too).
EXIT_BAD_INPUT = 2


def _instrument(spec: str) -> Instrument:
    key, _, version = spec.partition("@")
    return get_instrument(key, int(version) if version else None)


#: How a header is matched when it names its column outright (no need to show the mapping).
EXACT_MATCHES = ("kode unsur", "kunci unsur", "kolom nomor", "judul kolom")


def _overrides(specs: tuple[str, ...]) -> dict[int, str]:
    """``("H=U2", "P=-")`` -> ``{7: "U2", 15: "-"}``; ValueError with a message."""
    columns: dict[int, str] = {}
    for spec in specs:
        letters, sep, target = spec.partition("=")
        if not sep or not target.strip():
            raise ValueError(f"--kolom '{spec}' harus berbentuk KOLOM=ISI, mis. H=U2.")
        columns[column_index(letters)] = target.strip()
    return columns


def annex_table(instrument: Instrument, result: IkmResult) -> str:
    """The annex's 'Pengolahan data SKM per unsur' table as plain text."""
    codes = [u.code for u in instrument.unsur]
    rows: list[tuple[str, list[str]]] = [
        ("Σ nilai", [format_number(s.sum, 0) for s in result.unsur]),
        ("Jumlah jawaban", [format_number(s.count, 0) for s in result.unsur]),
        ("NRR", [format_number(s.nrr, 3) for s in result.unsur]),
        ("NRR tertimbang", [format_number(s.nrr_tertimbang, 3) for s in result.unsur]),
        ("Konversi", [format_number(s.konversi, 2) for s in result.unsur]),
        ("Mutu", [s.mutu for s in result.unsur]),
    ]
    label_width = max(len(label) for label, _ in rows)
    width = max(7, *(len(cell) for _, cells in rows for cell in cells))
    lines = [
        f"{instrument.short_name} — {result.respondents} responden",
        "",
        " " * label_width + " " + " ".join(code.rjust(width) for code in codes),
    ]
    for label, cells in rows:
        lines.append(label.ljust(label_width) + " " + " ".join(c.rjust(width) for c in cells))
    weight = f"1/{instrument.n_unsur}"
    lines += [
        "",
        f"IKM (Σ NRR tertimbang, bobot {weight}) : {format_number(result.ikm, 4)}",
        f"Nilai konversi (IKM x 25)            : {format_number(result.konversi, 2)}",
        f"Mutu pelayanan                       : {result.mutu}",
        f"Kinerja unit pelayanan               : {result.kinerja}",
    ]
    return "\n".join(lines)


@click.command("score")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--instrument",
    "instrument_spec",
    default=DEFAULT_INSTRUMENT_KEY,
    show_default=True,
    help="Kunci instrumen, mis. kepmenpan-25-2004 (opsional @versi).",
)
@click.option("--json", "as_json", is_flag=True, help="Cetak hasil sebagai JSON.")
@click.option(
    "--kolom",
    "overrides",
    multiple=True,
    metavar="KOLOM=ISI",
    help="Tetapkan isi satu kolom, mis. H=U2, A=tanggal atau P=- (diabaikan); "
    "KOLOM adalah huruf kolom seperti di Excel. Boleh diulang.",
)
def score_command(
    file: Path, instrument_spec: str, as_json: bool, overrides: tuple[str, ...]
) -> None:
    """Hitung IKM dari tabulasi CSV/XLSX (satu baris per responden): kolom U1…U9 atau
    teks pertanyaan kuesioner (ekspor Google Forms), jawaban 1–4, a–d atau labelnya."""
    try:
        instrument = _instrument(instrument_spec)
        columns = _overrides(overrides)
    except (InstrumentError, ValueError) as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if not file.exists():
        click.echo(f"Galat: berkas '{file}' tidak ditemukan.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    try:
        tabulation = read_tabulation(file, instrument, columns=columns)
        result = score_matrix(tabulation.answers, instrument.grade_scale)
    except TabulationError as error:
        click.echo(f"Berkas '{file.name}' tidak dapat dihitung:", err=True)
        for problem in error.errors:
            click.echo(f"  {problem}", err=True)
        if error.columns:
            click.echo("Kolom dibaca sebagai (ubah dengan --kolom H=U2):", err=True)
            for line in describe_columns(error.columns, instrument):
                click.echo(f"  {line}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except ValueError as error:
        click.echo(f"Galat: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if any(role.matched_by not in EXACT_MATCHES for role in tabulation.columns):
        # Headers read by their wording: show how, so a wrong guess is seen.
        click.echo("Kolom dibaca sebagai:", err=True)
        for line in describe_columns(tabulation.columns, instrument):
            click.echo(f"  {line}", err=True)
    if as_json:
        click.echo(json.dumps(result_json(instrument, result), ensure_ascii=False, indent=2))
    else:
        click.echo(annex_table(instrument, result))
