"""Paper questionnaires: keyboard-first entry by operators, and import of tabulations.

``/staf/kertas/<unit>``: type in paper forms (keyboard only, read-back,
duplicates caught); ``/staf/impor/<unit>``: import a CSV/XLSX tabulation
with a preview, all rows or none, undone as a whole. The blueprint is
``skm.paper.blueprint.bp``; both route modules add to it.
"""

from flask import Flask

# Both route modules add their views to blueprint.bp: they are imported before it is registered.
from skm.paper import blueprint, import_routes, routes  # noqa: F401


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint.bp)
