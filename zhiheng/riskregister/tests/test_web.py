"""The pages through HTTP: the register with its A–D counts, a point's page with its incidents, the forms;
buttons appear exactly when the rules say so; a refusal shows its rule."""

from __future__ import annotations

import pytest

from zhiheng.core import clock
from zhiheng.matters import services as matters
from zhiheng.org.tests.factories import PASSWORD
from zhiheng.risk import services as risk
from zhiheng.riskregister import services
from zhiheng.riskregister.models import RiskPoint

pytestmark = pytest.mark.django_db


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def test_the_register_shows_points_by_power_with_the_counts(rw, client):
    page = _as(client, rw.deputy).get("/riskregister/units/t-unit/").content.decode()
    assert "虚报冒领" in page and 'data-testid="grade-counts"' in page
    assert 'data-testid="propose"' in page
    page = _as(client, rw.principal).get("/riskregister/units/t-unit/").content.decode()
    assert 'data-testid="propose"' not in page


def test_staff_see_the_published_register_only_and_outsiders_404(rw, client):
    assert "虚报冒领" not in _as(client, rw.staff).get("/riskregister/units/t-unit/").content.decode()
    services.publish_point(by=rw.principal, point=rw.point)
    assert "虚报冒领" in _as(client, rw.staff).get("/riskregister/units/t-unit/").content.decode()
    assert _as(client, rw.outsider).get("/riskregister/units/t-unit/").status_code == 404
    assert _as(client, rw.outsider).get(f"/riskregister/points/{rw.point.pk}/").status_code == 404


def test_the_deputy_proposes_through_the_form(rw, client):
    response = _as(client, rw.deputy).post(
        "/riskregister/units/t-unit/new/",
        {
            "power": "finance",
            "description": "报销凭证审核不严",
            "type": "duties",
            "importance": "3",
            "discretion": "3",
            "probability": "3",
            "harm": "3",
            "measures": "财务人员交叉审核",
            "owner": rw.deputy.username,
        },
    )
    assert response.status_code == 302
    point = RiskPoint.objects.get(description="报销凭证审核不严")
    assert point.grade == "C"


def test_a_form_with_bad_input_is_shown_again_with_its_errors(rw, client):
    response = _as(client, rw.deputy).post("/riskregister/units/t-unit/new/", {"power": "finance"})
    assert response.status_code == 422
    assert "point-form" in response.content.decode()


def test_the_point_page_shows_a_warning_on_its_power_to_the_inspector_only(rw, client):
    point = services.publish_point(by=rw.principal, point=rw.point)
    matter = matters.submit(
        by=rw.staff, unit=rw.unit, power=rw.power["finance"], title="办公用品", amount="100.00"
    )
    with clock.frozen(clock.at(rw.day, 15)):
        risk.raise_warning(
            rule="RF9",
            level="medium",
            unit=rw.unit,
            subject=matter.subject,
            explanation="金额贴近限额",
            records=[],
        )
    page = _as(client, rw.inspector).get(f"/riskregister/points/{point.pk}/").content.decode()
    assert "RF9" in page and 'data-testid="needs-review"' in page
    page = _as(client, rw.principal).get(f"/riskregister/points/{point.pk}/").content.decode()
    assert "RF9" not in page


def test_buttons_follow_the_rules_and_a_refusal_shows_the_rule(rw, client):
    page = _as(client, rw.principal).get(f"/riskregister/points/{rw.point.pk}/").content.decode()
    assert 'data-testid="publish"' in page and 'data-testid="edit"' not in page
    response = _as(client, rw.principal).post(
        f"/riskregister/points/{rw.point.pk}/retire/", {"reason": "不需要"}
    )
    assert response.status_code == 403
    assert "R-GATE-6" in response.content.decode()
    response = _as(client, rw.inspector).post(f"/riskregister/points/{rw.point.pk}/publish/")
    assert response.status_code == 302
    assert RiskPoint.objects.get(pk=rw.point.pk).status == "published"


def test_the_reviews_due_list(rw, client):
    import datetime as dt

    RiskPoint.objects.filter(pk=rw.point.pk).update(review_due=rw.day - dt.timedelta(days=3))
    page = _as(client, rw.admin).get("/riskregister/reviews/").content.decode()
    assert "虚报冒领" in page
    assert "虚报冒领" not in _as(client, rw.outsider).get("/riskregister/reviews/").content.decode()


def test_the_register_exports_to_excel_as_the_person_sees_it(rw, client):
    import io

    from openpyxl import load_workbook

    response = _as(client, rw.deputy).get("/riskregister/units/t-unit/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("虚报冒领、套取财政资金" in row for row in values)
    assert _as(client, rw.outsider).get("/riskregister/units/t-unit/export.xlsx").status_code == 404
