"""Pages of the powers app: catalogue (with flowcharts and Excel), plan editor, history and diff, board.

Views parse input, call one service or selector and render; the rules live in services and rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid, NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.web.htmx import act

from .. import excel, rules, selectors, services
from ..flowchart import flowchart_svg
from ..models import PlanStatus, Power, PowerChange


def _unit_for(person: Person, code: str) -> Unit:
    return org.get_unit_for(person, code)


def _render_catalogue(
    request: PersonRequest, unit: Unit, *, import_errors: list[Any] | None = None, status: int = 200
) -> HttpResponse:
    in_charge = selectors.in_charge_map(unit)
    rows = [
        {
            "power": p,
            "restricted": restricted,
            "deputy": in_charge.get(p.pk),
            "svg": mark_safe(flowchart_svg(p.flowchart, title=p.name)),  # noqa: S308  escaped by the renderer
        }
        for p, restricted in selectors.powers_with_restriction(unit)
    ]
    context = {
        "unit": unit,
        "rows": rows,
        "policy": selectors.policy_on(unit),
        "can_edit": rules.can_edit_catalogue(request.user, unit),
        "import_errors": import_errors,
        "changes": list(selectors.list_power_changes(unit)[:30]),
        "can_decide": rules.can_decide_power_change(request.user, unit),
    }
    return render(request, "powers/catalogue.html", context, status=status)


@login_required
def catalogue(request: PersonRequest, code: str) -> HttpResponse:
    return _render_catalogue(request, _unit_for(request.user, code))


@login_required
def export_catalogue(request: PersonRequest, code: str) -> HttpResponse:
    unit = _unit_for(request.user, code)
    response = HttpResponse(
        excel.export_catalogue(unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-powers.xlsx"'
    return response


@login_required
@require_POST
def import_catalogue(request: PersonRequest, code: str) -> HttpResponse:
    unit = _unit_for(request.user, code)
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("validation", _("请选择要导入的 Excel 文件"))
    try:
        result = excel.import_catalogue(by=request.user, unit=unit, data=upload.read(excel.MAX_BYTES + 1))
    except Invalid as err:
        if "errors" not in err.detail:
            raise
        # Row errors are shown in the catalogue page itself, next to the upload form (like form errors).
        messages.error(request, err.message)
        return _render_catalogue(request, unit, import_errors=err.detail["errors"], status=422)
    messages.success(request, _("已导入 %(n)d 项职权") % {"n": len(result.rows)})
    if result.pending:
        messages.warning(
            request,
            _("其中 %(n)d 项涉及限制类职权的类别或停用，已提交区纪委确认，确认前不生效")
            % {"n": len(result.pending)},
        )
    return redirect("powers:catalogue", unit.code)


def _decide_change(
    request: PersonRequest, pk: int, decide: Callable[..., PowerChange], success: str
) -> HttpResponse:
    """POST accept/reject of a restricted-catalogue change (R-DIV-2): the district's commission admin."""
    change = selectors.get_power_change_for(request.user, pk)
    return act(
        request,
        lambda: decide(by=request.user, change=change, reason=request.POST.get("reason", "")[:2000]),
        success=success,
        then="powers:catalogue",
        code=change.unit.code,
    )


@login_required
@require_POST
def accept_change(request: PersonRequest, pk: int) -> HttpResponse:
    return _decide_change(request, pk, services.accept_power_change, _("已确认该职权目录变更，变更已生效"))


@login_required
@require_POST
def reject_change(request: PersonRequest, pk: int) -> HttpResponse:
    return _decide_change(request, pk, services.reject_power_change, _("已驳回该职权目录变更"))


def _editor_choices(unit: Unit, day: dt.date) -> tuple[Person | None, list[Person]]:
    principal = org.principal_of(unit, day)
    people = ([principal] if principal else []) + selectors.deputies_on(unit, day)
    return principal, people


def _posted_assignments(request: PersonRequest, powers: list[tuple[Power, bool]]) -> list[tuple[str, str]]:
    pairs = []
    for power, _restricted in powers:
        username = request.POST.get(f"power-{power.code}", "").strip()
        if username:
            pairs.append((power.code, username))
    return pairs


def _posted_day(request: PersonRequest) -> dt.date | None:
    raw = request.POST.get("in_force_from", "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
def editor(request: PersonRequest, code: str) -> HttpResponse:
    """R-DIV-4/5: the principal drafts a plan; violations are re-checked live on each change (htmx)."""
    unit = _unit_for(request.user, code)
    rules.ensure_can_draft_plan(request.user, unit)
    day = clock.today()
    powers = selectors.powers_with_restriction(unit, day)
    principal, people = _editor_choices(unit, day)
    violations, status = [], 200
    if request.method == "POST":
        assignments = _posted_assignments(request, powers)
        try:
            plan = services.draft_plan(
                by=request.user,
                unit=unit,
                assignments=assignments,
                in_force_from=_posted_day(request),
                note=request.POST.get("note", "")[:2000],
            )
        except Invalid as err:
            # R-DIV-4 violations are listed in the editor itself, next to the choices that cause them.
            violations, status = err.detail.get("violations", []), 422
            if not violations:
                raise
        else:
            messages.success(request, _("已起草分工方案 v%(v)d，请核对后报送") % {"v": plan.version})
            return redirect("powers:plan", unit.code, plan.version)
        selected = dict(assignments)
    else:
        current = selectors.plan_in_force(unit)
        selected = (
            {a.power.code: a.deputy.username for a in selectors.plan_assignments(current)} if current else {}
        )
    rows = [{"power": p, "restricted": r, "selected": selected.get(p.code, "")} for p, r in powers]
    return render(
        request,
        "powers/editor.html",
        {
            "unit": unit,
            "rows": rows,
            "people": people,
            "principal": principal,
            "violations": violations,
            "checked": request.method == "POST",
        },
        status=status,
    )


@login_required
@require_POST
def check(request: PersonRequest, code: str) -> HttpResponse:
    """htmx: re-validate the editor's current choices without storing anything."""
    unit = _unit_for(request.user, code)
    if not rules.can_draft_plan(request.user, unit):
        raise NotFound()
    day = _posted_day(request) or clock.today()
    powers = selectors.powers_with_restriction(unit, day)
    violations = [v.as_dict() for v in services.check_plan(unit, _posted_assignments(request, powers), day)]
    return render(request, "powers/editor.html#violations", {"violations": violations, "checked": True})


@login_required
def plans(request: PersonRequest, code: str) -> HttpResponse:
    unit = _unit_for(request.user, code)
    with_drafts = rules.can_view_drafts(request.user, unit)
    in_force = selectors.plan_in_force(unit)
    return render(
        request,
        "powers/plans.html",
        {
            "unit": unit,
            "plans": selectors.list_plans(unit, with_drafts=with_drafts),
            "in_force": in_force,
            "can_draft": rules.can_draft_plan(request.user, unit),
            "policies": selectors.policy_history(unit) if with_drafts else None,
        },
    )


@login_required
def plan(request: PersonRequest, code: str, version: int) -> HttpResponse:
    unit = _unit_for(request.user, code)
    with_drafts = rules.can_view_drafts(request.user, unit)
    current = selectors.get_plan(unit, version, with_drafts=with_drafts)
    previous = selectors.list_plans(unit, with_drafts=False).filter(version__lt=version).first()
    return render(
        request,
        "powers/plan.html",
        {
            "unit": unit,
            "plan": current,
            "assignments": selectors.plan_assignments(current),
            "previous": previous,
            "diff": selectors.plan_diff(previous, current),
            "can_file": current.status == PlanStatus.DRAFT and rules.can_file_plan(request.user, unit),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def file(request: PersonRequest, code: str, version: int) -> HttpResponseRedirect:
    unit = _unit_for(request.user, code)
    current = selectors.get_plan(unit, version, with_drafts=rules.can_view_drafts(request.user, unit))
    filed = services.file_plan(by=request.user, plan=current, in_force_from=_posted_day(request))
    messages.success(
        request, _("分工方案 v%(v)d 已报送，自 %(d)s 起生效") % {"v": filed.version, "d": filed.in_force_from}
    )
    return redirect("powers:plan", unit.code, filed.version)


@login_required
def board(request: PersonRequest, code: str) -> HttpResponse:
    """R-DIV-5: the commission admin's board of filed / late / missing plans for the open round."""
    district = selectors.get_district_for(request.user, code)
    rules.ensure_can_view_board(request.user, district)
    deadline = selectors.open_deadline(district)
    rows = selectors.filing_board(district, deadline)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("filed", "late", "missing")}
    status = request.GET.get("status", "")  # the 工作台's late / missing counts link here
    if status in counts:
        rows = [r for r in rows if r["status"] == status]
    # An early filing stands out: how many days before the deadline, the first filer marked, and within a
    # status the earliest filings first (units that never filed last, by code).
    filed = sorted((r for r in rows if r["plan"]), key=lambda r: r["plan"].filed_at)
    for r in filed:
        r["days_early"] = (deadline.due - clock.local_date(r["plan"].filed_at)).days if deadline else 0
    if filed:
        filed[0]["first"] = True
    order = {"filed": 0, "late": 1, "missing": 2}
    rows = sorted(
        rows, key=lambda r: (order.get(r["status"], 3), r["plan"].filed_at if r["plan"] else clock.now())
    )
    return render(
        request,
        "powers/board.html",
        {"district": district, "deadline": deadline, "rows": rows, "counts": counts, "status": status},
    )
