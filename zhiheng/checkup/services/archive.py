"""The integrity archive 廉政档案 (R-GATE-3): a district's categories, entries written into a person's archive,
and reading the archive — assembled from the person's records on every read, one ledger entry a read.

The interface for later capabilities (the reporting channel's complaints, departure audits: apps above
checkup in the import layers, which call down into it):

    from zhiheng.checkup import services
    services.add_archive_entry(
        by=None,                     # the system; or the Person acting, who must be the person's commission
        person=official,
        category="reports",          # a category code of the list in force for the person (archive.py)
        subcategory="unsubstantiated",
        occurred_on=closed_on,
        title="反映其违规发放津贴问题，经核查查无实据",
        body="…",                    # sealed with the title; the ledger entry holds neither
        source="complaint:12",       # your record: the entry is written once per (person, source)
    )

It answers the ArchiveEntry — the one already written when `source` was given before (nothing changes, no
new ledger entry), so a retried task or a re-run hook writes it once. The codes must be in the person's
list in force (BadArchiveEntry, 422 R-GATE-3, otherwise): a capability that files under a category of its
own asks the districts' commissions to add it (the default list has 信访举报 and 监督检查 · 审计及离任审计).
`by=None` is for a capability that has authorised its own action; a Person `by` must be the person's
commission (`rules.can_judge`: 403 R-GATE-3 to anyone else, the person themself included).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Max

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.inspections.selectors import findings_about
from zhiheng.org.models import District

from .. import archive, events, rules, sealing, selectors
from ..errors import ArchiveCodeInUse, BadArchiveEntry
from ..models import ArchiveEntry, ArchiveScheme
from ..states import ExamStatus, exam_status
from .declaring import district_of

SOURCE = re.compile(r"[a-z][a-z0-9_-]*:[A-Za-z0-9_./:-]+", re.ASCII)
TITLE_MAX = 200
BODY_MAX = 4000


@transaction.atomic
def set_archive_scheme(*, by: Person | None, district: District, scheme: archive.Scheme) -> ArchiveScheme:
    """A new version of the district's categories (R-GATE-3), in force from now on; the same list as the one
    in force sets nothing. A category or subcategory the archive still files something under — an entry
    about one of the district's people, or one of the check-up's own sources — cannot be dropped
    (ArchiveCodeInUse, 409, naming each)."""
    rules.ensure_can_keep_archive_scheme(by, district)
    # Lock the district's row: two edits at once get consecutive versions, each checked against the other.
    District.objects.select_for_update().filter(pk=district.pk).first()
    latest = selectors.archive_schemes_of(district).first()
    current = archive.Scheme.from_data(latest.categories) if latest is not None else archive.DEFAULT_SCHEME
    if latest is not None and current == scheme:
        return latest
    kept = archive.in_use(archive.removed(current, scheme), selectors.archive_codes_used(district))
    if kept:
        names = [current.pair_name(c, s) for c, s in kept]
        raise ArchiveCodeInUse(
            f"以下类别或子类仍有档案内容使用，不能删除（可以改名）：{'、'.join(names)}",
            detail={
                "in_use": [
                    {"category": c, "subcategory": s, "name": name}
                    for (c, s), name in zip(kept, names, strict=True)
                ]
            },
        )
    version = (ArchiveScheme.objects.filter(district=district).aggregate(v=Max("version"))["v"] or 0) + 1
    row = ArchiveScheme.objects.create(
        district=district, version=version, categories=scheme.as_data(), set_by=by, set_at=clock.now()
    )
    ledger.record(
        events.ARCHIVE_SCHEME_SET.code,
        by=by,
        district=district.code,
        subject=f"archive-scheme:district:{district.code}",
        payload={
            "version": version,
            "digest": scheme.digest(),
            "archive_categories": len(scheme.categories),
            "archive_subcategories": scheme.subcategory_count(),
        },
    )
    return row


@transaction.atomic
def add_archive_entry(
    *,
    by: Person | None,
    person: Person,
    category: str,
    subcategory: str,
    occurred_on: dt.date,
    title: str,
    body: str = "",
    source: str = "",
) -> ArchiveEntry:
    """Write an entry into the person's archive (see the module's docstring): by the commission's staff by
    hand (`source` ""), or by another capability naming its record (`source`, once per person and source).
    The title and body are sealed; the ledger entry says who filed what kind of entry about whom."""
    rules.ensure_can_judge(by, person, rule="R-GATE-3", action="在廉政档案中添加记录")
    title, body, source = title.strip(), body.strip(), source.strip()
    scheme = selectors.archive_scheme_for(person)
    errors: dict[str, list[str]] = {}
    if not scheme.has(category):
        errors["category"] = [f"“{category}”不是现行的廉政档案类别"]
    elif not scheme.has(category, subcategory):
        errors["subcategory"] = [f"“{subcategory}”不是“{scheme.category_name(category)}”下现行的子类"]
    if not title:
        errors["title"] = ["请填写标题"]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"标题至多 {TITLE_MAX} 个字"]
    if len(body) > BODY_MAX:
        errors["body"] = [f"内容至多 {BODY_MAX} 个字"]
    if occurred_on > clock.today():
        errors["occurred_on"] = ["发生日期不能晚于今天"]
    if source and (len(source) > 64 or not SOURCE.fullmatch(source)):
        errors["source"] = ["来源须写作“类型:编号”，如 audit:3"]
    if errors:
        raise BadArchiveEntry(detail={"fields": errors})
    # Lock the person's row: the same source pushed twice at once is written once.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if source:
        existing = ArchiveEntry.objects.filter(person=person, source=source).first()
        if existing is not None:
            return existing
    entry = ArchiveEntry.objects.create(
        person=person,
        category=category,
        subcategory=subcategory,
        occurred_on=occurred_on,
        sealed_content=sealing.seal({"title": title, "body": body}),
        source=source,
        recorded_by=by,
        recorded_at=clock.now(),
    )
    payload = {"person": person.username, "archive_category": category, "archive_subcategory": subcategory}
    if source:
        payload["archive_source"] = source
    ledger.record(
        events.ARCHIVE_ENTRY_ADDED.code,
        by=by,
        district=district_of(person),
        subject=entry.subject,
        payload=payload,
    )
    return entry


@transaction.atomic
def read_archive(*, by: Person, person: Person) -> archive.Archive:
    """The person's archive, assembled from their records (archive.py), named by the list in force. Every
    declaration and entry it opens is named in ONE ledger entry `checkup.archive_read` (the person reading
    their own archive too: the log is of reads, not of suspicion)."""
    if not rules.can_view(by, person):
        raise NotFound()
    opened: list[str] = []
    found: list[archive.Row] = []
    for declaration in selectors.latest_declarations(person):
        items = sealing.unseal(declaration.sealed_items)
        opened.append(declaration.subject)
        found += archive.declaration_rows(
            items,
            source=declaration.subject,
            on=clock.local_date(declaration.filed_at),
            year=declaration.year,
            version=declaration.version,
            risk_score=declaration.risk_score,
            check_codes=declaration.check_codes,
        )
    sittings = selectors.sittings_of(person)
    for sitting in sittings:
        taken = sittings[: sittings.index(sitting) + 1]
        found.append(
            archive.exam_row(
                source=sitting.subject,
                on=sitting.sat_on,
                attempt=sitting.attempt,
                score=sitting.score,
                pass_mark=sitting.pass_mark,
                disqualified=exam_status(taken) == ExamStatus.DISQUALIFIED and sitting.attempt == 2,
            )
        )
    for opinion in selectors.opinions_of(person):
        found.append(
            archive.opinion_row(
                source=opinion.subject, on=clock.local_date(opinion.issued_at), status=opinion.status
            )
        )
    for finding in findings_about(person, archive.SINCE):
        found.append(
            archive.finding_row(
                source=finding.subject,
                on=clock.local_date(finding.inspection.opened_at),
                title=finding.title,
                unit=finding.inspection.unit.name,
                severity=finding.severity,
                state=finding.state,
                deadline=finding.deadline,
                concerned=finding.concerns_id == person.pk,
            )
        )
    for entry in selectors.archive_entries_of(person, by):
        opened.append(entry.subject)
        found.append(
            archive.entry_row(
                source=entry.subject,
                on=entry.occurred_on,
                category=entry.category,
                subcategory=entry.subcategory,
                content=sealing.unseal(entry.sealed_content),
                origin=entry.source,
            )
        )
    ledger.record(
        events.ARCHIVE_READ.code,
        by=by,
        district=district_of(person),
        subject=f"person:{person.username}",
        payload={"person": person.username, "reader": by.username, "opened": opened},
    )
    return archive.assemble(selectors.archive_scheme_for(person), found)
