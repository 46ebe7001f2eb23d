"""A citizen's survey keeps no address and no browser: nothing in the database, and the
rate limits count a salted hash in memory only."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from skm import database, ratelimit
from tests.kiosk.conftest import place  # noqa: F401  (fixture)
from tests.support.submissions import payload

ADDRESS = "198.51.100.77"
BROWSER = "UjiPeramban/9.9 (Tablet Loket)"


def every_stored_value(app: Flask) -> str:
    """Every value of every row of every table, as text."""
    with app.app_context():
        connection = database.connection()
        values = []
        for table in database.Base.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                values.extend(str(value) for value in row)
    return "\n".join(values)


def test_surveys_store_no_address_or_user_agent(app, place) -> None:  # noqa: F811
    client = app.test_client()
    environ = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER}
    token = client.get("/survei/_token", environ_base=environ).get_json()["csrf_token"]
    headers = {"X-CSRFToken": token}
    for url, layanan in (
        ("/survei/kecamatan-sukamaju/kirim", place.ktp.id),
        (f"/kiosk/{place.kiosk.token}/kirim", place.kk.id),
    ):
        response = client.post(url, json=payload(layanan), headers=headers, environ_base=environ)
        assert response.status_code == 201
    heartbeat = client.post(
        f"/kiosk/{place.kiosk.token}/detak", json={"queue_length": 0}, headers=headers,
        environ_base=environ,
    )  # fmt: skip
    assert heartbeat.status_code == 200
    stored = every_stored_value(app)
    assert stored.count("kecamatan-sukamaju") >= 1  # the walk does read the rows
    assert ADDRESS not in stored
    assert "UjiPeramban" not in stored
    # The limits counted the surveys, under a key that is not the address.
    with app.app_context():
        keys = list(ratelimit.limiter()._hits)
    assert any(key.startswith("ADDRESS:") for key in keys)
    assert not [key for key in keys if ADDRESS in key]
