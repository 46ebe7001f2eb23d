"""Paper questionnaires: keyboard-first entry by operators, and import of tabulations.

``/staf/kertas/<unit>``: type in paper forms (keyboard only, read-back,
duplicates caught); ``/staf/impor/<unit>``: import a CSV/XLSX tabulation
with a preview, all rows or none, undone as a whole. The blueprint is
``skm.paper.routes.bp``; the package itself imports nothing, so that
loading its models (``skm.database.MODEL_MODULES``) stays light.
"""
