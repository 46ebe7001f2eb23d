"""Schema migrations: a new database, an upgrade of an older installation, and
the guard against a model change without a migration.

Each test runs on SQLite and PostgreSQL. Databases made "the old way" are
built with ``Base.metadata.create_all`` directly, as SKM did before it had
migrations.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from skm import create_app, database, migrations
from skm.database import Base
from skm.kiosk.kiosks import kiosk_by_token
from skm.models import Layanan, SurveyResponse, Unit
from skm.models.staff import SaranTindakLanjut
from skm.models.summaries import MONTH_TABLES
from skm.summaries.maintenance import differences, stored_totals
from tests.conftest import empty_database

ANSWERS = [f"u{i:02d}" for i in range(1, 10)]

#: What each stored response must still be after an upgrade: identity, where and
#: when it was given, and every answer (None is a blank).
RESPONSE_COLUMNS = ["uuid", "unit_id", "layanan_id", "channel", "submitted_at", "saran", *ANSWERS]


#: The secret address of the old installation's kiosk, stored in plain text before 0002.
OLD_KIOSK_SECRET = "t" * 40

OLD_KIOSK_COLUMNS = (
    *("id", "unit_id", "layanan_id", "name", "token", "active"),
    *("created_at", "queue_length", "rejected_count"),
)


def old_schema(engine: Engine) -> None:
    """The tables revision 0001 creates, without its version table."""
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), migrations.INITIAL_REVISION)
        connection.execute(sa.text(f"DROP TABLE {migrations.VERSION_TABLE}"))


def old_installation(engine: Engine, make_tables: bool = True) -> list[tuple]:
    """A database as SKM made it before migrations, with an office's responses in it.

    Returns the stored responses (RESPONSE_COLUMNS, by id). The tables are the
    ones revision 0001 creates (what ``create_all`` made then: see
    test_migrations_build_the_schema_create_all_builds), without its version
    table; the kiosk is written as a row of that schema, with its secret in
    plain text as SKM then kept it.
    """
    if make_tables:
        old_schema(engine)
    # Responses are written through today's models, whose flush also keeps the
    # day summaries: let it, into tables dropped again below.
    for table in Base.metadata.sorted_tables:
        if table.name.startswith("response_summary"):
            table.create(engine, checkfirst=True)
    answers = [
        [4, 4, 3, 4, 4, 3, 4, 4, 4],
        [3, 2, None, 3, 4, 3, 3, None, 2],
        [1, 2, 3, 4, 1, 2, 3, 4, 1],
        [4, None, None, None, None, None, None, None, None],
    ]
    with database.make_sessionmaker(engine)() as session:
        kecamatan = Unit(slug="sukamaju", name="Kecamatan Sukamaju", path="/")
        session.add(kecamatan)
        session.flush()
        kecamatan.path = f"/{kecamatan.id}/"
        ktp = Layanan(unit=kecamatan, name="KTP-el")
        session.add(ktp)
        session.flush()
        kiosk_id = session.execute(
            sa.table("kiosk", *map(sa.column, OLD_KIOSK_COLUMNS))
            .insert()
            .values(
                unit_id=kecamatan.id,
                layanan_id=ktp.id,
                name="Loket 1",
                token=OLD_KIOSK_SECRET,
                active=True,
                created_at=datetime(2026, 4, 1),
                queue_length=0,
                rejected_count=0,
            )
            .returning(sa.column("id"))
        ).scalar_one()
        for number, row in enumerate(answers):
            session.add(
                SurveyResponse(
                    uuid=uuid.UUID(int=number + 1),
                    unit_id=kecamatan.id,
                    layanan_id=ktp.id,
                    instrument_key="permenpan-14-2017",
                    instrument_version=1,
                    submitted_at=datetime(2026, 4 + number, 10, 2, 30, tzinfo=UTC),
                    channel="kiosk" if number % 2 else "web",
                    kiosk_id=kiosk_id if number % 2 else None,
                    saran=f"Saran nomor {number + 1}" if number != 2 else None,
                    **dict(zip(ANSWERS, row, strict=True)),
                )
            )
        session.flush()
        first = session.scalar(sa.select(SurveyResponse).order_by(SurveyResponse.id))
        session.add(SaranTindakLanjut(response_id=first.id, status="selesai", note="Sudah."))
        session.commit()
    # Tables added by later revisions were not there before migrations.
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in migrations.initial_schema():
            table.drop(engine, checkfirst=True)
    stored = stored_responses(engine)
    assert len(stored) == 4
    return stored


def stored_responses(engine: Engine) -> list[tuple]:
    table = Base.metadata.tables["response"]
    with engine.connect() as connection:
        query = sa.select(*(table.c[name] for name in RESPONSE_COLUMNS)).order_by(table.c.id)
        return [tuple(row) for row in connection.execute(query)]


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        # The tables an installation from before migrations has.
        present = migrations.initial_schema()
        return {
            name: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
            if name in present
        }


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return migrations.current_revision(connection)


def describe(engine: Engine) -> dict[str, dict]:
    """Everything a schema consists of, as the database reports it."""
    inspector = sa.inspect(engine)
    schema = {}
    for table in inspector.get_table_names():
        if table == migrations.VERSION_TABLE:
            continue
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table)["name"],
            "foreign keys": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    fk["options"].get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (uq["name"], tuple(uq["column_names"]))
                for uq in inspector.get_unique_constraints(table)
            ),
            "checks": sorted(
                (ck["name"], re.sub(r"\s+", " ", ck["sqltext"]))
                for ck in inspector.get_check_constraints(table)
            ),
        }
    return schema


# --- A new database ------------------------------------------------------------


def test_upgrade_of_an_empty_database_matches_the_models(new_engine: Engine) -> None:
    assert migrations.create_schema(new_engine) == migrations.head_revision()
    with new_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], (
        'models changed without a migration: run `skm db revision -m "what changed"` '
        f"(docs/database.md), review the new file and commit it. Differences: {differences}"
    )


def test_migrations_build_the_schema_create_all_builds(
    new_engine: Engine, kind: str, tmp_path: Path
) -> None:
    """Names of constraints and indexes, check constraints, the covering indexes:
    everything compare_metadata does not look at must match too."""
    migrations.create_schema(new_engine)
    (tmp_path / "models").mkdir()
    with empty_database(kind, tmp_path / "models", "skm_models") as url:
        reference = database.make_engine(url)
        Base.metadata.create_all(reference)
        expected = describe(reference)
        reference.dispose()
    migrated = describe(new_engine)
    assert migrated.keys() == expected.keys()
    for table in expected:
        assert migrated[table] == expected[table], table

    # The parts of the schema scoring and data quality depend on, by name.
    slots = [f"u{i:02d}" for i in range(1, 21)]
    indexes = {ix[0]: list(ix[1]) for ix in migrated["response"]["indexes"]}
    assert indexes["ix_response_scoring"] == [
        "instrument_key", "instrument_version", "submitted_at", "excluded", "unit_id",
        "layanan_id", *slots,
    ]  # fmt: skip
    assert indexes["ix_response_unit_scoring"] == [
        "unit_id", "instrument_key", "instrument_version", "submitted_at", "excluded",
        "layanan_id", *slots,
    ]  # fmt: skip
    checks = {ck[0] for table in migrated.values() for ck in table["checks"]}
    assert checks == {
        "ck_unit_kind", "ck_response_channel", "ck_user_account_role",
        "ck_populasi_population_positive", "ck_saran_tindak_lanjut_status",
        "ck_iku_indicator_polarity", "ck_iku_indicator_method", "ck_iku_realisasi_triwulan",
        "ck_import_batch_kind",
    }  # fmt: skip


def test_a_check_constraint_of_the_migrated_schema_refuses_bad_rows(new_engine: Engine) -> None:
    migrations.create_schema(new_engine)
    with pytest.raises(sa.exc.IntegrityError), new_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO unit (slug, name, kind, path, created_at) "
                "VALUES ('x', 'X', 'provinsi', '/', '2026-01-01 00:00:00')"
            )
        )


# --- An installation from before migrations ------------------------------------


def test_create_schema_stamps_an_old_installation_and_keeps_every_response(
    new_engine: Engine,
) -> None:
    before = old_installation(new_engine)
    counts = row_counts(new_engine)
    assert revision_of(new_engine) is None

    assert migrations.create_schema(new_engine) == migrations.head_revision()

    assert revision_of(new_engine) == migrations.head_revision()
    assert stored_responses(new_engine) == before
    assert row_counts(new_engine) == counts
    # Revision 0003 summed the stored responses per day, 0005 those days per month.
    with new_engine.connect() as connection:
        assert len(stored_totals(connection)) == 4  # four months, one day each
        assert len(stored_totals(connection, MONTH_TABLES)) == 4
        assert differences(connection, ZoneInfo("Asia/Jakarta")) == []


def test_an_upgrade_hashes_kiosk_secrets_and_old_addresses_keep_working(
    new_engine: Engine,
) -> None:
    old_installation(new_engine)
    migrations.create_schema(new_engine)

    with new_engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("kiosk")}
        stored = connection.execute(sa.text("SELECT * FROM kiosk")).mappings().one()
    assert "token" not in columns
    assert OLD_KIOSK_SECRET not in [str(value) for value in stored.values()]
    assert stored["token_hash"] == hashlib.sha256(OLD_KIOSK_SECRET.encode()).hexdigest()
    with database.make_sessionmaker(new_engine)() as session:
        kiosk = kiosk_by_token(session, OLD_KIOSK_SECRET)
        assert kiosk is not None
        assert kiosk.name == "Loket 1"
        assert kiosk_by_token(session, "t" * 39) is None


def test_skm_init_upgrades_an_old_installation(database_url: str, tmp_path: Path) -> None:
    engine = database.make_engine(database_url)
    before = old_installation(engine)
    app = create_app(
        {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
         "INSTANCE_PATH": tmp_path / "instance"}
    )  # fmt: skip
    try:
        runner = app.test_cli_runner()
        current = runner.invoke(args=["db", "current"])
        assert current.exit_code == 0, current.output
        assert "belum tercatat" in current.output

        result = runner.invoke(args=["init", "--admin-password", "rahasia-kantor-123"])
        assert result.exit_code == 0, result.output
        head = migrations.head_revision()
        assert f"dikenali; skemanya dicatat dan diperbarui ke revisi {head}" in result.output
        assert stored_responses(engine) == before

        current = runner.invoke(args=["db", "current"])
        assert f"Revisi skema: {head} (terbaru)" in current.output
        again = runner.invoke(args=["db", "upgrade"])
        assert again.exit_code == 0
        assert f"sudah terbaru (revisi {head})" in again.output
    finally:
        app.extensions["skm.engine"].dispose()
        engine.dispose()


def test_create_schema_twice_changes_nothing(new_engine: Engine) -> None:
    old_installation(new_engine)
    migrations.create_schema(new_engine)
    schema, responses, counts = (
        describe(new_engine),
        stored_responses(new_engine),
        row_counts(new_engine),
    )
    written: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if re.match(r"\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", statement, re.IGNORECASE):
            written.append(statement)

    sa.event.listen(new_engine, "before_cursor_execute", record)
    try:
        assert migrations.create_schema(new_engine) == migrations.head_revision()
    finally:
        sa.event.remove(new_engine, "before_cursor_execute", record)
    assert written == []
    assert describe(new_engine) == schema
    assert stored_responses(new_engine) == responses
    assert row_counts(new_engine) == counts


def test_an_unrecognised_schema_is_refused_and_left_alone(
    new_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    old_installation(new_engine)
    with new_engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE audit_log"))
        connection.execute(sa.text("ALTER TABLE kiosk DROP COLUMN rejected_count"))
    schema = describe(new_engine)

    with pytest.raises(migrations.SchemaError) as refused:
        migrations.create_schema(new_engine)
    message = refused.value.format_message()
    assert "skemanya tidak dikenali" in message
    assert "tabel tidak ada: audit_log" in message
    assert "kolom tidak ada: kiosk.rejected_count" in message
    assert describe(new_engine) == schema
    assert migrations.VERSION_TABLE not in sa.inspect(new_engine).get_table_names()

    # From the command line: the message, no traceback, a failing exit status.
    app = create_app(
        {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
         "INSTANCE_PATH": tmp_path / "instance"}
    )  # fmt: skip
    try:
        result = app.test_cli_runner().invoke(
            args=["init", "--admin-password", "rahasia-kantor-123"]
        )
    finally:
        app.extensions["skm.engine"].dispose()
    assert result.exit_code == 1
    assert "Galat: Basis data ini berisi tabel SKM" in result.output
    assert "Admin" not in result.output


def test_a_database_from_a_newer_version_is_refused(new_engine: Engine) -> None:
    migrations.create_schema(new_engine)
    with new_engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(migrations.SchemaError, match=r"revisi skema '9999'.*lebih baru"):
        migrations.create_schema(new_engine)
    assert revision_of(new_engine) == "9999"


# --- Later revisions (a scratch copy of skm/migrations with one more revision) -----


def migrations_with(tmp_path: Path, upgrade_body: str) -> Path:
    """A copy of skm/migrations whose newest revision 0900 runs ``upgrade_body``."""
    location = tmp_path / "migrations"
    shutil.copytree(
        migrations.MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__")
    )
    head = migrations.head_revision()
    body = "\n".join("    " + line for line in upgrade_body.strip().splitlines())
    (location / "versions" / "0900_scratch.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '0900'\ndown_revision = {head!r}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n",
        encoding="utf-8",
    )
    return location


def column_length(engine: Engine, table: str, column: str) -> int:
    columns = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns(table)}
    return columns[column].length


def foreign_keys_enforced(engine: Engine) -> bool:
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_table_rebuild_keeps_the_rows_that_refer_to_it(
    new_engine: Engine, tmp_path: Path
) -> None:
    """SQLite alters a column by copying the table and dropping the old one: with
    foreign keys enforced, dropping ``unit`` would cascade to layanan and kiosks."""
    before = old_installation(new_engine)
    migrations.create_schema(new_engine)
    counts = row_counts(new_engine)
    location = migrations_with(
        tmp_path,
        """
with op.batch_alter_table("unit") as batch:
    batch.alter_column("address", type_=sa.String(400), existing_nullable=True)
with op.batch_alter_table("response") as batch:
    batch.alter_column("flag", type_=sa.String(300), existing_nullable=True)
""",
    )
    assert migrations.upgrade(new_engine, location) == "0900"
    assert column_length(new_engine, "unit", "address") == 400
    assert column_length(new_engine, "response", "flag") == 300
    assert stored_responses(new_engine) == before
    assert row_counts(new_engine) == counts
    assert foreign_keys_enforced(new_engine)


def test_a_failing_revision_leaves_the_database_as_it_was(
    new_engine: Engine, tmp_path: Path
) -> None:
    before = old_installation(new_engine)
    head = migrations.create_schema(new_engine)
    location = migrations_with(
        tmp_path,
        """
with op.batch_alter_table("unit") as batch:
    batch.alter_column("address", type_=sa.String(400), existing_nullable=True)
op.execute("DELETE FROM saran_tindak_lanjut")
raise RuntimeError("revisi rusak")
""",
    )
    with pytest.raises(RuntimeError, match="revisi rusak"):
        migrations.upgrade(new_engine, location)
    assert revision_of(new_engine) == head
    assert column_length(new_engine, "unit", "address") == 300
    assert row_counts(new_engine)["saran_tindak_lanjut"] == 1
    assert stored_responses(new_engine) == before
    assert "_alembic_tmp_unit" not in sa.inspect(new_engine).get_table_names()
    assert foreign_keys_enforced(new_engine)


def test_a_revision_that_breaks_a_reference_is_not_committed(
    new_engine: Engine, kind: str, tmp_path: Path
) -> None:
    old_installation(new_engine)
    head = migrations.create_schema(new_engine)
    location = migrations_with(
        tmp_path,
        """
op.execute("INSERT INTO layanan (unit_id, name, active) VALUES (999999, 'yatim', true)")
""",
    )
    # SQLite: references are checked before committing; PostgreSQL refuses the row at once.
    if kind == "sqlite":
        with pytest.raises(migrations.SchemaError, match="1 baris merujuk data yang tidak ada"):
            migrations.upgrade(new_engine, location)
    else:
        with pytest.raises(sa.exc.IntegrityError):
            migrations.upgrade(new_engine, location)
    assert revision_of(new_engine) == head
    assert row_counts(new_engine)["layanan"] == 1


def test_db_revision_writes_the_migration_of_a_model_change(tmp_path: Path) -> None:
    """The developer's command: a scratch revision drops unit.address (so the
    models now have a column the newest revision lacks); the generated revision
    adds it back, and with it the migrated schema matches the models again."""
    location = migrations_with(
        tmp_path,
        """
with op.batch_alter_table("unit") as batch:
    batch.drop_column("address")
""",
    )
    path = migrations.new_revision("add unit address", location)
    assert path is not None
    assert path.name == "0901_add_unit_address.py"
    text = path.read_text(encoding="utf-8")
    assert re.search(r"down_revision = ['\"]0900['\"]", text)
    assert "add_column" in text and "address" in text

    with empty_database("sqlite", tmp_path) as url:
        engine = database.make_engine(url)
        try:
            assert migrations.upgrade(engine, location) == "0901"
            with engine.connect() as connection:
                assert migrations.schema_differences(connection) == []
        finally:
            engine.dispose()
    # Nothing more to generate once the revision exists.
    assert migrations.new_revision("nothing", location) is None
