"""Public pages: the published survey results of each unit."""

from flask import Flask

from skm.public import routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
