"""Ledger pages: checkpoints, verification status, entry search, an entry with its verified proof.

Any signed-in person sees the checkpoints and the verification status (they reveal no entry);
entries follow rules.py (commission admins: their districts; inspectors: their unit). Running a
verification or issuing a checkpoint from the page is for commission admins.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.core.errors import NotFound
from zhiheng.web import labels

from .. import events, merkle, rules, selectors, services, signing
from ..models import VerificationRun


@login_required
def index(request: HttpRequest) -> HttpResponse:
    filters = {
        "unit": request.GET.get("unit", "").strip()[:32],
        "subject": request.GET.get("subject", "").strip()[:128],
        "event_type": request.GET.get("type", "").strip()[:64],
    }
    visible = rules.visible_scope(request.user)
    entries = rules.list_entries_for(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = {t.code: t.label for t in events.all_types()}
    rows = list(page.object_list)
    # Batched sequencing: what is recorded but not yet in the tree is listed as such (待入账), first.
    pending = list(rules.list_pending_for(request.user)[:50]) if visible else []
    # Who, where and what by their names (one query per kind of reference for the whole page).
    shown: list[Any] = [*rows, *pending]
    texts = labels.subjects([*(e.subject for e in shown), *(f"unit:{e.unit}" for e in shown if e.unit)])
    who = labels.actors(e.actor for e in shown)
    for entry in shown:
        entry.label = names.get(entry.event_type, entry.event_type)
        entry.subject_label = texts.get(entry.subject, entry.subject)
        entry.unit_label = texts.get(f"unit:{entry.unit}", entry.unit)
        entry.actor_label = who.get(entry.actor, entry.actor)
    query = "&".join(
        f"{k}={v}"
        for k, v in (
            ("unit", filters["unit"]),
            ("subject", filters["subject"]),
            ("type", filters["event_type"]),
        )
        if v
    )
    return render(
        request,
        "ledger/index.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "may_read": bool(visible),
            "is_admin": rules.can_run_checks(request.user),
            "event_types": events.all_types(),
            "checkpoints": selectors.list_checkpoints()[:10],
            "tree_size": selectors.tree_size(),
            "pending": pending,
            "pending_count": selectors.pending_count(),
            "last_run": VerificationRun.objects.order_by("-id").first(),
            "key_id": signing.key_id(),
            "public_key": signing.public_bytes().hex(),
        },
    )


def _proof_context(request: HttpRequest, index: int) -> dict[str, Any]:
    entry = rules.get_entry_for(request.user, index)
    checkpoint = selectors.latest_checkpoint()
    context: dict[str, Any] = {"entry": entry, "checkpoint": checkpoint, "covered": False}
    if checkpoint is not None and index < checkpoint.size:
        proof = selectors.inclusion_proof(index, checkpoint.size)
        context.update(
            covered=True,
            proof=[h.hex() for h in proof],
            verified=merkle.verify_inclusion(
                index, checkpoint.size, merkle.leaf_hash(bytes(entry.data)), proof, bytes(checkpoint.root)
            )
            and services.signature_ok(selectors.checkpoint_row(checkpoint)),
        )
    return context


@login_required
def entry(request: HttpRequest, index: int) -> HttpResponse:
    try:
        context = _proof_context(request, index)
    except NotFound:
        if rules.awaiting_index(index):  # to be given to an entry already recorded: not yet, not "not found"
            return render(
                request, "ledger/pending.html", {"pending": None, "index": index, "status": "pending"}
            )
        raise
    entry = context["entry"]
    context["label"] = next((t.label for t in events.all_types() if t.code == entry.event_type), "")
    texts = labels.subjects([entry.subject, f"unit:{entry.unit}" if entry.unit else None])
    context["subject_label"] = texts.get(entry.subject, entry.subject)
    context["unit_label"] = texts.get(f"unit:{entry.unit}", entry.unit)
    context["actor_label"] = labels.actors([entry.actor]).get(entry.actor, entry.actor)
    context["payload"] = json.loads(entry.text).get("payload", {})
    return render(request, "ledger/entry.html", context)


@login_required
def pending(request: HttpRequest, pending: int) -> HttpResponse:
    """An entry by its pending id (batched sequencing): its page once integrated; until then says so."""
    status, index = rules.pending_status_for(request.user, pending)
    if index is not None:
        return redirect("ledger:entry", index)
    return render(request, "ledger/pending.html", {"pending": pending, "status": status})


@login_required
def proof(request: HttpRequest, index: int) -> HttpResponse:
    """htmx fragment: the entry's inclusion proof, verified on the server against the latest checkpoint."""
    return render(request, "ledger/entry.html#proof", _proof_context(request, index))


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponseRedirect:
    rules.ensure_can_run_checks(request.user)
    run = services.run_verification(by=request.user)
    if run.ok:
        messages.success(
            request, _("验证通过：%(n)s 条记录，%(c)s 个检查点") % {"n": run.entries, "c": run.checkpoints}
        )
    else:
        messages.error(request, _("验证失败：%(m)s") % {"m": run.message})
    return redirect("ledger:index")


@login_required
@require_POST
def checkpoint(request: HttpRequest) -> HttpResponseRedirect:
    rules.ensure_can_run_checks(request.user)
    cp = services.issue_checkpoint(reason="manual")
    messages.success(request, _("已签发检查点 #%(id)s（%(n)s 条）") % {"id": cp.pk, "n": cp.size})
    return redirect("ledger:index")
