"""Initial schema: every table SKM had when migrations were introduced.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:08:00

Generated with autogenerate against an empty database, then tidied: SKM's
own types written as what they store (UTCDateTime is a naive DateTime), and
the twenty answer slots written as a loop. An installation made before
migrations existed has exactly these tables; skm.migrations stamps it with
this revision instead of running it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# 64-bit keys on PostgreSQL; SQLite needs exactly INTEGER for its rowid alias.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

#: Answer slots u01..u20 of a response.
ANSWER_SLOTS = [f"u{i:02d}" for i in range(1, 21)]


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_address_at", "login_attempt", ["address", "at"])
    op.create_index("ix_login_attempt_username_at", "login_attempt", ["username", "at"])

    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('kabupaten', 'kota', 'kecamatan', 'kelurahan', 'desa', 'loket', 'lainnya')",
            name=op.f("ck_unit_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["unit.id"], name=op.f("fk_unit_parent_id_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("slug", name=op.f("uq_unit_slug")),
    )
    op.create_index(op.f("ix_unit_path"), "unit", ["path"])

    op.create_table(
        "iku_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sasaran", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("satuan", sa.String(length=60), nullable=False),
        sa.Column("alasan", sa.Text(), nullable=True),
        sa.Column("formula", sa.Text(), nullable=True),
        sa.Column("penanggung_jawab", sa.Text(), nullable=True),
        sa.Column("sumber_data", sa.Text(), nullable=True),
        sa.Column("polarity", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("numerator_label", sa.String(length=300), nullable=True),
        sa.Column("denominator_label", sa.String(length=300), nullable=True),
        sa.Column("include_subunits", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "method IN ('ikm', 'value', 'ratio', 'change')", name=op.f("ck_iku_indicator_method")
        ),
        sa.CheckConstraint(
            "polarity IN ('higher', 'lower')", name=op.f("ck_iku_indicator_polarity")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_iku_indicator_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iku_indicator")),
        sa.UniqueConstraint("unit_id", "code", name="unit_code"),
    )
    op.create_index(op.f("ix_iku_indicator_unit_id"), "iku_indicator", ["unit_id"])

    op.create_table(
        "iku_predikat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("minimum", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_iku_predikat_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iku_predikat")),
    )
    op.create_index(op.f("ix_iku_predikat_unit_id"), "iku_predikat", ["unit_id"])

    op.create_table(
        "layanan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_layanan_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_layanan")),
        sa.UniqueConstraint("unit_id", "name", name="unit_name"),
    )
    op.create_index(op.f("ix_layanan_unit_id"), "layanan", ["unit_id"])

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'operator', 'pimpinan')", name=op.f("ck_user_account_role")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_user_account_unit_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_api_token_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_unit_id"), "api_token", ["unit_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_audit_log_unit_id_unit"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_log_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index(op.f("ix_audit_log_unit_id"), "audit_log", ["unit_id"])

    op.create_table(
        "iku_realisasi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("triwulan", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("numerator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("denominator", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("current_count", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("previous_count", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_name", sa.String(length=200), nullable=True),
        sa.CheckConstraint("triwulan BETWEEN 0 AND 4", name=op.f("ck_iku_realisasi_triwulan")),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["iku_indicator.id"],
            name=op.f("fk_iku_realisasi_indicator_id_iku_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_iku_realisasi_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iku_realisasi")),
        sa.UniqueConstraint("indicator_id", "year", "triwulan", name="indicator_periode"),
    )

    op.create_table(
        "iku_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["iku_indicator.id"],
            name=op.f("fk_iku_target_indicator_id_iku_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iku_target")),
        sa.UniqueConstraint("indicator_id", "year", name="indicator_year"),
    )

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("instrument_key", sa.String(length=64), nullable=False),
        sa.Column("instrument_version", sa.SmallInteger(), nullable=False),
        sa.Column("periode_code", sa.String(length=40), nullable=True),
        sa.Column("entry_date", sa.Date(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("undone_by_name", sa.String(length=200), nullable=True),
        sa.Column("undone_count", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('import', 'paper')", name=op.f("ck_import_batch_kind")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_undone_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_import_batch_unit_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_index(op.f("ix_import_batch_content_sha256"), "import_batch", ["content_sha256"])
    op.create_index(
        "ix_import_batch_paper", "import_batch", ["kind", "unit_id", "created_by_id", "entry_date"]
    )
    op.create_index(op.f("ix_import_batch_unit_id"), "import_batch", ["unit_id"])

    op.create_table(
        "kiosk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("layanan_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("last_delivery_at", sa.DateTime(), nullable=True),
        sa.Column("queue_length", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["layanan_id"],
            ["layanan.id"],
            name=op.f("fk_kiosk_layanan_id_layanan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_kiosk_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk")),
        sa.UniqueConstraint("token", name=op.f("uq_kiosk_token")),
    )
    op.create_index(op.f("ix_kiosk_unit_id"), "kiosk", ["unit_id"])

    op.create_table(
        "populasi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("periode_code", sa.String(length=32), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("population >= 1", name=op.f("ck_populasi_population_positive")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_populasi_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_populasi_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_populasi")),
        sa.UniqueConstraint("unit_id", "periode_code", name="populasi_unit_periode"),
    )

    op.create_table(
        "rencana_tindak_lanjut",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("periode_code", sa.String(length=32), nullable=False),
        sa.Column("unsur_key", sa.String(length=40), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("triwulan", sa.String(length=4), nullable=False),
        sa.Column("penanggung_jawab", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_rencana_tindak_lanjut_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_rencana_tindak_lanjut_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rencana_tindak_lanjut")),
    )
    op.create_index(
        "ix_rencana_tindak_lanjut_unit_periode",
        "rencana_tindak_lanjut",
        ["unit_id", "periode_code"],
    )

    op.create_table(
        "report_narrative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("periode_code", sa.String(length=32), nullable=False),
        sa.Column("kata_pengantar", sa.Text(), nullable=True),
        sa.Column("latar_belakang", sa.Text(), nullable=True),
        sa.Column("dasar_pelaksanaan", sa.Text(), nullable=True),
        sa.Column("maksud_tujuan", sa.Text(), nullable=True),
        sa.Column("pelaksana", sa.Text(), nullable=True),
        sa.Column("metode", sa.Text(), nullable=True),
        sa.Column("lokasi", sa.Text(), nullable=True),
        sa.Column("analisis", sa.Text(), nullable=True),
        sa.Column("penutup", sa.Text(), nullable=True),
        sa.Column("include_saran", sa.Boolean(), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_report_narrative_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_narrative_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_narrative")),
        sa.UniqueConstraint("unit_id", "periode_code", name="unit_periode"),
    )

    op.create_table(
        "report_signatory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("jabatan", sa.String(length=200), nullable=False),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("pangkat", sa.String(length=120), nullable=False),
        sa.Column("nip", sa.String(length=30), nullable=False),
        sa.Column("tempat", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_report_signatory_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_signatory_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_signatory")),
        sa.UniqueConstraint("unit_id", name=op.f("uq_report_signatory_unit_id")),
    )

    op.create_table(
        "response",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("layanan_id", sa.Integer(), nullable=True),
        sa.Column("instrument_key", sa.String(length=64), nullable=False),
        sa.Column("instrument_version", sa.SmallInteger(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("kiosk_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("flag", sa.String(length=200), nullable=True),
        sa.Column("jenis_kelamin", sa.String(length=1), nullable=True),
        sa.Column("usia", sa.SmallInteger(), nullable=True),
        sa.Column("pendidikan", sa.String(length=20), nullable=True),
        sa.Column("pekerjaan", sa.String(length=40), nullable=True),
        sa.Column("profile_extra", sa.JSON(), nullable=True),
        sa.Column("saran", sa.Text(), nullable=True),
        *(sa.Column(slot, sa.SmallInteger(), nullable=True) for slot in ANSWER_SLOTS),
        sa.CheckConstraint(
            "channel IN ('kiosk', 'web', 'paper', 'import')", name=op.f("ck_response_channel")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_response_import_batch_id_import_batch"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["kiosk_id"],
            ["kiosk.id"],
            name=op.f("fk_response_kiosk_id_kiosk"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["layanan_id"],
            ["layanan.id"],
            name=op.f("fk_response_layanan_id_layanan"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_response_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
        sa.UniqueConstraint("uuid", name=op.f("uq_response_uuid")),
    )
    op.create_index(op.f("ix_response_import_batch_id"), "response", ["import_batch_id"])
    op.create_index("ix_response_kiosk_time", "response", ["kiosk_id", "submitted_at"])
    op.create_index(op.f("ix_response_layanan_id"), "response", ["layanan_id"])
    # The covering scoring indexes (see skm/models.py): every column the
    # scoring query reads, one index leading with time and one with unit.
    op.create_index(
        "ix_response_scoring",
        "response",
        [
            "instrument_key",
            "instrument_version",
            "submitted_at",
            "excluded",
            "unit_id",
            "layanan_id",
            *ANSWER_SLOTS,
        ],
    )
    op.create_index(
        "ix_response_unit_scoring",
        "response",
        [
            "unit_id",
            "instrument_key",
            "instrument_version",
            "submitted_at",
            "excluded",
            "layanan_id",
            *ANSWER_SLOTS,
        ],
    )

    op.create_table(
        "saran_tindak_lanjut",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", BIG_ID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('baru', 'ditindaklanjuti', 'selesai')",
            name=op.f("ck_saran_tindak_lanjut_status"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_saran_tindak_lanjut_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_saran_tindak_lanjut_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saran_tindak_lanjut")),
        sa.UniqueConstraint("response_id", name=op.f("uq_saran_tindak_lanjut_response_id")),
    )


def downgrade() -> None:
    # Dependants first; dropping a table drops its indexes.
    for table in (
        "saran_tindak_lanjut",
        "response",
        "report_signatory",
        "report_narrative",
        "rencana_tindak_lanjut",
        "populasi",
        "kiosk",
        "import_batch",
        "iku_target",
        "iku_realisasi",
        "audit_log",
        "api_token",
        "user_account",
        "layanan",
        "iku_predikat",
        "iku_indicator",
        "unit",
        "login_attempt",
    ):
        op.drop_table(table)
