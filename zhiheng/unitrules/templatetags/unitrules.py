"""The template hook through which a matter's page shows the unit rules its power falls under (R-PIL-2):
matters sits below unit rules in the layers, so it never imports them; its template includes
"unitrules/matter_rules.html", which asks this tag (as org's unit page includes the other apps' links)."""

from __future__ import annotations

from typing import Any

from django import template

from zhiheng.powers.models import Power

from .. import selectors
from ..models import Rule

register = template.Library()


@register.simple_tag(takes_context=True)
def rules_of_power(context: dict[str, Any], power: Power) -> list[Rule]:
    """The unit's rules in force over the power, as the request's person may see them."""
    request = context.get("request")
    if request is None:
        return []
    return selectors.in_force_for_power(power, request.user)
