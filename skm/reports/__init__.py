"""The quarterly SKM report: PDF and DOCX in the KemenPANRB structure, XLSX tabulation,
CSV; and the comparison of a unit's sub-units (kabupaten/instansi report).

``/staf/laporan/<unit>/`` (blueprint ``reports``, :mod:`skm.reports.routes`):
readiness of the report, its narrative and signing official, and the
downloads. The generators (``generate_pdf``, ``generate_docx``,
``generate_summary_pdf``, ``generate_xlsx``, ``generate_csv``) are pure
functions of the data gathered by :func:`skm.reports.data.collect_report`
(the PDF and the DOCX lay out the same blocks, :mod:`skm.reports.content`);
the comparison's are fed by :func:`skm.results.comparison.collect_comparison`;
:func:`skm.reports.service.produce` ties the two for the web and the CLI.
"""

from flask import Flask

from skm.reports import cli, routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.report_command)
