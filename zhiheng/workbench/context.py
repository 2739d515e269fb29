"""The main navigation shown on every page, per person, from the same predicates the pages use (issue 13).

A link is shown only when the person may open it and it has something for them:
  - everyone: 工作台 (workbench:home);
  - a member of a unit's team today: 待我处理 (the matters inbox), and per unit its overview, matters,
    meetings and division of labour (org.selectors.list_units_for: the units get_unit_for opens);
  - a commission admin, per district administered (org.selectors.administered_districts): its units, the
    filing board (powers.rules.can_view_board), the policy configuration (powers.rules.can_manage_policy),
    the matter and meeting rules (parameters.selectors.get_district_for) — each of them is
    org.rules.is_commission_admin;
  - 试点工作 (pilots.selectors): a commission admin's district programmes; a unit's principal and inspector,
    the programmes of their unit;
  - 成效分析 (analytics.rules.readable_units): a commission admin's district, a unit's leadership team's unit;
  - an inspection-group member (meetings.selectors.inspected_districts): 列席督察, the open meetings;
  - 督察检查 (inspections.selectors.list_inspections_for): an inspection-group member, a commission admin,
    a unit's leadership team (the checks on their unit);
  - a supervisor — a unit inspector or a commission admin, whom risk.rules.visible_warnings answers for
    (R-GATE-7) and whom ledger.rules.visible_scope lets read entries: 预警 and 账本.

All of it comes from one query per page, whatever the page: the person's terms of office and district
roles today (`Navigation._posts`); tests/flows/test_link_walk.py checks for every persona of the demo that
these answers agree with the predicates above. Pages ask the same object before linking to a unit or a
ledger entry (`{% load navigation %}{% if nav|opens_unit:unit %}`, `{% if nav|reads_ledger_of:matter.unit %}`),
so no page shows a link that would refuse its viewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import BooleanField, QuerySet, Value
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import TEAM_ROLES, DistrictRoleKind, Role


@dataclass(frozen=True)
class Place:
    """A unit or a district as the navigation needs it: enough to link to it and to name it."""

    pk: int
    code: str
    name: str
    district_id: int


@dataclass(frozen=True)
class Post:
    """One of the person's posts today: a role in a unit (a term of office) or in a district."""

    role: str
    place: Place
    in_district: bool


@dataclass
class NavLink:
    label: Any  # a lazy translation or a name
    url: str
    testid: str = ""
    current: bool = False


@dataclass
class NavGroup:
    """A cluster of links under a heading (a district, a unit); a group without a label is loose links."""

    label: Any = ""
    links: list[NavLink] = field(default_factory=list)


def _post_rows(person: int, day: dt.date) -> QuerySet[Any]:
    """(in district, role, place pk, code, name, district pk) per term of office and district role."""
    who = Person(pk=person)
    terms = org_selectors.current_memberships_of(who, day).order_by()
    roles = org_selectors.district_roles_of(who, day).order_by()
    return terms.values_list(
        Value(False, output_field=BooleanField()),
        "role",
        "unit_id",
        "unit__code",
        "unit__name",
        "unit__district_id",
    ).union(
        roles.values_list(
            Value(True, output_field=BooleanField()),
            "role",
            "district_id",
            "district__code",
            "district__name",
            "district_id",
        ),
        all=True,
    )


# Read on every page: compiled once per process, run with the person and the day (issue 12); the rows
# are read afresh each time, so a term that ends or begins shows at the next request.
_POST_ROWS: CompiledQuery[Any] = CompiledQuery(_post_rows, person=int, day=dt.date)


class Navigation:
    """What one person may reach, read once per request and only when a template asks."""

    def __init__(self, person: Person, path: str = "/") -> None:
        self.person = person
        self.path = path

    @cached_property
    def _posts(self) -> list[Post]:
        """The person's terms of office and district roles today, in one query (a UNION of the two)."""
        rows = _POST_ROWS.rows(person=self.person.pk, day=clock.today())
        posts = [
            Post(role, Place(pk, code, name, district), bool(flag))
            for flag, role, pk, code, name, district in rows
        ]
        return sorted(posts, key=lambda post: (post.in_district, post.place.code, post.role))

    @cached_property
    def units(self) -> list[Place]:
        """The units of the person's terms of office today, once each."""
        seen: dict[int, Place] = {}
        for post in self._posts:
            if not post.in_district:
                seen.setdefault(post.place.pk, post.place)
        return list(seen.values())

    @cached_property
    def administered(self) -> list[Place]:
        return [p.place for p in self._posts if p.in_district and p.role == DistrictRoleKind.COMMISSION_ADMIN]

    @cached_property
    def admin_district_ids(self) -> frozenset[int]:
        return frozenset(d.pk for d in self.administered)

    def administered_district(self, district_id: int) -> Place | None:
        return next((d for d in self.administered if d.pk == district_id), None)

    @cached_property
    def member_unit_ids(self) -> frozenset[int]:
        return frozenset(u.pk for u in self.units)

    @cached_property
    def inspector_unit_ids(self) -> frozenset[int]:
        return frozenset(p.place.pk for p in self._posts if not p.in_district and p.role == Role.INSPECTOR)

    @cached_property
    def watch_unit_ids(self) -> frozenset[int]:
        """The units where the person is principal or inspector: they see the unit's pilot programmes."""
        watching = (Role.PRINCIPAL, Role.INSPECTOR)
        return frozenset(p.place.pk for p in self._posts if not p.in_district and p.role in watching)

    @cached_property
    def team_unit_ids(self) -> frozenset[int]:
        return frozenset(p.place.pk for p in self._posts if not p.in_district and p.role in TEAM_ROLES)

    @cached_property
    def inspects_meetings(self) -> bool:
        return any(p.in_district and p.role == DistrictRoleKind.INSPECTION for p in self._posts)

    @cached_property
    def inspected_districts(self) -> list[Place]:
        return [p.place for p in self._posts if p.in_district and p.role == DistrictRoleKind.INSPECTION]

    @property
    def sees_inspections(self) -> bool:
        """inspections.selectors.list_inspections_for: the district's inspection groups and commission, and
        the leadership team of a unit (the checks on it)."""
        return bool(self.inspects_meetings or self.admin_district_ids or self.team_unit_ids)

    @property
    def supervises(self) -> bool:
        return bool(self.inspector_unit_ids or self.admin_district_ids)

    def member_of(self, unit: Any) -> bool:
        """matters.rules.can_submit (R-MAT-1): a term of any role in the unit today."""
        return unit.pk in self.member_unit_ids

    def opens_unit(self, unit: Any) -> bool:
        """org.selectors.list_units_for: a unit of the person's team today, or of a district they administer."""
        return unit.pk in self.member_unit_ids or unit.district_id in self.admin_district_ids

    def reads_ledger_of(self, scope: Any) -> bool:
        """ledger.rules.visible_scope: may the person open the ledger entries of a unit, or of a row scoped
        by `unit_id` and `district_id` (a parameter version: the district's own when unit_id is empty)?"""
        if scope is None:
            return False
        unit_id = getattr(scope, "unit_id", scope.pk)
        if unit_id is None:
            return scope.district_id in self.admin_district_ids
        return scope.district_id in self.admin_district_ids or unit_id in self.inspector_unit_ids

    @cached_property
    def groups(self) -> list[NavGroup]:
        """The groups of the main navigation, in the order shown, the current page's link marked."""
        top = NavGroup(links=[NavLink(_("工作台"), reverse("workbench:home"), "nav-home")])
        groups = [top]
        if self.units:
            top.links.append(NavLink(_("待我处理"), reverse("matters:inbox"), "nav-inbox"))
        for district in self.administered:
            code = district.code
            links = [
                NavLink(_("单位"), reverse("org:district", args=[code]), f"nav-district-{code}"),
                NavLink(_("报送情况"), reverse("powers:board", args=[code]), f"nav-board-{code}"),
                NavLink(_("政策配置"), reverse("powers:district_config", args=[code])),
                NavLink(_("事项规则"), reverse("matters:district_rules", args=[code])),
                NavLink(_("议事规则"), reverse("meetings:district_rules", args=[code])),
                NavLink(_("成效分析"), _query("analytics:index", district=code), f"nav-analytics-{code}"),
                NavLink(_("月度财务明细"), reverse("supervision:district_month_latest", args=[code])),
                # pilots.rules.is_admin: the commission configures the district's pilots (R-PIL-1)
                NavLink(_("试点工作"), reverse("pilots:district", args=[code]), f"nav-pilots-{code}"),
                # tours.selectors.list_tours_for: the district's commission (and inspection group, below)
                NavLink(_("集中巡察"), reverse("tours:district", args=[code]), f"nav-tours-{code}"),
            ]
            groups.append(NavGroup(district.name, links))
        for unit in self.units:
            if unit.district_id in self.admin_district_ids:
                continue  # the district's group above reaches it
            code = unit.code
            links = [
                NavLink(_("概况"), reverse("org:unit", args=[code]), f"nav-unit-{code}"),
                NavLink(_("事项"), reverse("matters:unit", args=[code]), f"nav-matters-{code}"),
                NavLink(_("会议"), reverse("meetings:unit", args=[code]), f"nav-meetings-{code}"),
                NavLink(_("分工方案"), reverse("powers:plans", args=[code]), f"nav-plans-{code}"),
                # riskregister.rules.can_view_register: the published register is 公示 to everyone in the unit
                NavLink(
                    _("廉政风险点"), reverse("riskregister:unit", args=[code]), f"nav-risk-points-{code}"
                ),
            ]
            if unit.pk in self.team_unit_ids:  # analytics.rules.readable_units: the leadership team
                links.append(
                    NavLink(_("成效分析"), _query("analytics:index", unit=code), f"nav-analytics-{code}")
                )
                # supervision.rules.can_view_reports: the leadership team (and the commission, above)
                reports = reverse("supervision:unit_reports", args=[code])
                links.append(NavLink(_("月度财务明细"), reports, f"nav-monthly-reports-{code}"))
            if unit.pk in self.watch_unit_ids:  # pilots.rules.WATCHING_ROLES: the principal and the inspector
                links.append(
                    NavLink(_("试点工作"), reverse("pilots:unit", args=[code]), f"nav-pilots-{code}")
                )
            if unit.pk in self.team_unit_ids:  # tours.rules.can_view_unit: the leadership team, the inspector
                links.append(NavLink(_("巡察整改"), reverse("tours:unit", args=[code]), f"nav-tours-{code}"))
            groups.append(NavGroup(unit.name, links))
        watch = NavGroup(label=_("监督"))
        if self.inspects_meetings:
            watch.links.append(NavLink(_("列席督察"), reverse("meetings:inspection"), "nav-inspection"))
        if self.sees_inspections:
            watch.links.append(NavLink(_("督察检查"), reverse("inspections:list"), "nav-inspections"))
        for place in self.inspected_districts:  # tours.selectors.get_district_for: the inspection group
            if place.pk not in self.admin_district_ids:
                url = reverse("tours:district", args=[place.code])
                watch.links.append(NavLink(_("集中巡察"), url, f"nav-tours-{place.code}"))
        if self.administered:  # checkup.selectors.verification_queue: the districts the person administers
            watch.links.append(NavLink(_("廉政体检"), reverse("checkup:index"), "nav-checkup"))
            # reports.selectors.list_reports_for: the district commission's handlers (R-SUP-3)
            watch.links.append(NavLink(_("信访举报"), reverse("reports:index"), "nav-reports"))
        if self.supervises:
            watch.links.append(NavLink(_("风险预警"), reverse("risk:index"), "nav-warnings"))
            # riskregister.selectors.overdue: reviews due in the units the inspector or the commission oversees
            watch.links.append(NavLink(_("风险点复核"), reverse("riskregister:reviews"), "nav-risk-reviews"))
            watch.links.append(NavLink(_("账本"), reverse("ledger:index"), "nav-ledger"))
        if watch.links:
            groups.append(watch)
        _mark_current(groups, self.path)
        return groups


def _query(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _mark_current(groups: list[NavGroup], path: str) -> None:
    """The link whose address is the longest prefix of the page's path is the current one."""
    links = [link for group in groups for link in group.links]
    matching = [link for link in links if path == link.url or (link.url != "/" and path.startswith(link.url))]
    if matching:
        max(matching, key=lambda link: len(link.url)).current = True


def navigation(request: HttpRequest) -> dict[str, Navigation | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    return {"nav": Navigation(user, request.path)}
