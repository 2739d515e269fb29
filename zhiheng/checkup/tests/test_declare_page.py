"""The declaration form on the pages (R-GATE-2, issue 16): the person files their own declaration and it is
stored structured as the API would store it; a second filing of the year is version 2; nobody else files
(their commission 403, everyone else 404, nothing written); bad input comes back as typed with its error in
place (422); 无 declares an item empty; starting from an earlier declaration is one logged read."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from zhiheng.checkup import sealing, services
from zhiheng.checkup.checks import ITEMS
from zhiheng.checkup.models import Declaration
from zhiheng.checkup.web.declaration_form import ROW_FIELDS
from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import PASSWORD

from .test_checks import clean_items

YEAR = clock.today().year
READ = "checkup.declaration_read"


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def _url(world) -> str:
    return f"/checkup/people/{world.deputy.username}/declare/"


def _form(**over) -> dict[str, str]:
    """What the person types: a home, a salary, marriage, and 无 for the businesses."""
    data = {
        "year": str(YEAR),
        "marriage": "已婚",
        "salary": "186,000",
        "real_estate-0-owner": "本人",
        "real_estate-0-address": "城区滨江路18号",
        "real_estate-0-area": "96",
        "real_estate-0-value": "860,000.5",
        "real_estate-1-owner": "",  # a blank row the page offered
        "real_estate-1-address": " ",
        "businesses-none": "on",
        "family_employment-3-relation": "儿子",
        "family_employment-3-name": "李小明",
        "family_employment-3-employer": "某中学",
    }
    data.update(over)
    return data


def _stored(declaration: Declaration) -> dict:
    return sealing.unseal(declaration.sealed_items)


def test_the_persons_page_leads_to_the_form_for_them_only(client, world):
    button = f'href="{_url(world)}" data-testid="declare"'
    assert (
        button in _as(client, world.deputy).get(f"/checkup/people/{world.deputy.username}/").content.decode()
    )
    assert (
        button
        not in _as(client, world.admin).get(f"/checkup/people/{world.deputy.username}/").content.decode()
    )


def test_the_form_shows_the_fourteen_items_in_order_with_the_year(client, world):
    page = _as(client, world.deputy).get(_url(world))
    assert page.status_code == 200
    text = page.content.decode()
    positions = [text.index(label) for label in ITEMS.values()]
    assert positions == sorted(positions)
    assert f'name="year" id="id_year" size="6" value="{YEAR}"' in text
    assert "增加一行" in text and "申报不完整" in text  # the completeness note above the submit button
    assert 'name="real_estate-1-value"' in text and 'name="real_estate-2-value"' not in text  # two blank rows
    assert "以上年度申报为底稿" not in text  # nothing filed yet, nothing to start from


def test_the_person_files_and_the_declaration_is_stored_structured(client, world):
    c = _as(client, world.deputy)
    response = c.post(_url(world), _form())
    assert response.status_code == 302 and response["Location"] == f"/checkup/people/{world.deputy.username}/"
    declaration = Declaration.objects.get()
    assert (declaration.person, declaration.year, declaration.version) == (world.deputy, YEAR, 1)
    assert _stored(declaration) == {
        "marriage": {"status": "已婚"},
        "salary": "186000.00",
        "real_estate": [{"owner": "本人", "address": "城区滨江路18号", "area": "96", "value": "860000.50"}],
        "businesses": [],
        "family_employment": [{"relation": "儿子", "name": "李小明", "employer": "某中学"}],
    }
    # read back through the service the pages use, as the person would open it
    assert (
        services.read_declaration(by=world.deputy, declaration=declaration)["items"]["salary"] == "186000.00"
    )
    assert declaration.check_codes == ["completeness"]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"已提交 {YEAR} 年度廉情申报（第 1 版）。风险分 20，自动核查发现：申报不完整。"


def test_a_second_filing_of_the_year_is_version_two_and_a_complete_one_is_clean(client, world):
    c = _as(client, world.deputy)
    c.post(_url(world), _form())
    nones = {f"{key}-none": "on" for key in ROW_FIELDS if key not in {"real_estate", "family_employment"}}
    response = c.post(_url(world), _form(**nones))
    first, second = Declaration.objects.order_by("version")
    assert (first.version, second.version, second.year) == (1, 2, YEAR)
    assert second.check_codes == [] and second.risk_score == 0
    assert set(_stored(second)) == set(ITEMS)
    *_, message = [str(m) for m in get_messages(response.wsgi_request)]  # the first filing's is unread
    assert message.endswith("第 2 版）。风险分 0，自动核查未发现问题。")


def test_none_declares_the_item_empty_and_cannot_be_ticked_over_filled_rows(client, world):
    c = _as(client, world.deputy)
    refused = c.post(_url(world), _form(**{"real_estate-none": "on"}))
    assert refused.status_code == 422
    assert "已勾选“无”，却又填写了内容" in refused.content.decode()
    assert not Declaration.objects.exists()
    c.post(_url(world), _form(**{"investments-none": "on"}))
    stored = _stored(Declaration.objects.get())
    assert stored["investments"] == [] and stored["businesses"] == []
    assert "overseas_assets" not in stored  # neither filled nor ticked: left out


def test_bad_input_comes_back_as_typed_with_the_error_in_place(client, world):
    c = _as(client, world.deputy)
    response = c.post(
        _url(world),
        _form(
            year="1999",
            salary="很多",
            **{
                "businesses-0-name": "某公司",  # with 无 ticked (_form): said even though the year is wrong
                "real_estate-0-area": "0",
                "labour_income-7-source": "某杂志社",
                "labour_income-7-amount": "-5",
            },
        ),
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert not Declaration.objects.exists()
    assert 'data-testid="declare-errors"' in text and "有 5 处需要更正" in text
    for wrong in ("#id_year", "#item-salary", "#item-real_estate", "#item-labour_income", "#item-businesses"):
        assert f'href="{wrong}"' in text, wrong  # the summary links to each item to correct
    assert f"申报年度须为 2000–{YEAR}" in text and 'value="1999"' in text
    # what was typed, every row where it was, each error right after its field
    for typed in (
        'value="很多"',
        'value="城区滨江路18号"',
        'value="860,000.5"',
        'value="某杂志社"',
        'value="李小明"',
    ):
        assert typed in text, typed
    salary = text.index('name="salary"')
    assert text.index("errorlist", salary) < text.index("</fieldset>", salary)
    area = text.index('name="real_estate-0-area"')
    assert text.index("errorlist", area) < text.index("</td>", area)
    assert 'name="labour_income-7-amount"' in text and 'aria-invalid="true"' in text
    assert 'name="businesses-none" id="id_businesses-none" checked' in text
    assert "已勾选“无”，却又填写了内容" in text


def test_a_row_is_added_by_htmx_or_by_posting_the_form(client, world):
    c = _as(client, world.deputy)
    fragment = c.get(_url(world), {"add": "passports", "n": "4"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<h1>" not in text
    assert 'name="passports-4-number"' in text and "add=passports&amp;n=5" in text
    page = c.post(_url(world), _form(add="real_estate"))
    assert page.status_code == 200 and not Declaration.objects.exists()
    assert 'name="real_estate-2-address"' in page.content.decode()  # after rows 0 and 1
    assert 'value="城区滨江路18号"' in page.content.decode()


@pytest.mark.parametrize("persona", ["admin", "principal", "staff", "other_admin", "outsider"])
def test_nobody_else_opens_or_files_the_persons_declaration(client, world, persona):
    services.file_declaration(by=world.deputy, person=world.deputy, year=YEAR - 1, items=clean_items())
    base = Declaration.objects.get()
    entries = Entry.objects.count()
    c = _as(client, getattr(world, persona))
    wanted = 403 if persona == "admin" else 404  # the commission sees the check-up; no one else does
    assert c.get(_url(world)).status_code == wanted
    assert c.get(_url(world), {"base": base.pk}).status_code == wanted
    posted = c.post(_url(world), _form())
    assert posted.status_code == wanted
    if persona == "admin":
        assert "R-GATE-2" in posted.content.decode()
    assert Declaration.objects.count() == 1 and Entry.objects.count() == entries


def test_starting_from_last_years_declaration_is_one_logged_read(client, world):
    services.file_declaration(
        by=world.deputy,
        person=world.deputy,
        year=YEAR - 1,
        items=clean_items(businesses=[{"owner": "配偶", "name": "重庆某文具有限公司", "role": "股东"}]),
    )
    last = Declaration.objects.get()
    c = _as(client, world.deputy)
    offered = c.get(_url(world)).content.decode()
    assert "以上年度申报为底稿" in offered and f"base={last.pk}" in offered
    assert "城南路1号" not in offered and not Entry.objects.filter(event_type=READ).exists()
    started = c.get(_url(world), {"year": YEAR, "base": last.pk})
    text = started.content.decode()
    assert started.status_code == 200
    assert Entry.objects.filter(event_type=READ).count() == 1
    assert 'value="城南路1号"' in text and 'value="重庆某文具有限公司"' in text and 'value="200000"' in text
    assert '<option value="已婚" selected>' in text
    assert 'name="family_abroad-none" id="id_family_abroad-none" checked' in text  # declared [] last year
    assert f'value="{YEAR}"' in text  # this year's declaration, from last year's
    c.post(_url(world), _form())  # filing writes no read
    assert Entry.objects.filter(event_type=READ).count() == 1
    # this year's is now offered as well (and for last year, last year's is "this year's", as the year
    # field asks htmx when it changes); a declaration of someone else is no draft (404, nothing read)
    assert "以本年度申报为底稿" in c.get(_url(world)).content.decode()
    earlier = c.get(_url(world), {"year": YEAR - 1}, headers={"HX-Request": "true"}).content.decode()
    assert f'base={last.pk}" data-testid="base-this-year"' in earlier
    services.file_declaration(by=world.deputy2, person=world.deputy2, year=YEAR, items=clean_items())
    theirs = Declaration.objects.get(person=world.deputy2)
    assert c.get(_url(world), {"base": theirs.pk}).status_code == 404
    assert c.get(_url(world), {"base": "x"}).status_code == 404
    assert Entry.objects.filter(event_type=READ).count() == 1
