"""The warnings page: its filters offer choices with Chinese names, and its short columns never wrap."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from zhiheng.risk.redflags import RULES
from zhiheng.web.labels import label

pytestmark = pytest.mark.django_db


def test_rule_filter_is_a_select_of_the_registered_red_flag_rules(mw, client):
    client.force_login(mw.inspector)
    page = client.get("/warnings/?rule=RF1").content.decode()
    assert not re.search(r'<input[^>]*name="rule"', page)
    select = re.search(r'<select name="rule"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
    assert [code for code, _s, _t in options] == ["", *RULES]
    assert ("RF1", " selected", f"RF1 {label('risk.rule', 'RF1')}") in options
    assert label("risk.rule", "RF1") != "RF1"


def test_level_and_status_columns_do_not_wrap(mw, client):
    client.force_login(mw.inspector)
    page = client.get("/warnings/").content.decode()
    head = page.split('data-testid="warnings"')[1].split("</thead>")[0]
    assert '<th class="nowrap">级别</th>' in head and '<th class="nowrap">状态</th>' in head
    css = Path(finders.find("web/zhiheng.css")).read_text(encoding="utf-8")
    assert re.search(r"\.nowrap\s*\{[^}]*white-space:\s*nowrap", css)
