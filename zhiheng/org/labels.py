"""The org app's codes in Chinese (zhiheng.web.labels): unit kinds, team roles, district roles, and units
and districts named by their code (`unit:jb-fgj`, `district:jiangbei`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import District, DistrictRoleKind, Role, Unit, UnitKind

labels.register_each("org", unit_kind=UnitKind, role=Role, district_role=DistrictRoleKind)
labels.register_subject("unit", labels.by_field(Unit.objects, "code"))
labels.register_subject("district", labels.by_field(District.objects, "code"))
labels.register_fields(
    {
        "unit": (_("单位"), "@unit"),
        "district": (_("区"), "@district"),
        "role": (_("角色"), "org.role,org.district_role"),
        "kind": (_("类型"), "org.unit_kind"),
        "name": _("名称"),
        "title": _("标题"),
        "org.term_started/title": _("职务"),
        "org.term_ended/title": _("职务"),
        "org.principal_changed/title": _("职务"),
        "start": _("起始日期"),
        "end": _("结束日期"),
        "from": _("自"),
        "team": (_("班子成员"), "@person"),
        "before": _("变更前"),
        "after": _("变更后"),
        "changed": _("变更项"),
    }
)
