"""Reads of the integrity check-up: whose records a person may see, where a candidate stands, the rules in
force for them and the commission's verification queue. Nothing here opens sealed data (services.reading
does, and logs it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from zhiheng import parameters
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import get_person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.inspections.selectors import findings_about
from zhiheng.matters.models import Matter
from zhiheng.org import selectors as org
from zhiheng.org.models import District

from . import archive, rules
from .models import (
    ArchiveEntry,
    ArchiveScheme,
    Declaration,
    ExamSitting,
    OnlineSitting,
    Opinion,
    Paper,
    Question,
)
from .parameters import DEFAULTS, NAMESPACE
from .states import ExamStatus, OpinionStatus, exam_status, next_attempt, online_status


def get_person_for(viewer: Person, username: str) -> Person:
    """The person whose check-up the viewer may see; NotFound alike for nobody and for somebody else's."""
    person = get_person(username)
    if not rules.can_view(viewer, person):
        raise NotFound()
    return person


def get_bank_district_for(viewer: Person, code: str) -> District:
    """The district whose exam bank the viewer keeps (R-GATE-1); NotFound alike for any other."""
    district = District.objects.filter(code=code).first()
    if district is None or not rules.can_keep_bank(viewer, district):
        raise NotFound()
    return district


def bank_district_for(viewer: Person, person: Person) -> District:
    """Whose bank a candidate's paper is drawn from: the viewer's commission's, of a district the person
    belongs or belonged to (NotFound when the viewer is no such commission)."""
    district = (
        org.administered_districts(viewer)
        .filter(pk__in=org.districts_ever_of(person).values("pk"))
        .order_by("code")
        .first()
    )
    if district is None:
        raise NotFound()
    return district


def questions_of(district: District) -> QuerySet[Question]:
    return Question.objects.filter(district=district).order_by("category", "difficulty", "pk")


def get_paper_for(viewer: Person, person: Person, pk: int) -> Paper:
    """A candidate's paper, to their commission only (before the sitting its questions are secret)."""
    paper = Paper.objects.filter(person=person, pk=pk).first()
    if paper is None or not rules.can_judge(viewer, person):
        raise NotFound()
    return paper


def papers_of(person: Person) -> QuerySet[Paper]:
    return Paper.objects.filter(person=person).order_by("-generated_at", "-pk")


def paper_questions(paper: Paper) -> list[dict[str, Any]]:
    """The paper as shown: its questions in order, each choice question's options in the paper's order."""
    bank = Question.objects.in_bulk([q["id"] for q in paper.questions])
    shown = []
    for number, q in enumerate(paper.questions, start=1):
        question = bank[q["id"]]
        order = q["options"] or []
        options = [question.options[i] for i in order]
        shown.append(
            {
                "number": number,
                "id": question.pk,
                "kind": question.kind,
                "category": question.category,
                "difficulty": question.difficulty,
                "stem": question.stem,
                "options": options,
                # (the bank's index, the text) in the paper's order: what an online answer names
                "choices": list(zip(order, options, strict=True)),
            }
        )
    return shown


# ------------------------------------------------------------------------------ online sittings (R-GATE-1)


def get_person_paper(person: Person, pk: int) -> Paper:
    """One of the person's papers by id, for the candidate to start and sit (the questions stay hidden until
    the sitting starts) and for the commission to mark; NotFound when the person has no such paper."""
    paper = Paper.objects.filter(person=person, pk=pk).first()
    if paper is None:
        raise NotFound()
    return paper


def get_online_for(viewer: Person, person: Person, pk: int) -> OnlineSitting:
    """The online sitting of the person's paper `pk`, to the candidate and their commission (whoever may
    see the person's check-up: get_person_for has asked); NotFound when the paper was never started."""
    sitting = OnlineSitting.objects.filter(paper__person=person, paper_id=pk).select_related("paper").first()
    if sitting is None or not rules.can_view(viewer, person):
        raise NotFound()
    return sitting


def online_of(person: Person) -> list[OnlineSitting]:
    return list(
        OnlineSitting.objects.filter(paper__person=person)
        .select_related("paper", "sitting")
        .order_by("-started_at", "-pk")
    )


def unfinished_sitting(person: Person) -> OnlineSitting | None:
    """The person's started, not yet marked online sitting (at most one: services.sitting)."""
    return OnlineSitting.objects.filter(paper__person=person, sitting__isnull=True).first()


def paper_to_sit(person: Person) -> Paper | None:
    """The paper the candidate may start now: the latest drawn and never started, while a sitting is left
    (R-GATE-1) and no other online sitting waits to be marked."""
    if next_attempt(sittings_of(person)) is None or unfinished_sitting(person) is not None:
        return None
    return papers_of(person).filter(online__isnull=True).first()


def status_of(sitting: OnlineSitting) -> str:
    return online_status(
        closed=sitting.closed_at(clock.now()) is not None, marked=sitting.sitting_id is not None
    )


def awaiting_marking(viewer: Person, district: District | None = None) -> QuerySet[OnlineSitting]:
    """The online sittings of the viewer's districts' people (or of `district`, one of them) that are
    closed — submitted, or out of time — and not yet marked: the commission's marking queue, oldest first."""
    districts = org.administered_districts(viewer)
    if district is not None:
        districts = districts.filter(pk=district.pk)
    people = Person.objects.filter(memberships__unit__district__in=districts).values("pk")
    closed = Q(submitted_at__isnull=False) | Q(deadline__lt=clock.now())
    return (
        OnlineSitting.objects.filter(paper__person_id__in=people, sitting__isnull=True)
        .filter(closed)
        .select_related("paper__person")
        .order_by("deadline", "pk")
    )


def rules_for(person: Person) -> dict[str, Any]:
    """The "checkup" parameters in force for the person: their unit's, else their district's, else SPEC's."""
    membership = org.current_memberships_of(person).select_related("unit").first()
    if membership is not None:
        return parameters.effective(NAMESPACE, membership.unit).values
    district = org.districts_ever_of(person).order_by("code").first()
    if district is not None:
        return parameters.effective(NAMESPACE, district=district).values
    return dict(DEFAULTS)


def has_begun(person: Person) -> bool:
    """Whether the person's check-up has begun: an exam sitting, a declaration or an opinion exists."""
    return (
        ExamSitting.objects.filter(person=person).exists()
        or Declaration.objects.filter(person=person).exists()
        or Opinion.objects.filter(person=person).exists()
    )


def sittings_of(person: Person) -> list[ExamSitting]:
    return list(ExamSitting.objects.filter(person=person).order_by("sat_on", "attempt"))


def latest_declaration(person: Person, year: int | None = None) -> Declaration | None:
    """The latest version of the person's declaration for `year` (default: their latest year)."""
    qs = Declaration.objects.filter(person=person)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-version").first()


def declarations_of(person: Person) -> QuerySet[Declaration]:
    """Every version of the person's declarations, latest first."""
    return Declaration.objects.filter(person=person).order_by("-year", "-version")


def get_declaration_for(viewer: Person, person: Person, pk: int) -> Declaration:
    declaration = declarations_of(get_person_for(viewer, person.username)).filter(pk=pk).first()
    if declaration is None:
        raise NotFound()
    return declaration


def opinion_of(person: Person) -> Opinion | None:
    return Opinion.objects.filter(person=person).order_by("-issued_at", "-pk").first()


def exam_summary(person: Person, rules_in_force: dict[str, Any]) -> dict[str, Any]:
    sittings = sittings_of(person)
    status = exam_status(sittings)
    passed = [s for s in sittings if s.passed]
    shown = passed[-1] if passed else (sittings[-1] if sittings else None)
    valid_until = None
    if status == ExamStatus.PASSED and shown is not None:
        valid_until = shown.sat_on + dt.timedelta(days=int(rules_in_force["exam_valid_days"]))
    return {
        "status": str(status),
        "score": str(shown.score) if shown is not None else None,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "attempts": len(sittings),
    }


def integrity_of(person: Person) -> dict[str, Any]:
    """API.md's `GET /people/{username}/integrity`: where the candidate stands on the three gates."""
    in_force = rules_for(person)
    declaration = latest_declaration(person)
    opinion = opinion_of(person)
    return {
        "person": person.username,
        "exam": exam_summary(person, in_force),
        "declaration": {
            "year": declaration.year if declaration else None,
            "status": "filed" if declaration else "none",
            "risk_score": declaration.risk_score if declaration else None,
            "checks": list(declaration.check_codes) if declaration else [],
        },
        "opinion": {
            "status": opinion.status if opinion else str(OpinionStatus.NONE),
            "issued_at": opinion.issued_at.astimezone(clock.SHANGHAI) if opinion else None,
        },
    }


def prerequisites(person: Person, day: dt.date | None = None) -> list[str]:
    """R-MTG-5: what still keeps the person from being decided on as a candidate, in Chinese; [] when the
    three gates are in order (a passed exam still valid, a declaration for this year or the last, an
    opinion of no objection)."""
    return unmet(integrity_of(person), day)


def unmet(summary: dict[str, Any], day: dt.date | None = None) -> list[str]:
    """`prerequisites` over an `integrity_of` summary already read (pages and the API show both)."""
    day = day or clock.today()
    missing: list[str] = []
    exam = summary["exam"]
    if exam["status"] != ExamStatus.PASSED or dt.date.fromisoformat(exam["valid_until"]) < day:
        missing.append("尚无有效的廉政考试合格成绩（R-GATE-1）")
    year = summary["declaration"]["year"]
    if year is None or year < day.year - 1:
        missing.append("尚无本年度或上年度的廉情申报（R-GATE-2）")
    if summary["opinion"]["status"] != OpinionStatus.NO_OBJECTION:
        missing.append("纪委尚未出具“无异议”的廉政意见（R-GATE-4）")
    return missing


def counterparties_of(person: Person) -> list[str]:
    """The counterparties of the matters of the units the person serves in today (RF3's other side)."""
    units = org.current_memberships_of(person).values("unit_id")
    names = (
        Matter.objects.filter(unit_id__in=units)
        .exclude(counterparty="")
        .values_list("counterparty", flat=True)
    )
    return sorted(set(names))


def awaiting_verification(viewer: Person, district: District) -> int:
    """The 工作台's count: people of the district (whose commission the viewer is) whose latest declaration
    tripped a check and on whom the commission has not yet concluded (no opinion, or 待核实)."""
    latest_opinion = (
        Opinion.objects.filter(person=OuterRef("person")).order_by("-issued_at", "-pk").values("status")[:1]
    )
    return (
        verification_queue(viewer)
        .filter(person__memberships__unit__district=district, risk_score__gt=0)
        .annotate(opinion=Subquery(latest_opinion))
        .exclude(opinion__in=[OpinionStatus.NO_OBJECTION, OpinionStatus.OBJECTION])
        .values("person")
        .distinct()
        .count()
    )


def verification_queue(viewer: Person) -> QuerySet[Declaration]:
    """The commission's queue (R-GATE-2): the latest declaration of every person of the districts the
    viewer administers, the highest risk score first."""
    districts = org.administered_districts(viewer)
    people = Person.objects.filter(memberships__unit__district__in=districts).values("pk")
    latest = (
        Declaration.objects.filter(person=OuterRef("person")).order_by("-year", "-version").values("pk")[:1]
    )
    return (
        Declaration.objects.filter(person_id__in=people, pk=Subquery(latest))
        .select_related("person")
        .order_by("-risk_score", "-filed_at")
    )


# ------------------------------------------------------------------------ the integrity archive (R-GATE-3)


def home_district(person: Person) -> District | None:
    """The district whose archive categories apply to the person: where they belong today (the first by
    code), else the first they ever belonged to (services.district_of names the same one)."""
    codes = org.current_district_codes(person)
    if codes:
        return District.objects.filter(code=codes[0]).first()
    return org.districts_ever_of(person).order_by("code").first()


def archive_schemes_of(district: District) -> QuerySet[ArchiveScheme]:
    """Every version of the district's archive categories, the one in force (the latest) first."""
    return ArchiveScheme.objects.filter(district=district).select_related("set_by").order_by("-version")


def archive_scheme_of(district: District | None) -> archive.Scheme:
    """The categories in force in the district: its latest version, else the default 7 and 25."""
    latest = archive_schemes_of(district).first() if district is not None else None
    return archive.Scheme.from_data(latest.categories) if latest is not None else archive.DEFAULT_SCHEME


def archive_scheme_for(person: Person) -> archive.Scheme:
    return archive_scheme_of(home_district(person))


def get_archive_district_for(viewer: Person, code: str) -> District:
    """The district whose archive categories the viewer sets (R-GATE-3); NotFound alike for any other."""
    district = District.objects.filter(code=code).first()
    if district is None or not rules.can_keep_archive_scheme(viewer, district):
        raise NotFound()
    return district


def archive_codes_used(district: District) -> set[tuple[str, str]]:
    """(category, subcategory) of every archive entry about someone who belongs or belonged to the
    district: what its list cannot drop."""
    people = org.people_of_district(district).values("pk")
    pairs = (
        ArchiveEntry.objects.filter(person_id__in=people).values_list("category", "subcategory").distinct()
    )
    return {(c, s) for c, s in pairs}


def latest_declarations(person: Person) -> list[Declaration]:
    """The latest version of each year's declaration of the person, the latest year first."""
    seen: set[int] = set()
    out = []
    for declaration in declarations_of(person):
        if declaration.year not in seen:
            seen.add(declaration.year)
            out.append(declaration)
    return out


def opinions_of(person: Person) -> QuerySet[Opinion]:
    return Opinion.objects.filter(person=person).order_by("-issued_at", "-pk")


# An entry another capability pushed into the archive (`source` "<kind>:<id>") may say more than its
# title: an entry from a report case says that someone reported the person. The capability that pushes such
# entries registers who may see them (reports: whoever sees the case — never the person named, nor anyone
# concerned, R-SUP-3); entries of other sources are seen by whoever reads the archive (rules.can_view).
ENTRY_GUARDS: dict[str, Callable[[Person, int], bool]] = {}


def register_entry_guard(kind: str, may_see: Callable[[Person, int], bool]) -> None:
    ENTRY_GUARDS[kind] = may_see


def _entry_visible(entry: ArchiveEntry, viewer: Person) -> bool:
    kind, _sep, pk = entry.source.partition(":")
    guard = ENTRY_GUARDS.get(kind)
    return guard is None or (pk.isdigit() and guard(viewer, int(pk)))


def archive_entries_of(person: Person, viewer: Person) -> list[ArchiveEntry]:
    """The person's archive entries that `viewer` may see (ENTRY_GUARDS)."""
    entries = ArchiveEntry.objects.filter(person=person).order_by("-occurred_on", "-pk")
    return [entry for entry in entries if _entry_visible(entry, viewer)]


def archive_outline(person: Person, viewer: Person) -> dict[str, int]:
    """What the person's archive gathers, counted without opening anything sealed (the candidate's page)."""
    return {
        "declarations": Declaration.objects.filter(person=person).values("year").distinct().count(),
        "exams": ExamSitting.objects.filter(person=person).count(),
        "opinions": Opinion.objects.filter(person=person).count(),
        "findings": findings_about(person, archive.SINCE).count(),
        "entries": len(archive_entries_of(person, viewer)),
    }
