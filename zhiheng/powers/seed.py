"""The categories of R-DIV-2 and the two templates of R-DIV-3 as data, seeded idempotently.

Used by the data migration 0003 (with historical models) and by `ensure_seeded()` at runtime: a
transactional test or `manage.py flush` empties the tables, and the demo builder and test fixtures
put the base rows back without duplicating them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CATEGORIES = [
    # code, name, is_common, sort
    ("finance", "财务", True, 10),
    ("personnel", "人事", True, 20),
    ("procurement", "采购", True, 30),
    ("construction", "工程建设", False, 40),
    ("admin_approval", "行政审批", False, 50),
    ("admin_enforcement", "行政执法", False, 60),
    ("project_approval", "项目审批", False, 70),
    ("general", "综合事务", False, 90),
]

TEMPLATES = [
    # code, name, description, restricted, x_choice
    (
        "jiangbei-3x",
        "3+X",
        "财务、人事、采购三项共性权力一把手不直接分管，另由各单位自选 X 项（如工程建设、项目审批、行政执法）。",
        ["finance", "personnel", "procurement"],
        True,
    ),
    (
        "nanchuan-5",
        "五不直接分管",
        "一把手不直接分管财务、人事、工程建设项目、行政审批、行政执法。",
        ["finance", "personnel", "construction", "admin_approval", "admin_enforcement"],
        False,
    ),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None = None) -> None:
    Category = apps.get_model("powers", "Category")
    PolicyTemplate = apps.get_model("powers", "PolicyTemplate")
    by_code: dict[str, Any] = {}  # historical Category rows in the migration
    for code, name, is_common, sort in CATEGORIES:
        by_code[code], _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "is_common": is_common, "sort": sort}
        )
    for code, name, description, restricted, x_choice in TEMPLATES:
        template, created = PolicyTemplate.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "description": description,
                "x_choice": x_choice,
                "effective_from": dt.date(2012, 1, 1),
            },
        )
        if created:
            template.restricted.set([by_code[c] for c in restricted])


def ensure_seeded() -> None:
    from django.apps import apps

    seed(apps)
