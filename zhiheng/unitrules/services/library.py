"""The district's library of model rules 制度范本 (R-PIL-2): the commission admins add, edit and withdraw them;
units adopt them (versions.adopt_model). Every write is one ledger entry with the text's digest; an edit
bumps the model's version (a unit's adopted rule records the version it came from); nothing is deleted."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org.models import District
from zhiheng.powers.models import Category

from .. import events, rules, states
from ..errors import DuplicateCode
from ..models import ModelRule, clean_body
from .adoption import check_text


def _record(model: ModelRule, event: str, *, by: Person | None, **extra: Any) -> None:
    ledger.record(
        event,
        by=by,
        district=model.district.code,
        subject=model.subject,
        payload={
            "model": model.code,
            "version": model.version,
            "title": model.title,
            "group": model.group,
            "categories": sorted(c.code for c in model.categories.all()),
            "status": model.status,
            "content": model.digest(),
            **extra,
        },
    )


@transaction.atomic
def create_model(
    *,
    by: Person | None,
    district: District,
    code: str,
    title: str,
    body: str,
    group: str = "",
    categories: list[Category] | None = None,
) -> ModelRule:
    """R-PIL-2: a commission admin adds a model rule to the district's library."""
    rules.ensure_library(by, district)
    code, title, group, body = code.strip(), title.strip(), group.strip(), clean_body(body)
    check_text(code=code, title=title, body=body, group=group)
    try:
        with transaction.atomic():
            model = ModelRule.objects.create(
                district=district, code=code, title=title, body=body, group=group, created_by=by
            )
    except IntegrityError:
        raise DuplicateCode(detail={"code": code, "fields": {"code": ["编号已被使用"]}}) from None
    model.categories.set(categories or [])
    _record(model, events.MODEL_CREATED.code, by=by)
    return model


@transaction.atomic
def edit_model(
    *,
    by: Person | None,
    model: ModelRule,
    title: str | None = None,
    body: str | None = None,
    group: str | None = None,
    categories: list[Category] | None = None,
) -> ModelRule:
    """R-PIL-2: a commission admin edits a model (a new version of it; rules adopted from it keep theirs)."""
    model = ModelRule.objects.select_for_update().select_related("district").get(pk=model.pk)
    rules.ensure_library(by, model.district, model)
    states.next_state(model.status, "edit_model")
    before = (model.title, model.body, model.group, set(model.categories.values_list("pk", flat=True)))
    model.title = model.title if title is None else title.strip()
    model.body = model.body if body is None else clean_body(body)
    model.group = model.group if group is None else group.strip()
    check_text(title=model.title, body=model.body, group=model.group)
    wanted = before[3] if categories is None else {c.pk for c in categories}
    if (model.title, model.body, model.group, wanted) == before:
        raise Invalid("validation", "范本未作修改", {"fields": {"body": ["未作修改"]}})
    model.version += 1
    model.save()
    if categories is not None:
        model.categories.set(categories)
    _record(model, events.MODEL_CHANGED.code, by=by)
    return model


@transaction.atomic
def withdraw_model(*, by: Person | None, model: ModelRule, reason: str = "") -> ModelRule:
    """R-PIL-2: a commission admin withdraws a model 停用 (units' rules adopted from it are theirs and stay)."""
    model = ModelRule.objects.select_for_update().select_related("district").get(pk=model.pk)
    rules.ensure_library(by, model.district)
    model.status = states.next_state(model.status, "withdraw_model")
    model.withdrawn_at = clock.now()
    model.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _record(model, events.MODEL_WITHDRAWN.code, by=by, reason=reason.strip())
    return model
