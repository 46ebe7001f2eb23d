"""Indikator Kinerja Utama (IKU): indicators, targets, realisation and capaian per unit.

``/staf/iku/<unit>`` (:mod:`skm.iku.routes`, blueprint ``iku``): the
realisation table (and its XLSX), indicators and their targets,
realisation per triwulan and year, the predikat scale. For other
features: :func:`skm.iku.realisasi.iku_table` and
:func:`skm.iku.realisasi.ikm_target`. The package itself imports nothing,
so that loading its models (``skm.database.MODEL_MODULES``) stays light.
"""
