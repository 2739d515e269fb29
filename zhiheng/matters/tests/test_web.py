"""Pages: buttons come from the same predicates as the services; actions go through the services."""

import pytest

from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import small_matter
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db


def test_principal_sees_veto_but_no_approve(mw, client):
    m = small_matter(mw)
    client.force_login(mw.principal)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert 'data-testid="veto"' in page and 'data-testid="approve"' not in page
    r = client.post(f"/matters/{m.pk}/approve/", {"comment": "我签"})
    assert r.status_code == 403 and "R-MAT-2" in r.content.decode()
    assert (
        Matter.objects.get(pk=m.pk).state == "submitted" and Warning.objects.filter(rule="RF1").count() == 1
    )
    r = client.post(f"/matters/{m.pk}/veto/", {"reason": "价格偏高"})
    assert r.status_code == 302 and Matter.objects.get(pk=m.pk).state == "vetoed"


def test_deputy_inbox_and_approve(mw, client):
    m = small_matter(mw)
    client.force_login(mw.deputy)
    assert m.title in client.get("/matters/inbox/").content.decode()
    assert 'data-testid="approve"' in client.get(f"/matters/{m.pk}/").content.decode()
    assert client.post(f"/matters/{m.pk}/approve/", {"comment": "同意"}).status_code == 302
    assert Matter.objects.get(pk=m.pk).state == "approved"


def test_staff_submits_through_the_form(mw, client):
    client.force_login(mw.staff)
    r = client.post(
        "/matters/units/t-unit/new/",
        {
            "title": "采购硒鼓",
            "power": "procurement",
            "amount": "3000.00",
            "budget_line": "office",
            "counterparty": "某文具店",
        },
    )
    assert r.status_code == 302
    m = Matter.objects.get(title="采购硒鼓")
    assert m.deputy == mw.deputy2
    r = client.post("/matters/units/t-unit/new/", {"title": "x", "power": "finance", "amount": "1.234"})
    assert r.status_code == 422
    assert client.get("/matters/units/t-unit/").status_code == 200
    assert "办公经费" in client.get("/matters/units/t-unit/budget/").content.decode()


def test_other_staff_cannot_open_the_matter_and_warnings_page(mw, client):
    m = small_matter(mw)
    client.force_login(mw.staff2)
    assert client.get(f"/matters/{m.pk}/").status_code == 404
    client.force_login(mw.principal)
    services_approve_refused = client.post(f"/matters/{m.pk}/approve/")
    assert services_approve_refused.status_code == 403
    assert "RF1" not in client.get("/warnings/").content.decode().split("<tbody>")[1]
    client.force_login(mw.inspector)
    page = client.get("/warnings/").content.decode()
    assert "RF1" in page
    w = Warning.objects.get()
    assert (
        client.post(f"/warnings/{w.pk}/resolve/", {"status": "explained", "note": "已提醒"}).status_code
        == 302
    )
    assert Warning.objects.get().status == "explained"


def test_bad_input_keeps_what_was_typed_in_the_form(mw, client):
    """Nothing lost on bad input: the refusal is shown above the form, which keeps every field."""
    client.force_login(mw.staff)
    response = client.post(
        f"/matters/units/{mw.unit.code}/new/",
        {
            "title": "打印机采购",
            "power": "finance",
            "amount": "12,3.4.5",
            "counterparty": "某公司",
            "major": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'value="打印机采购"' in page and 'value="某公司"' in page and 'value="12,3.4.5"' in page
    assert 'data-rule="validation"' in page
    assert 'name="major" value="1" checked' in page  # the 三重一大 flag is not silently dropped
