"""Indikator Kinerja Utama (IKU): indicators, targets, realisation and capaian per unit.

``/staf/iku/<unit>`` (:mod:`skm.iku.routes`, blueprint ``iku``): the
realisation table (and its XLSX), indicators and their targets,
realisation per triwulan and year, the predikat scale. The numbers
(realisasi, capaian, predikat) are shared with the reports and the dashboard
and live in :mod:`skm.results` (``realisasi``, ``capaian``, ``indicators``).
"""

from flask import Flask

from skm.iku import cli, routes
from skm.results.realisasi import ikm_target_for_periode
from skm.results.targets import register_target_lookup


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.iku_command)
    # The dashboard's IKM trend chart draws the IKU target of each periode.
    register_target_lookup(app, ikm_target_for_periode)
