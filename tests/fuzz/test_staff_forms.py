"""Fuzzing the staff forms: every field of each form typed with anything.

A form that is not accepted (anything but a redirect) changes no row, and
nothing answers a server error.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skm.models.reports import NARRATIVE_FIELDS
from tests.fuzz.conftest import examples
from tests.fuzz.helpers import dump, text
from tests.kiosk.conftest import place  # noqa: F401 (fixture)
from tests.support.auth import login

#: Staff forms by URL (``{slug}``, ``{unit_id}`` filled in) and their fields.
FORMS = {
    "/staf/unit/{slug}/populasi": ["periode", "population", "note"],
    "/staf/unit/{slug}/rencana/baru": ["unsur", "program", "triwulan", "penanggung_jawab"],
    "/staf/iku/{slug}/indikator/baru": [
        "code", "sasaran", "name", "satuan", "method", "polarity", "target_2025", "target_2026",
        "numerator_label", "denominator_label", "sumber_data",
    ],
    "/staf/iku/{slug}/predikat": ["minimum_0", "label_0", "minimum_1", "label_1", "minimum_2"],
    "/staf/laporan/{slug}/narasi": ["include_saran", "report_date", *NARRATIVE_FIELDS],
    "/staf/laporan/{slug}/penandatangan": ["jabatan", "nama", "pangkat", "nip", "tempat"],
    "/admin/unit/baru": ["parent", "name", "kind", "address"],
    "/admin/unit/{unit_id}/layanan": ["name", "active"],
    "/admin/pengguna/baru": ["full_name", "role", "unit", "active", "username", "password",
                             "confirm"],
    "/admin/token": ["name", "unit"],
    "/akun/kata-sandi": ["current", "new", "confirm"],
}  # fmt: skip

#: Values that look right for some fields, so that validation goes past the first check.
LIKELY = ["2025-T1", "1.250", "12", "persyaratan", "1", "value", "higher", "kelurahan",
          "operator", "y", "2025-03-01", "83,5", "Kasi Pelayanan"]  # fmt: skip
likely = st.sampled_from(LIKELY)


@settings(max_examples=examples(2.5))
@given(path=st.sampled_from(sorted(FORMS)), data=st.data())
def test_staff_forms_never_fail_and_refusals_change_nothing(relaxed, client, place, path, data):  # noqa: F811
    login(client, place.admin)
    fields = FORMS[path]
    form = {name: data.draw(st.one_of(text, likely), label=name) for name in fields}
    url = path.format(slug=place.unit.slug, unit_id=place.unit.id)
    before = dump(relaxed)
    answer = client.post(url, data=form)
    assert answer.status_code < 500, (url, form)
    # A new API token is shown once on the page itself (200), not after a redirect.
    shows_new_token = path == "/admin/token" and "token-once" in answer.get_data(as_text=True)
    if answer.status_code not in (302, 303) and not shows_new_token:
        assert dump(relaxed) == before, (url, form, answer.status_code)


def test_a_layanan_name_differing_only_in_non_ascii_case_is_refused(relaxed, client, place):  # noqa: F811
    """Found by the long fuzz run: SQLite's lower() leaves "Å" alone, so the
    duplicate check passed and the unique index answered with a server error."""
    login(client, place.admin)
    url = f"/admin/unit/{place.unit.id}/layanan"
    assert client.post(url, data={"name": "Surat Ålih"}).status_code == 302
    before = dump(relaxed)
    again = client.post(url, data={"name": "Surat Ålih"}, follow_redirects=True)
    assert "sudah ada" in again.get_data(as_text=True)
    other_case = client.post(url, data={"name": "surat ålih"}, follow_redirects=True)
    assert "sudah ada" in other_case.get_data(as_text=True)
    assert dump(relaxed) == before
