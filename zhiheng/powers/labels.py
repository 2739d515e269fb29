"""The powers app's codes in Chinese (zhiheng.web.labels): plan and catalogue-change statuses, power
categories and policy templates (rows of their own tables: read by code), powers and plans as the ledger
names them (`power:<unit>/<code>`, `plan:<unit>/v<n>`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import Category, PlanStatus, PolicyTemplate, Power, PowerChangeStatus


def _category(code: str) -> str | None:
    return Category.objects.filter(code=code).values_list("name", flat=True).first()


def _template(code: str) -> str | None:
    return (
        PolicyTemplate.objects.filter(code=code).order_by("-version").values_list("name", flat=True).first()
    )


def _plans(rests: list[str]) -> dict[str, str]:
    """ "<unit>/v<n>" → "<unit name> 分工方案 v<n>"."""
    units = labels.subjects(f"unit:{r.split('/', 1)[0]}" for r in rests)
    out = {}
    for rest in rests:
        unit, _sep, version = rest.partition("/")
        out[rest] = f"{units.get(f'unit:{unit}', unit)} {_('分工方案')} {version}"
    return out


labels.register_each(
    "powers",
    plan_status=PlanStatus,
    change_status=PowerChangeStatus,
    # A unit's plan on the district's filing board (R-DIV-5): selectors.BOARD_FILED / _LATE / _MISSING.
    filing={"filed": _("按时报送"), "late": _("逾期报送"), "missing": _("未报送")},
)
labels.register_formatter("powers.category", _category)
labels.register_formatter("powers.template", _template)
labels.register_subject("power", labels.by_unit_code(Power.objects), name=_("职权"))
labels.register_subject("plan", _plans)
labels.register_fields(
    {
        "power": (_("职权"), "@power/"),
        "category": (_("类别"), "powers.category"),
        "template": (_("政策模板"), "powers.template"),
        "x_categories": (_("自选 X 项类别"), "powers.category"),
        "restricted": (_("不直接分管"), "powers.category"),
        "categories": (_("类别"), "powers.category"),
        "pair": (_("不相容类别"), "powers.category"),
        "version": _("版本"),
        "in_force_from": _("生效日期"),
        "effective_from": _("生效日期"),
        "assignments": (_("分工"), "@power/,@person"),
        "deputy": (_("分管副职"), "@person"),
        "change": _("变更编号"),
        "deadline": _("报送期限"),
        "label": _("名称"),
        "opens_on": _("开始日期"),
        "due": _("截止日期"),
        "late": _("逾期"),
        "code": (_("代码"), "@power/,powers.category,powers.template"),
        "id": _("编号"),
        "legal_basis": _("法律依据"),
        "flowchart": _("运行流程"),
        "is_active": _("启用"),
        "created": _("新建"),
        "action": _("操作"),
        "rows": _("行数"),
    }
)
