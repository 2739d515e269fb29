"""Pages show people names and amounts, not codes and bare decimals (QA walk of the demo)."""

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
