"""Moving a unit to another parent and deleting a unit created by mistake.

The office: Kecamatan K (the admin's unit) with Kelurahan A, whose Loket A1
has a sub-loket A1a, and Kelurahan B; Kecamatan O belongs to another admin.
Each response answers every unsur alike, so a subtree's IKM is worked out
by hand: NRR = the mean answer, konversi = 25 x NRR (Permenpan 14/2017).
A (all 4) and A1 (all 2) give A's subtree (4 + 2) / 2 = 3 -> 75,00; B (all 1) -> 25,00.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database, reference
from skm.config import office_timezone
from skm.ikm import Scope, score
from skm.kiosk.kiosks import open_kiosk
from skm.models import Layanan, SurveyResponse, Unit
from skm.models.admin import AuditEntry
from skm.models.api import ApiToken
from skm.models.iku import IkuIndicator
from skm.models.kiosk import Kiosk
from skm.models.paper import ImportBatch
from skm.models.reports import ReportSignatory
from skm.models.staff import Population, RencanaTindakLanjut
from skm.periode import Periode
from skm.responses import ResponseInput, bulk_insert, store_response
from skm.units import add_layanan, create_unit
from tests.support.audit import last_id, logged
from tests.support.auth import signed_in_client
from tests.support.forms import post_form
from tests.support.submissions import payload, post_json, survey_token

INSTRUMENT = get_instrument(DEFAULT_INSTRUMENT_KEY)
T2 = Periode.triwulan(2026, 2)
MAY = datetime(2026, 5, 12, 3, 0, tzinfo=UTC)  # 10.00 in Jakarta, Triwulan II


@dataclass
class Office:
    k: int
    a: int
    a1: int
    a1a: int
    b: int
    o: int
    b_slug: str
    admin: object
    other_admin: object


def answer_all(session, unit_id: int, value: int, channel: str) -> None:
    """One response answering every unsur with ``value``."""
    store_response(
        session,
        ResponseInput(
            uuid.uuid4(),
            unit_id,
            None,
            {u.key: value for u in INSTRUMENT.unsur},
            MAY,
            channel,
        ),
        INSTRUMENT,
    )


@pytest.fixture
def office(app: Flask, make_user) -> Office:
    with app.app_context():
        session = database.session()
        k = create_unit(session, "Kecamatan K", "kecamatan")
        a = create_unit(session, "Kelurahan A", "kelurahan", k)
        a1 = create_unit(session, "Loket A1", "loket", a)
        a1a = create_unit(session, "Loket A1a", "loket", a1)
        b = create_unit(session, "Kelurahan B", "kelurahan", k)
        o = create_unit(session, "Kecamatan O", "kecamatan")
        session.commit()
        answer_all(session, a.id, 4, "web")
        answer_all(session, a1.id, 2, "kiosk")
        answer_all(session, b.id, 1, "paper")
        ids = (k.id, a.id, a1.id, a1a.id, b.id, o.id)
        b_slug = b.slug
        for unit in (k, o):
            session.expunge(unit)
    admin = make_user(k, "admin", "admin.k")
    other_admin = make_user(o, "admin", "admin.o")
    return Office(*ids, b_slug, admin, other_admin)


@pytest.fixture
def client(app: Flask, office: Office):
    client = signed_in_client(app, office.admin)
    return client


def paths(app: Flask) -> dict[int, tuple[str, int | None]]:
    with app.app_context():
        rows = database.session().execute(sa.select(Unit.id, Unit.path, Unit.parent_id))
        return {row.id: (row.path, row.parent_id) for row in rows}


def subtree_ikm(app: Flask, unit_id: int) -> tuple[float, int] | None:
    """(konversi, respondents) of the unit with its sub-units in Triwulan II 2026."""
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, unit_id)
        result = score(session, INSTRUMENT, T2, office_timezone(), Scope(unit))
        return None if result is None else (result.konversi, result.respondents)


def dashboard_konversi(client, slug: str) -> str:
    html = client.get(f"/staf/unit/{slug}/?periode=2026-T2").get_data(as_text=True)
    return re.search(r'data-testid="konversi">([^<]+)<', html).group(1)


def option_values(html: str, select_id: str) -> set[int]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select)}


#: Fields of :class:`Office` naming a unit (parametrised tests name units by these).
UNIT_NAMES = {"k", "a", "a1", "a1a", "b", "o"}


# --- Move ---------------------------------------------------------------------


def test_move_rewrites_the_subtree_paths_and_the_ikm_follows(app, office, client) -> None:
    before = paths(app)
    assert subtree_ikm(app, office.a) == (75.0, 2)
    assert subtree_ikm(app, office.b) == (25.0, 1)
    assert subtree_ikm(app, office.k) == (58.33, 3)  # (4 + 2 + 1) / 3 x 25 = 58,333...
    assert dashboard_konversi(client, office.b_slug) == "25,00"  # now in the numbers cache

    # The edit page offers every unit of the scope but A1's own subtree and its parent.
    edit = client.get(f"/admin/unit/{office.a1}").get_data(as_text=True)
    assert option_values(edit, "induk") == {office.k, office.b}

    confirm = client.get(f"/admin/unit/{office.a1}/pindah?induk={office.b}")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert (
        "1 respons yang sudah masuk di Loket A1 dan sub-unitnya tetap melekat pada unitnya. "
        "Mulai sekarang respons itu, termasuk respons periode yang sudah lewat, dihitung dalam "
        "IKM Kelurahan B dan tidak lagi dalam IKM Kelurahan A." in text
    )
    assert "Ya, pindahkan ke Kelurahan B" in text
    assert paths(app) == before  # looking at the confirmation changes nothing

    response = post_form(client, f"/admin/unit/{office.a1}/pindah", {"induk": office.b})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/unit/{office.a1}")
    page = client.get(f"/admin/unit/{office.a1}").get_data(as_text=True)
    assert "Loket A1 dipindahkan dari Kelurahan A ke Kelurahan B." in page
    after = paths(app)
    b_path = before[office.b][0]
    assert after[office.a1] == (f"{b_path}{office.a1}/", office.b)
    assert after[office.a1a] == (f"{b_path}{office.a1}/{office.a1a}/", office.a1)
    unchanged = (office.k, office.a, office.b, office.o)
    assert {i: after[i] for i in unchanged} == {i: before[i] for i in unchanged}

    # A keeps only its own all-4 response; B now counts A1's all-2 with its all-1:
    # (1 + 2) / 2 = 1,5 -> 37,50. K holds the same three responses as before.
    assert subtree_ikm(app, office.a) == (100.0, 1)
    assert subtree_ikm(app, office.b) == (37.5, 2)
    assert subtree_ikm(app, office.a1) == (50.0, 1)
    assert subtree_ikm(app, office.k) == (58.33, 3)
    assert dashboard_konversi(client, office.b_slug) == "37,50"

    (entry,) = logged(app, action="unit.move")
    assert (entry.unit_id, entry.object_id) == (office.a1, str(office.a1))
    assert entry.changes == {"parent": ["Kelurahan A", "Kelurahan B"]}
    log = client.get("/admin/log").get_data(as_text=True)
    assert "Unit dipindahkan" in log and "unit induk: Kelurahan A → Kelurahan B" in log


def test_the_confirmation_names_whose_ikm_changes(app, office, client) -> None:
    """Every unit above a unit counts its responses: units above both parents keep theirs."""
    up = client.get(f"/admin/unit/{office.a1}/pindah?induk={office.k}").get_data(as_text=True)
    assert (
        "dihitung dalam IKM Kecamatan K dan tidak lagi dalam IKM Kelurahan A." in up
        and "IKM Kecamatan K tidak berubah, karena unit ini tetap berada di bawahnya." in up
    )
    across = client.get(f"/admin/unit/{office.a}/pindah?induk={office.b}").get_data(as_text=True)
    assert "2 respons yang sudah masuk di Kelurahan A dan sub-unitnya" in across
    assert "dihitung dalam IKM Kelurahan B." in across and "tidak lagi" not in across
    assert "Dasbor dan laporan Kelurahan B, juga untuk periode yang lalu" in across

    post_form(client, f"/admin/unit/{office.a}/pindah", {"induk": office.b})
    # B now holds A (all 4), A1 (all 2) and its own (all 1): (4 + 2 + 1) / 3 x 25 = 58,33.
    assert subtree_ikm(app, office.b) == (58.33, 3)
    assert subtree_ikm(app, office.k) == (58.33, 3)
    assert paths(app)[office.a1a][0] == (
        f"{paths(app)[office.b][0]}{office.a}/{office.a1}/{office.a1a}/"
    )


def test_a_unit_without_responses_is_told_so_before_moving(app, office, client) -> None:
    text = client.get(f"/admin/unit/{office.a1a}/pindah?induk={office.k}").get_data(as_text=True)
    assert "Belum ada respons di Loket A1a." in text
    assert "Mulai sekarang respons unit ini dihitung dalam IKM Kecamatan K" in text


@pytest.mark.parametrize(
    ("unit", "parent", "message"),
    [
        ("a", "a1", "Loket A1 adalah sub-unit dari Kelurahan A; unit tidak dapat dipindahkan"),
        ("a", "a1a", "Loket A1a adalah sub-unit dari Kelurahan A"),
        ("a", "a", "Unit tidak dapat menjadi induk bagi dirinya sendiri."),
        ("a", "o", "Unit induk yang dipilih tidak ada di wilayah Anda."),
        ("a", 999_999, "Unit induk yang dipilih tidak ada di wilayah Anda."),
        ("a", "k", "Kelurahan A sudah berada di bawah Kecamatan K."),
        ("a", "", "Pilih unit induk yang baru."),
        ("a", "abc", "Pilih unit induk yang baru."),
        ("k", "b", "Kecamatan K adalah unit Anda sendiri (puncak wilayah yang Anda kelola)"),
    ],
)
def test_refused_moves_change_nothing(app, office, client, unit, parent, message) -> None:
    before, first_entry = paths(app), last_id(app)
    unit_id = getattr(office, unit)
    parent_value = getattr(office, parent) if parent in UNIT_NAMES else parent
    shown = client.get(f"/admin/unit/{unit_id}/pindah?induk={parent_value}")
    assert shown.status_code == 200
    assert message in shown.get_data(as_text=True)
    assert "Ya, pindahkan" not in shown.get_data(as_text=True)
    response = post_form(client, f"/admin/unit/{unit_id}/pindah", {"induk": parent_value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert paths(app) == before
    assert logged(app, after=first_entry) == []


def test_other_admins_and_other_roles_cannot_move_or_delete(app, office, make_user) -> None:
    before, first_entry = paths(app), last_id(app)
    other = signed_in_client(app, office.other_admin)
    for path in (
        f"/admin/unit/{office.a}/pindah?induk={office.o}",
        f"/admin/unit/{office.b}/hapus",
    ):
        assert other.get(path).status_code == 404
    assert (
        post_form(other, f"/admin/unit/{office.a}/pindah", {"induk": office.o}).status_code == 404
    )
    assert post_form(other, f"/admin/unit/{office.a1a}/hapus").status_code == 404
    with app.app_context():
        k = database.session().get(Unit, office.k)
    for role in ("operator", "pimpinan"):
        staff = signed_in_client(app, make_user(k, role))
        assert staff.get(f"/admin/unit/{office.a1a}/hapus").status_code == 403
        assert post_form(staff, f"/admin/unit/{office.a1a}/hapus").status_code == 403
        assert (
            post_form(staff, f"/admin/unit/{office.a}/pindah", {"induk": office.b}).status_code
            == 403
        )
    # Without the form's CSRF token nothing happens either.
    admin = signed_in_client(app, office.admin)
    assert admin.post(f"/admin/unit/{office.a1a}/hapus").status_code == 400
    assert paths(app) == before
    assert logged(app, after=first_entry) == []


def test_the_admins_own_unit_is_neither_moved_nor_deleted(app, office, client) -> None:
    before = paths(app)
    edit = client.get(f"/admin/unit/{office.k}").get_data(as_text=True)
    assert "Kecamatan K adalah unit Anda sendiri" in edit
    assert 'id="induk"' not in edit and "Hapus unit…" not in edit
    page = client.get(f"/admin/unit/{office.k}/hapus").get_data(as_text=True)
    assert (
        "Kecamatan K adalah unit Anda sendiri (puncak wilayah yang Anda kelola), "
        "jadi tidak dapat dihapus." in page
    )
    assert "Ya, hapus" not in page
    refused = post_form(client, f"/admin/unit/{office.k}/hapus").get_data(as_text=True)
    assert "Unit tidak dihapus." in refused
    assert paths(app) == before


# --- Delete -------------------------------------------------------------------


def test_a_fresh_unit_with_layanan_and_a_kiosk_is_deleted(app, office, client) -> None:
    created = post_form(
        client,
        "/admin/unit/baru",
        {"parent": office.b, "name": "Kelurahan Keliru", "kind": "kelurahan"},
    )
    unit_id = int(created.headers["Location"].rsplit("/", 1)[1])
    post_form(client, f"/admin/unit/{unit_id}/layanan", {"name": "Surat Domisili"})
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, unit_id)
        layanan = session.scalar(sa.select(Layanan).where(Layanan.unit_id == unit_id))
        kiosk = open_kiosk(session, unit, "Loket Keliru", layanan)
        session.add(Population(unit_id=unit_id, periode_code="2026-T2", population=120))
        session.add(ReportSignatory(unit_id=unit_id, jabatan="Lurah Keliru"))
        session.commit()
        token = kiosk.token
        # A delivery just looked the kiosk and its unit up: both are in the cache now.
        reference.kiosk_ref(database.connection(), token)
        reference.unit_by_id(database.connection(), unit_id)

    edit = client.get(f"/admin/unit/{unit_id}").get_data(as_text=True)
    assert "Hapus unit…" in edit and "tidak dapat dihapus" not in edit
    confirm = client.get(f"/admin/unit/{unit_id}/hapus").get_data(as_text=True)
    for item in (
        "1 jenis layanan",
        "1 kios, 1 masih dibuka: tabletnya berhenti menerima survei",
        "1 angka populasi yang dicatat",
        "pengaturan laporan (penandatangan dan narasi)",
    ):
        assert f"<li>{item}</li>" in confirm
    assert "Ya, hapus Kelurahan Keliru" in confirm

    response = post_form(client, f"/admin/unit/{unit_id}/hapus")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/unit")
    assert "Unit Kelurahan Keliru dihapus." in client.get("/admin/unit").get_data(as_text=True)
    with app.app_context():
        session = database.session()
        assert session.get(Unit, unit_id) is None
        for model in (Layanan, Kiosk, Population, ReportSignatory):
            assert (
                session.scalar(
                    sa.select(sa.func.count()).select_from(model).where(model.unit_id == unit_id)
                )
                == 0
            )
    # The kiosk's tablet is turned away, not served from a cache that outlived the unit.
    kiosk_client = app.test_client()
    delivery = post_json(
        kiosk_client, f"/kiosk/{token}/kirim", payload(), survey_token(kiosk_client)
    )
    assert delivery.status_code == 404 and delivery.get_json()["message"] == "Kios tidak dikenal."

    entries = logged(app)
    deleted = [e for e in entries if e.action == "unit.delete"]
    assert len(deleted) == 1
    assert deleted[0].unit_id == office.b and deleted[0].object_id == str(unit_id)
    assert deleted[0].changes["name"] == ["Kelurahan Keliru", None]
    assert deleted[0].changes["layanan"] == ["Surat Domisili", None]
    # The unit's earlier entries stay readable: they now belong to its parent.
    assert [(e.action, e.unit_id) for e in entries] == [
        ("unit.create", office.b),
        ("layanan.create", office.b),
        ("unit.delete", office.b),
    ]
    log = client.get("/admin/log").get_data(as_text=True)
    assert "Unit dihapus" in log and "Unit Kelurahan Keliru dibuat" in log


def _blocker(kind: str, session, unit: Unit, make_user) -> None:
    """Give ``unit`` one thing that makes deleting it lose something."""
    if kind == "responses":
        row = {
            "unit_id": unit.id,
            "layanan_id": None,
            "instrument_key": INSTRUMENT.key,
            "instrument_version": INSTRUMENT.version,
            "received_at": MAY,
            "excluded": False,
            **{f"u{i + 1:02d}": 3 for i in range(INSTRUMENT.n_unsur)},
        }
        channels = ("kiosk", "web", "paper", "import")
        bulk_insert(
            session,
            [
                {
                    **row,
                    "uuid": uuid.uuid4(),
                    "submitted_at": MAY + timedelta(minutes=i),
                    "channel": channels[i % 4],
                    # Responses staff excluded from the IKM still block.
                    "excluded": i % 10 == 0,
                }
                for i in range(1234)
            ],
        )
    elif kind == "subunit":
        create_unit(session, "Loket Anak", "loket", unit)
    elif kind == "batch":
        session.add(
            ImportBatch(
                kind="import",
                unit_id=unit.id,
                instrument_key=INSTRUMENT.key,
                instrument_version=INSTRUMENT.version,
                undone_at=MAY,
            )
        )
    elif kind == "token":
        session.add(
            ApiToken(
                name="Dasbor", unit_id=unit.id, token_hash="x" * 64, prefix="skm_x", revoked_at=MAY
            )
        )
    elif kind == "iku":
        session.add(
            IkuIndicator(
                unit_id=unit.id, code="akip", sasaran="S", name="Nilai AKIP", satuan="nilai"
            )
        )
    elif kind == "rencana":
        session.add(
            RencanaTindakLanjut(
                unit_id=unit.id,
                periode_code="2026-T2",
                unsur_key="waktu",
                program="Menambah loket",
                triwulan="3",
                penanggung_jawab="Lurah",
            )
        )
    elif kind == "queue":
        open_kiosk(session, unit, "Loket Antre").queue_length = 3
    session.commit()
    if kind == "user":
        make_user(unit, "operator", active=False)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("responses", "Unit ini sudah memiliki 1.234 respons."),
        ("subunit", "Unit ini memiliki 1 sub-unit."),
        ("user", "Unit ini memiliki 1 akun pengguna (termasuk yang nonaktif)."),
        ("batch", "Unit ini memiliki 1 riwayat impor atau entri formulir kertas"),
        ("token", "Unit ini memiliki 1 token API (termasuk yang sudah dicabut)"),
        ("iku", "Unit ini memiliki 1 indikator IKU."),
        ("rencana", "Unit ini memiliki 1 baris rencana tindak lanjut."),
        ("queue", "3 respons masih menunggu di antrean kios unit ini"),
    ],
)
def test_a_unit_in_use_is_not_deleted(app, office, client, make_user, kind, reason) -> None:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kelurahan Dipakai", "kelurahan", session.get(Unit, office.b))
        add_layanan(session, unit, ["Surat Domisili"])
        session.commit()
        unit_id = unit.id
        _blocker(kind, session, unit, make_user)
    before, first_entry = paths(app), last_id(app)

    edit = client.get(f"/admin/unit/{unit_id}").get_data(as_text=True)
    assert "Kelurahan Dipakai tidak dapat dihapus:" in edit and reason in edit
    assert "Hapus unit…" not in edit
    page = client.get(f"/admin/unit/{unit_id}/hapus").get_data(as_text=True)
    assert reason in page and "Ya, hapus" not in page
    refused = post_form(client, f"/admin/unit/{unit_id}/hapus")
    assert refused.status_code == 200
    assert "Unit tidak dihapus." in refused.get_data(as_text=True)
    assert reason in refused.get_data(as_text=True)

    assert paths(app) == before
    with app.app_context():
        session = database.session()
        assert session.scalar(sa.select(Layanan.name).where(Layanan.unit_id == unit_id)) == (
            "Surat Domisili"
        )
        responses = session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.unit_id == unit_id)
        )
        assert responses == (1234 if kind == "responses" else 0)
    assert logged(app, after=first_entry) == []


def test_a_response_arriving_during_the_delete_stops_it(app, office, client, monkeypatch) -> None:
    """The checks passed, then the database refuses (RESTRICT): a message, no traceback."""
    from skm.admin import unit_changes

    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kelurahan Sibuk", "kelurahan", session.get(Unit, office.b))
        session.commit()
        unit_id = unit.id
        answer_all(session, unit_id, 3, "web")
    real_usage = unit_changes.unit_usage

    def usage_before_the_response(session, unit):
        counted = real_usage(session, unit)
        return unit_changes.UnitUsage(**{**counted.__dict__, "responses": 0})

    monkeypatch.setattr(unit_changes, "unit_usage", usage_before_the_response)
    first_entry = last_id(app)
    response = post_form(client, f"/admin/unit/{unit_id}/hapus")
    assert response.status_code == 200
    assert "Kelurahan Sibuk baru saja dipakai" in response.get_data(as_text=True)
    with app.app_context():
        session = database.session()
        assert session.get(Unit, unit_id) is not None
        assert (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.id > first_entry)
            )
            == 0
        )
