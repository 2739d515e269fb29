"""The register from Excel (R-GATE-6, issue 18 item 5): the export's own columns read back — an exported
register imported again changes nothing; new rows become drafts; a bad cell or a row the importer may not
register (a power not in their charge) refuses the whole file, naming the row, and writes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import PASSWORD
from zhiheng.riskregister.models import RiskPoint

pytestmark = pytest.mark.django_db


def _as(client, person):
    assert client.login(username=person.username, password=PASSWORD)
    return client


def _exported(client, code: str) -> list[list]:
    response = client.get(f"/riskregister/units/{code}/export.xlsx")
    assert response.status_code == 200
    return [
        list(r) for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    ]


def _upload(client, code: str, rows: list[list]):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "register.xlsx"
    return client.post(f"/riskregister/units/{code}/import/", {"file": data})


def test_an_exported_register_imported_again_changes_nothing_and_new_rows_become_drafts(rw, client):
    c = _as(client, rw.inspector)
    rows = _exported(c, rw.unit.code)
    before = (RiskPoint.objects.count(), Entry.objects.count())
    again = _upload(c, rw.unit.code, rows)
    assert again.status_code == 200 and (RiskPoint.objects.count(), Entry.objects.count()) == before
    new = list(rows[1])
    new[2] = "公务接待超标准、超范围列支"
    new[3] = "制度机制"  # the type by its name, as the export writes it
    response = _upload(c, rw.unit.code, [rows[0], new])
    assert response.status_code == 200, response.content.decode()[:500]
    point = RiskPoint.objects.get(description="公务接待超标准、超范围列支")
    assert (point.status, point.type, point.power, point.owner) == (
        "draft",
        "institutions",
        rw.point.power,
        rw.point.owner,
    )
    assert point.grade == rw.point.grade  # computed from the factors, never read from the file


def test_a_bad_row_refuses_the_whole_file(rw, client):
    c = _as(client, rw.inspector)
    rows = _exported(c, rw.unit.code)
    good, bad = list(rows[1]), list(rows[1])
    good[2], bad[2] = "新风险点甲", "新风险点乙"
    bad[0], bad[4] = "no-such-power", "很高"
    before = RiskPoint.objects.count()
    response = _upload(c, rw.unit.code, [rows[0], good, bad])
    page = response.content.decode()
    assert response.status_code == 422 and "本单位没有此职权" in page and "权力重要程度" in page
    assert RiskPoint.objects.count() == before


def test_a_deputy_imports_only_the_powers_in_their_charge(rw, client):
    """The finance deputy may register finance points; a procurement row in the same file is refused by
    R-GATE-6 and nothing of the file is written."""
    c = _as(client, rw.deputy)
    rows = _exported(c, rw.unit.code)
    own, other = list(rows[1]), list(rows[1])
    own[2], other[2] = "财务新风险点", "采购新风险点"
    other[0] = "procurement"
    response = _upload(c, rw.unit.code, [rows[0], own, other])
    assert response.status_code == 422 and "R-GATE-6" in response.content.decode()
    assert not RiskPoint.objects.filter(description__in=["财务新风险点", "采购新风险点"]).exists()
    assert _upload(c, rw.unit.code, [rows[0], own]).status_code == 200
    assert RiskPoint.objects.filter(description="财务新风险点", status="draft").exists()
    assert _upload(_as(client, rw.staff), rw.unit.code, [rows[0], own]).status_code == 403
