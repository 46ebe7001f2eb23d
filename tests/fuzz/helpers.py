"""What the fuzz and isolation tests compare: every table's rows, before and after."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from hypothesis import strategies as st

from skm import database

#: Columns a request may touch without changing anything anyone reads as data:
#: when a token or kiosk was last seen, and sign-in attempts (the throttle).
BOOKKEEPING = {
    "api_token": {"last_used_at"},
    "kiosk": {"last_seen_at", "last_delivery_at", "queue_length", "rejected_count"},
}
IGNORED_TABLES = {"login_attempt"}


def dump(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (bookkeeping columns left out), in a stable order."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with app.app_context(), database.engine().connect() as connection:
        for table in database.Base.metadata.sorted_tables:
            if table.name in IGNORED_TABLES:
                continue
            skip = BOOKKEEPING.get(table.name, set())
            columns = [column for column in table.columns if column.name not in skip]
            found = connection.execute(sa.select(*columns)).all()
            rows[table.name] = sorted((tuple(row) for row in found), key=repr)
    return rows


def counts(app: Flask) -> dict[str, int]:
    return {name: len(rows) for name, rows in dump(app).items()}


def assert_refusal_changed_nothing(status: int, before: dict, after: dict) -> None:
    """No server error; a refused input leaves every table as it was."""
    assert status < 500, f"server error {status}"
    if status >= 400:
        assert after == before, "a refused input changed the database"


#: Text as people (and attackers) type it: any code point but surrogates,
#: with NUL, very long numbers, formulas and markup among the likely ones.
text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "a\x00b", "=1+1", '=HYPERLINK("x")', "<script>", "'; --"]),
    st.integers(min_value=2**31 - 2, max_value=2**70).map(str),
    st.integers(min_value=-(2**70), max_value=-1).map(str),
)

#: Any JSON value, nested a little.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
