"""Ask the page's navigation before showing a link (issue 13: a link shown must be usable).

`nav` is the context processor's answer (zhiheng.workbench.context.Navigation, None when signed out); the web
layer knows no app, so these filters only hand the question over:

    {% load navigation %}
    {% if nav|opens_unit:unit %}<a href="{% url 'org:unit' unit.code %}">…{% endif %}
    {% if nav|member_of:unit %}<a href="{% url 'matters:submit' unit.code %}">…{% endif %}
    {% if nav|reads_ledger_of:matter.unit %}<a href="{% url 'ledger:entry' e.ledger_index %}">…{% endif %}
    {% with d=nav|administered:unit.district_id %}{% if d %}<a href="{% url 'org:district' d.code %}">…{% endif %}{% endwith %}
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def opens_unit(nav: Any, unit: Any) -> bool:
    return bool(nav and unit is not None and nav.opens_unit(unit))


@register.filter
def member_of(nav: Any, unit: Any) -> bool:
    return bool(nav and unit is not None and nav.member_of(unit))


@register.filter
def reads_ledger_of(nav: Any, scope: Any) -> bool:
    return bool(nav and nav.reads_ledger_of(scope))


@register.filter
def administered(nav: Any, district: Any) -> Any:
    """The district (given it or its id) if the viewer administers its commission, else None — read from the
    navigation's own facts, so a unit's page needs no query for its district's name."""
    if not nav or district is None:
        return None
    return nav.administered_district(getattr(district, "pk", district))
