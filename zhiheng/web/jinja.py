"""The Jinja2 environment, for the few templates rendered thousands of times a run (issue 14's monthly
report body: 3,000 a month within a second, where Django's engine spends ~3 µs on each of ~600 lookups).

Jinja2 compiles a template to Python, so a lookup costs a subscript and an escape. Pages stay Django
templates and include such a body as rendered HTML. Translations are Django's own catalogue: `_()` is
`gettext`, written as `{{ _("…") }}` or `{{ _("… %(n)s …")|format(n=…) }}` so that makemessages finds the
msgids as it does in Django templates, and the msgids are those the Django templates used.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils.html import escapejs
from django.utils.translation import gettext
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals.update(_=gettext, static=static)
    env.filters["escapejs"] = escapejs
    return env
