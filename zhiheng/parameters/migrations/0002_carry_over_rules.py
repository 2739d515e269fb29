"""Carry the matter rules (matters.MatterRules) and the meeting rules (meetings.MeetingRules) over to dated
parameter versions, before those tables are dropped (matters 0003, meetings 0007).

History comes from the ledger: every "matter.rules_set" / "meeting.rules_set" entry becomes the version it
recorded (its "after", in force from its date, set by its actor, with its index). A scope whose last
recorded values differ from its row today (a row written without a ledger entry: fixtures, older code)
gets one more version with the row's values, dated the row's last change. Reversing writes each scope's
latest values back to a row.
"""

import json
from decimal import Decimal

from django.db import migrations

from zhiheng.core import clock

MATTER_MONEY = ("collective_threshold", "construction_threshold", "cosign_threshold", "penalty_review_over")
MATTER_LISTS = ("cosign_kinds", "joint_review_kinds", "cosign_roles", "major_kinds", "major_powers", "major_keywords")


def _yuan(value):
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _matter_row_values(row):
    values = {f: _yuan(getattr(row, f)) for f in MATTER_MONEY}
    values |= {f: getattr(row, f) for f in MATTER_LISTS}
    if row.unit_id:
        values["legal_officer"] = row.legal_officer_id
    return values


def _meeting_row_values(row):
    return {
        "quorum": {"num": row.quorum_num, "den": row.quorum_den, "strict": row.quorum_strict},
        "personnel_quorum": {
            "num": row.personnel_quorum_num,
            "den": row.personnel_quorum_den,
            "strict": row.personnel_quorum_strict,
        },
        "blind_statements": row.blind_statements,
        "record_window": {"past_days": row.past_days, "future_days": row.future_days},
    }


def _set(values):
    """The fields a version sets (None and absent both inherit)."""
    return None if values is None else {k: v for k, v in values.items() if v is not None}


def carry_over(apps, schema_editor):
    Version = apps.get_model("parameters", "ParameterVersion")
    Entry = apps.get_model("ledger", "Entry")
    Person = apps.get_model("accounts", "Person")
    Unit = apps.get_model("org", "Unit")
    District = apps.get_model("org", "District")
    people = {}

    def person_id(username):
        if username and username not in people:
            people[username] = Person.objects.filter(username=username).values_list("pk", flat=True).first()
        return people.get(username) if username else None

    def scope_of(subject):
        """"matter-rules:unit:CODE" → (district id, unit id); "…:district:CODE" → (district id, None)."""
        _prefix, kind, code = ([*subject.split(":", 2), "", ""])[:3]
        if kind == "unit":
            return Unit.objects.filter(code=code).values_list("district_id", "pk").first()
        if kind == "district":
            district = District.objects.filter(code=code).values_list("pk", flat=True).first()
            return (district, None) if district else None
        return None

    sets = [
        ("matters", "matter.rules_set", apps.get_model("matters", "MatterRules"), _matter_row_values),
        ("meetings", "meeting.rules_set", apps.get_model("meetings", "MeetingRules"), _meeting_row_values),
    ]
    for namespace, event, Rows, row_values in sets:
        last = {}
        for entry in Entry.objects.filter(event_type=event).order_by("index"):
            scope = scope_of(entry.subject)
            if scope is None:
                continue
            payload = json.loads(bytes(entry.data).decode()).get("payload", {})
            after = payload.get("after")
            if after is not None:
                after = dict(after)
                if "legal_officer" in after:  # matters' entries name the legal officer by username
                    after["legal_officer"] = person_id(after["legal_officer"])
            day = payload.get("effective_from") or clock.local_date(entry.recorded_at).isoformat()
            Version.objects.create(
                namespace=namespace,
                district_id=scope[0],
                unit_id=scope[1],
                values=after,
                in_force_from=day,
                set_by_id=person_id(entry.actor),
                created_at=entry.recorded_at,
                ledger_index=entry.index,
            )
            last[scope] = after
        for row in Rows.objects.select_related("unit"):
            scope = (row.unit.district_id, row.unit_id) if row.unit_id else (row.district_id, None)
            values = row_values(row)
            if _set(last.get(scope)) != _set(values):
                Version.objects.create(
                    namespace=namespace,
                    district_id=scope[0],
                    unit_id=scope[1],
                    values=values,
                    in_force_from=clock.local_date(row.updated_at),
                    created_at=row.updated_at,
                )


def carry_back(apps, schema_editor):
    Version = apps.get_model("parameters", "ParameterVersion")
    MatterRules = apps.get_model("matters", "MatterRules")
    MeetingRules = apps.get_model("meetings", "MeetingRules")
    latest = {}
    for v in Version.objects.order_by("in_force_from", "pk"):
        latest[(v.namespace, v.district_id, v.unit_id)] = v.values
    for (namespace, district_id, unit_id), values in latest.items():
        if values is None:
            continue
        if namespace == "matters":
            scope = {"unit_id": unit_id} if unit_id else {"district_id": district_id}
            fields = {f: values.get(f) for f in (*MATTER_MONEY, *MATTER_LISTS)}
            MatterRules.objects.create(**scope, **fields, legal_officer_id=values.get("legal_officer"))
        elif namespace == "meetings":
            q, pq, w = values["quorum"], values["personnel_quorum"], values["record_window"]
            MeetingRules.objects.create(
                district_id=district_id,
                unit_id=unit_id,
                quorum_num=q["num"],
                quorum_den=q["den"],
                quorum_strict=q["strict"],
                personnel_quorum_num=pq["num"],
                personnel_quorum_den=pq["den"],
                personnel_quorum_strict=pq["strict"],
                blind_statements=values["blind_statements"],
                past_days=w["past_days"],
                future_days=w["future_days"],
            )
    Version.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("parameters", "0001_initial"),
        ("ledger", "0003_entry_district"),
        ("matters", "0002_frozen_restriction_and_major_rules"),
        ("meetings", "0006_sealed_rows_guard"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
