"""Pages show people names and amounts, not codes and bare decimals (QA walk of the demo)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_budget_page_shows_no_code_column(mw, client):
    client.force_login(mw.staff)
    page = client.get(f"/matters/units/{mw.unit.code}/budget/").content.decode()
    table = page.split('data-testid="budget-lines"')[1].split("</table>")[0]
    assert "代码" not in table
    assert "办公经费" in table
    assert ">office<" not in table
    assert 'data-code="office"' in table


def test_submit_form_shows_budget_remaining_as_money(mw, client):
    client.force_login(mw.staff)
    page = client.get(f"/matters/units/{mw.unit.code}/new/").content.decode()
    options = re.findall(r'<option value="office"[^>]*>([^<]*)</option>', page)
    assert len(options) == 1
    assert re.fullmatch(r"办公经费（余额 ¥\d{1,3}(,\d{3})*\.\d\d）", options[0]), options[0]
