"""The matter-rules page offers choices, not typed codes (issue 13): 三重一大 powers by their names, the
legal officer among the unit's staff; the posted values stay the codes and the username the service reads."""

from __future__ import annotations

import re

from zhiheng.matters import selectors
from zhiheng.matters.parameters import NAMESPACE
from zhiheng.parameters import effective


def _options(page: str, name: str) -> dict[str, str]:
    """value → visible text of the checkboxes or options named `name`."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*> ([^<]+)</label>', page)
    select = re.search(rf'<select id="f-{name}" name="{name}">(.*?)</select>', page, re.S)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) if select else []
    return {value: text.strip() for value, text in [*boxes, *options]}


def test_the_rules_form_names_powers_and_people_not_codes(mw, client):
    client.force_login(mw.admin)
    page = client.get("/matters/units/t-unit/rules/").content.decode()
    powers = _options(page, "major_powers")
    assert powers["finance"] == mw.power["finance"].name
    assert all(code not in text for code, text in powers.items())
    kinds = _options(page, "major_kinds")
    assert kinds["expenditure"] == "财务支出" and kinds["purchase"] == "物资采购"
    officers = _options(page, "legal_officer")
    # Staff only: the principal, deputies and inspector may not be the legal officer (R-MAT-7).
    assert officers == {
        "": "（沿用区默认 / 未指定）",
        "t-staff": "刘经办",
        "t-staff2": "周经办",
        "t-legal": "法制员",
    }


def test_the_chosen_values_post_as_the_codes_the_service_reads(mw, client):
    client.force_login(mw.admin)
    r = client.post(
        "/matters/units/t-unit/rules/",
        {
            "shown-major_powers": "1",
            "major_powers": ["finance", "construction"],
            "shown-major_kinds": "1",
            "major_kinds": ["expenditure", "purchase"],
            "legal_officer": "t-legal",
        },
    )
    assert r.status_code == 302
    own = effective(NAMESPACE, mw.unit, district=mw.district).own
    assert own["major_powers"] == ["finance", "construction"]
    assert own["major_kinds"] == ["expenditure", "purchase"]
    assert selectors.rules_for(mw.unit).legal_officer_id == mw.legal.pk
    page = client.get("/matters/units/t-unit/rules/").content.decode()
    assert '<option value="t-legal" selected>法制员</option>' in page
    # The table of rules in force names the powers, as the unit's matters page does.
    table = page.split('data-testid="matter-rules"')[1].split("</table>")[0]
    assert mw.power["finance"].name in table and "finance" not in re.sub(r'data-field="[^"]*"', "", table)
    matters_page = client.get("/matters/units/t-unit/").content.decode()
    assert mw.power["construction"].name in matters_page
