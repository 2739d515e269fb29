"""The world of the authorization matrix (tests/security/test_authorization_matrix.py).

Two districts. District A (`testdistrict`) has two units, A1 (`t-unit`, the unit every object lives in)
and A2 (`t-other`); district B (`fardistrict`) has B1 (`f-unit`). Every unit has a team. Each persona is
named by its relation to the objects in A1:

    admin        commission admin of district A            far_admin    commission admin of district B
    principal    A1 一把手                                  a2_principal A2 一把手
    deputy       A1 副职, in charge of every test matter    a2_deputy    A2 副职
    deputy2      A1 副职, not in charge of them             a2_inspector A2 纪检组长
    inspector    A1 纪检组长                                a2_staff     A2 经办人
    staff        A1 经办人, the submitter of every matter   b_principal  B1 一把手
    staff2       A1 经办人, not the submitter               b_inspector  B1 纪检组长
    inspection   district A inspection group 督察组         b_staff      B1 经办人
    b_inspection district B inspection group                outsider     no role anywhere
    anonymous    no credentials at all

Objects in A1 (clock frozen on DAY): matters in each actionable state, an open meeting with a proposal
item and a personnel item, a sealed meeting, a warning, a pending power change, a draft plan, a district
template, an incompatible pair, ledger entries, a report naming A1's principal in a case — so every path parameter
names a real object.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from types import SimpleNamespace

from conftest import TERM_START, build_world
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.matters.services import budget
from zhiheng.matters.tests.conftest import POWERS, ensure_categories, ensure_template, setup_unit
from zhiheng.meetings import services as meetings
from zhiheng.org.models import DistrictRoleKind
from zhiheng.org.tests.factories import DistrictRoleFactory, MembershipFactory, PersonFactory, UnitFactory
from zhiheng.parameters.tests.factories import put
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers import services as power_services
from zhiheng.powers.services import catalogue
from zhiheng.powers.services import policy as powers_policy
from zhiheng.risk import services as risk

DAY = dt.date(2026, 3, 2)

PERSONAS = (
    "anonymous",
    "outsider",
    "admin",
    "far_admin",
    "principal",
    "deputy",
    "deputy2",
    "inspector",
    "staff",
    "staff2",
    "a2_principal",
    "a2_deputy",
    "a2_inspector",
    "a2_staff",
    "b_principal",
    "b_inspector",
    "b_staff",
    "inspection",
    "b_inspection",
)

# A1's plan: every power a test matter uses is `deputy`'s, so "the deputy in charge" is one persona.
ASSIGNMENTS = (
    ("finance", "deputy"),
    ("procurement", "deputy2"),
    ("personnel", "deputy3"),
    ("construction", "deputy2"),
    ("admin-enforcement", "deputy"),
    ("general", "deputy"),
)


def _member(unit, username: str, role: str, name: str):
    person = PersonFactory(username=username, name=name)
    MembershipFactory(person=person, unit=unit, role=role, title=role, start=TERM_START)
    return person


def _district_role(district, username: str, role: str, name: str):
    person = PersonFactory(username=username, name=name)
    DistrictRoleFactory(person=person, district=district, role=role, start=TERM_START)
    return person


def build_matrix_world() -> SimpleNamespace:
    w = build_world()
    w.far_admin = w.other_admin
    w.a2_principal = w.other_principal
    w.a2_deputy = _member(w.other_unit, "t-a2-deputy", "deputy", "乙单位副职")
    w.a2_inspector = _member(w.other_unit, "t-a2-inspector", "inspector", "乙单位纪检")
    w.a2_staff = _member(w.other_unit, "t-a2-staff", "staff", "乙单位经办")
    w.far_unit = UnitFactory(code="f-unit", name="远方局", district=w.far_district)
    w.b_principal = _member(w.far_unit, "t-b-principal", "principal", "外区一把手")
    w.b_inspector = _member(w.far_unit, "t-b-inspector", "inspector", "外区纪检")
    w.b_staff = _member(w.far_unit, "t-b-staff", "staff", "外区经办")
    w.inspection = _district_role(w.district, "t-inspection", DistrictRoleKind.INSPECTION, "督察组员")
    w.b_inspection = _district_role(w.far_district, "t-b-inspection", DistrictRoleKind.INSPECTION, "外区督察")

    ensure_categories()
    ensure_template()
    names = {"deputy": w.deputy, "deputy2": w.deputy2, "deputy3": w.deputy3}
    setup_unit(w, assignments=[(code, names[who].username) for code, who in ASSIGNMENTS])
    w.legal = _member(w.unit, "t-legal", "staff", "法制员")
    # Co-signing from ¥2,000 (below the ¥50,000 collective threshold), so a deputy's approval of a
    # ¥5,000 expenditure leaves it awaiting co-signs from the deputy in charge and the unit inspector.
    put("matters", unit=w.unit, values={"legal_officer": w.legal.pk, "cosign_threshold": "2000.00"})
    w.office = budget.set_budget_line(
        by=None, unit=w.unit, code="office", name="办公经费", amount="100000.00"
    )
    w.power = {code: power_selectors.get_power(w.unit, code) for code, _n, _c in POWERS}

    with clock.frozen(clock.at(DAY, 9)):
        _objects(w)
    w.persona = {name: getattr(w, name, None) for name in PERSONAS}
    return w


def _submit(w, title: str, power: str = "finance", **kwargs):
    return matters.submit(by=w.staff, unit=w.unit, power=w.power[power], title=title, **kwargs)


def upload(name: str = "收据.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, "收据：办公用品一批，金额 1000 元。".encode(), content_type="text/plain")


def bank_upload():
    """An exam bank file of three 党纪法规 questions of difficulty 1 (checkup.bank_excel's columns)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from zhiheng.checkup.bank_excel import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for n in range(3):
        sheet.append(["判断", "党纪法规", 1, f"矩阵测试判断题 {n}", "", "对"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("题库.xlsx", out.getvalue())


def _evidence(w):
    from zhiheng.matters.services import evidence

    return evidence.add_evidence(matter=w.m_open, by=w.staff, upload=upload())


def _objects(w) -> None:
    # Matters, all submitted by `staff`, all in `deputy`'s charge.
    w.m_open = _submit(w, "办公用品", amount="1000.00", budget_line=w.office, counterparty="某文具店")
    w.m_approved = _submit(w, "会议费", amount="1500.00", budget_line=w.office, counterparty="某酒店")
    matters.approve(matter=w.m_approved, by=w.deputy)
    w.m_cosign = _submit(w, "设备维修", amount="5000.00", budget_line=w.office, counterparty="某维修公司")
    matters.approve(matter=w.m_cosign, by=w.deputy)
    w.m_cosign.refresh_from_db()
    assert w.m_cosign.state == "awaiting_cosign", w.m_cosign.state
    w.m_joint = _submit(
        w, "行政处罚", power="admin-enforcement", kind="penalty", amount="20000.00", counterparty="某企业"
    )
    w.m_joint.refresh_from_db()
    assert w.m_joint.requires_joint_review, w.m_joint.state
    # The principal tries to approve a restricted matter: refused (R-MAT-2), and RF1 is raised.
    with contextlib.suppress(DomainError):
        matters.approve(matter=w.m_open, by=w.principal)
    from zhiheng.risk.models import Warning

    w.warning = Warning.objects.filter(unit=w.unit).order_by("pk").last()
    if w.warning is None:
        w.warning = risk.raise_warning(
            rule="RF1", level="high", unit=w.unit, subject="matter", explanation="test", records=[]
        )

    # An open meeting (today) with a proposal presented by `deputy` and a personnel item, everyone
    # of the team present; and a sealed meeting for corrections.
    w.meeting = meetings.create_meeting(
        by=w.principal,
        unit=w.unit,
        kind="party_committee",
        date=DAY,
        items=[
            {"title": "年度工作安排", "presenter": w.deputy},
            {"title": "科长人选", "candidates": ["候选甲", "候选乙"], "personnel": True},
        ],
    )
    meetings.record_attendance(
        by=w.principal,
        meeting=w.meeting,
        present=[w.principal, w.deputy, w.deputy2, w.deputy3],
        observers=[w.inspector],
    )
    w.item, w.personnel_item = list(w.meeting.items.order_by("number"))
    w.sealed = meetings.create_meeting(
        by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"title": "已封存的议题"}]
    )
    meetings.close_meeting(by=w.principal, meeting=w.sealed)

    # Powers: a district template, an incompatible pair, a pending catalogue change, a draft plan v2.
    w.template = powers_policy.create_template(
        by=w.admin,
        district=w.district,
        code="t-template",
        name="测试模板",
        restricted=["finance", "personnel", "procurement"],
        x_choice=True,
        effective_from=DAY + dt.timedelta(days=30),
    )
    w.pair = powers_policy.add_incompatible_pair(
        by=w.admin, district=w.district, first="finance", second="procurement", on=DAY + dt.timedelta(days=30)
    )
    catalogue.save_power(by=w.principal, unit=w.unit, code="finance", name="财务收支审批", category="general")
    from zhiheng.powers.models import PowerChange

    w.change = PowerChange.objects.filter(unit=w.unit).order_by("pk").last()
    assert w.change is not None, "the principal's change to a restricted power should be pending"
    w.draft = power_services.draft_plan(
        by=w.principal,
        unit=w.unit,
        assignments=[
            (code, {"deputy": w.deputy, "deputy2": w.deputy2, "deputy3": w.deputy3}[who].username)
            for code, who in ASSIGNMENTS
        ],
    )
    w.evidence = _evidence(w)
    w.staff2_term = w.staff2.memberships.get(unit=w.unit)
    w.assignments = [
        (p.power.code, p.deputy.username) for p in w.draft.assignments.select_related("power", "deputy")
    ]
    _inspection(w)
    _checkup(w)
    _reports(w)
    _riskregister(w)
    _pilots(w)
    _unitrules(w)
    _tours(w)
    # Text only A1's objects put on a page: matter titles, the meeting's agenda, the warning's subject.
    w.markers = ("办公用品", "年度工作安排", "科长人选", w.warning.subject)
    w.entry = Entry.objects.filter(unit=w.unit.code).order_by("index").first()
    # The newest A1 entry: on the ledger list's first page (newest first) whatever the district records.
    w.recent_entry = Entry.objects.filter(unit=w.unit.code).order_by("index").last()
    w.pending = _integrated_pending(w)
    w.ledger_size = Entry.objects.count()


def _inspection(w) -> None:
    """R-SUP-2: district A's inspection group checked A1 and closed the check (so it holds no read grant
    and every other route's rule stands), leaving one rectification item to answer and one answered."""
    from zhiheng.inspections import services as inspections

    w.check = inspections.open_inspection(by=w.inspection, unit=w.unit, days=10)
    due = DAY + dt.timedelta(days=30)
    record = inspections.record_finding
    w.item_open = record(
        by=w.inspection, inspection=w.check, title="会议记录不全", severity="medium", deadline=due
    )
    w.item_answered = record(
        by=w.inspection, inspection=w.check, title="采购未比价", severity="low", deadline=due
    )
    inspections.answer_rectification(by=w.principal, finding=w.item_answered, response="已补充比价材料")
    inspections.close_inspection(by=w.inspection, inspection=w.check, conclusion="检查完毕")


def _checkup(w) -> None:
    """R-GATE-2: A1's deputy declared for last year (no exam, no opinion yet: the commission may still
    record both); R-GATE-1: district A's exam bank, a paper drawn for the deputy, and deputy2's online
    sitting under way."""
    from zhiheng.checkup import services as checkup

    w.declaration = checkup.file_declaration(
        by=w.deputy, person=w.deputy, year=DAY.year - 1, items={"salary": 180000, "real_estate": []}
    )
    # R-GATE-1: district A's bank, and a paper drawn for the deputy from it.
    checkup.import_questions(by=None, district=w.district, data=bank_upload().read())
    w.paper = checkup.draw_paper(
        by=None, person=w.deputy, district=w.district, blueprint={("党纪法规", 1): 2}, seed=20261130
    )
    # An online sitting under way (R-GATE-1): deputy2 started the paper drawn for them at 9:00; it runs
    # 90 minutes, past the matrix's requests at 10:00.
    w.paper2 = checkup.draw_paper(
        by=None, person=w.deputy2, district=w.district, blueprint={("党纪法规", 1): 2}, seed=20261201
    )
    w.sitting = checkup.start_sitting(by=w.deputy2, paper=w.paper2)


def _reports(w) -> None:
    """R-SUP-3: a web report about A1 naming A1's principal, in a case district A's admin handles (so the
    admin may open its reporter's identity), with its receipt kept for the public follow-up; and a second
    report about A1, not yet in a case (to open one from)."""
    from zhiheng.reports import services as reports

    given = reports.receive(
        by=None,
        channel="web",
        subject="反映一把手",
        body="反映内容",
        unit=w.unit.code,
        person=w.principal.username,
        anonymous=False,
        name="举报人",
        contact="13900000000",
    )
    w.report, w.report_receipt, w.report_passphrase = given.report, given.receipt, given.passphrase
    w.report_case = reports.open_case(by=w.admin, reports=[w.report], handlers=[w.admin])
    w.report2 = reports.receive(
        by=None, channel="web", subject="又一件", body="内容", unit=w.unit.code
    ).report


def _riskregister(w) -> None:
    """R-GATE-6: a draft risk point on A1's finance (proposed by `deputy`, in charge of it) and a published
    one (the register 公示 inside A1)."""
    from zhiheng.riskregister import services as riskregister

    def point(description: str):
        return riskregister.propose_point(
            by=w.deputy,
            power=w.power["finance"],
            description=description,
            type="process",
            importance=4,
            discretion=3,
            probability=3,
            harm=4,
            measures="支出双人复核",
            owner=w.deputy,
        )

    w.risk_point = point("虚报冒领")
    w.risk_published = riskregister.publish_point(by=w.principal, point=point("套取资金"))


def _pilots(w) -> None:
    """R-PIL-1: district A's pilot of A1 and `t-pilot` (two units without a team, t-pilot and t-pilot2, so
    that a unit can join and one leave while others stay outside), its mobilisation begun 30 days before
    DAY, rule-making and formal implementation 10 and 20 days after it."""
    from zhiheng.pilots import services as pilots

    pilot = UnitFactory(code="t-pilot", name="试点局", district=w.district)
    UnitFactory(code="t-pilot2", name="试点二局", district=w.district)
    with clock.frozen(clock.at(DAY - dt.timedelta(days=40), 10)):
        w.pilot = pilots.create_programme(
            by=w.admin, district=w.district, name="矩阵试点", units=[w.unit, pilot]
        )
        for name, days in (("动员教育", -30), ("制定制度", 10), ("正式实施", 20)):
            pilots.set_phase(by=w.admin, programme=w.pilot, name=name, start=DAY + dt.timedelta(days=days))


def _unitrules(w) -> None:
    """R-PIL-2: A1's rule adopted before the system (2011, no meeting), an item passed at a sealed meeting
    of A1 today (what a new rule, a new version, an adoption or a repeal cites), and district A's model
    rule."""
    from zhiheng.unitrules import services as unitrules

    meeting = meetings.create_meeting(
        by=w.principal,
        unit=w.unit,
        kind="office",
        date=DAY,
        items=[{"title": "审议制度", "presenter": w.deputy}],
    )
    meetings.record_attendance(
        by=w.principal, meeting=meeting, present=[w.principal, w.deputy, w.deputy2, w.deputy3], observers=[]
    )
    w.rules_item = meeting.items.get()
    for person in (w.deputy, w.deputy2, w.deputy3, w.principal):
        meetings.state(by=person, item=w.rules_item, position="agree", reason="同意")
    meetings.close_meeting(by=w.principal, meeting=meeting)
    w.unit_rule = unitrules.create_rule(
        by=w.principal,
        unit=w.unit,
        code="ZD-01",
        title="财务管理制度",
        body="第一条 总则。",
        powers=[w.power["finance"]],
        adopted=dt.date(2011, 1, 1),
    )
    w.model_rule = unitrules.create_model(
        by=w.admin, district=w.district, code="FW-01", title="财务审批制度范本", body="第一条 范本。"
    )


def rules_upload():
    """A unit's rules file (unitrules.excel's columns): one rule adopted before the system."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from zhiheng.unitrules.excel import RULE_HEADERS

    book = Workbook()
    book.active.append(RULE_HEADERS)
    book.active.append(["ZD-09", "", "档案管理制度", "第一条 档案。", "", "2011-01-01", None, None])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("制度.xlsx", out.getvalue())


def library_upload():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from zhiheng.unitrules.excel import LIBRARY_HEADERS

    book = Workbook()
    book.active.append(LIBRARY_HEADERS)
    book.active.append(["FW-09", "", "公务接待制度范本", "第一条 接待。", "finance"])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("范本.xlsx", out.getvalue())


def _tours(w) -> None:
    """R-GATE-5: the commission's tour of A1, run by district A's inspection group member, with one
    rectification open (to answer) and one the principal has answered (to close)."""
    from zhiheng.tours import services as tours

    w.tour = tours.open_tour(
        by=w.admin, district=w.district, title="巡察A1", units=[w.unit], team=[w.inspection]
    )

    def item(title: str):
        return tours.open_rectification(
            by=w.inspection, tour=w.tour, unit=w.unit, title=title, deadline=DAY + dt.timedelta(days=30)
        )

    w.tour_item = item("待整改")
    w.tour_answered = tours.answer_rectification(by=w.principal, item=item("待销号"), response="已整改")


def _integrated_pending(w) -> int:
    """An A1 entry recorded the batched way (decision 0017) and integrated: its pending id is what
    /ledger/pending/{id} answers for, to A1's supervisors only."""
    from django.test import override_settings

    from zhiheng import ledger
    from zhiheng.ledger.services import sequencing

    with override_settings(LEDGER_SEQUENCING="batched", LEDGER_INTEGRATE_AFTER_COMMIT=False):
        recorded = ledger.record("ledger.note", unit=w.unit.code, subject="matrix:pending", payload={})
    sequencing.integrate()
    return int(recorded.pending)


def register_upload(w):
    """A unit's risk register file (riskregister.services.imports' columns): one finance point, the finance
    deputy its owner."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from zhiheng.riskregister.services.imports import HEADERS

    book = Workbook()
    book.active.append(HEADERS)
    book.active.append(
        ["finance", "", "导入的风险点", "业务流程", 3, 3, 3, 3, None, None, "双人复核", w.deputy.username]
    )
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("风险点.xlsx", out.getvalue())
