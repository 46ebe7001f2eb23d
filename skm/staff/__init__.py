"""Staff pages: the IKM dashboard and its charts, saran, population and the RTL."""

from flask import Flask

from skm.staff import routes


def init_app(app: Flask) -> None:
    app.register_blueprint(routes.bp)
