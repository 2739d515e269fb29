"""廉政档案 pages (R-GATE-3): a person's archive — the timeline assembled from their records, newest first, by
category, 50 rows a page, with the count of each category — and the form on it by which the person's
commission writes an entry; and the page where a district's commission sets its list of categories.

The archive is the person's and their commission's (selectors.get_person_for: 404 to anyone else); each
view of it opens sealed declarations and entries and is ONE ledger entry (services.read_archive). The person
may read it and not write into it (403). Bad input keeps what was typed: the form or the list comes back
with the errors beside it (422), as a list still in use comes back with what keeps it (409)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.web import labels

from .. import archive, rules, selectors, services
from ..errors import ArchiveCodeInUse, BadArchiveEntry, BadArchiveScheme

PER_PAGE = 50


class ArchiveEntryForm(forms.Form):
    """An entry written by hand into a person's archive: where it is filed (one choice, grouped by
    category), when it happened, a title and what happened."""

    kind = forms.ChoiceField(label=gettext_lazy("类别 / 子类"))
    occurred_on = forms.DateField(
        label=gettext_lazy("发生日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("内容"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, scheme: archive.Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("请选择类别")),
            *[(c.name, [(f"{c.code}/{s.code}", s.name) for s in c.subcategories]) for c in scheme.categories],
        ]


# Where the service's field errors go on the form.
ENTRY_FIELDS = {"category": "kind", "subcategory": "kind", "occurred_on": "occurred_on", "title": "title"}


class SchemeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("类别和子类"),
        help_text=archive.SCHEME_HELP,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 34, "spellcheck": "false"}),
    )


def _links(who: Person, rows: list[archive.Shown]) -> list[dict[str, Any]]:
    """Each row with its source in words and, where the viewer can open it, a link."""
    names = labels.subjects([r.source for r in rows] + [r.origin for r in rows if r.origin])
    out = []
    for r in rows:
        kind, _sep, pk = r.source.partition(":")
        href = ""
        if kind == "declaration":
            href = reverse("checkup:declaration", args=[who.username, int(pk)])
        elif kind in ("exam", "opinion"):
            href = reverse("checkup:person", args=[who.username])
        out.append(
            {
                "row": r,
                "source": names.get(r.source, r.source),
                "href": href,
                "origin": names.get(r.origin, r.origin) if r.origin else "",
            }
        )
    return out


@login_required
def person_archive(request: PersonRequest, username: str) -> HttpResponse:
    """GET: the archive (one ledger read). POST: the commission writes an entry into it."""
    who = selectors.get_person_for(request.user, username)
    scheme = selectors.archive_scheme_for(who)
    status = 200
    if request.method == "POST":
        rules.ensure_can_judge(request.user, who, rule="R-GATE-3", action="在廉政档案中添加记录")
        form = ArchiveEntryForm(request.POST, scheme=scheme)
        if form.is_valid():
            category, _sep, subcategory = form.cleaned_data["kind"].partition("/")
            try:
                services.add_archive_entry(
                    by=request.user,
                    person=who,
                    category=category,
                    subcategory=subcategory,
                    occurred_on=form.cleaned_data["occurred_on"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except BadArchiveEntry as err:  # shown beside the fields, the input kept
                for name, problems in err.detail["fields"].items():
                    for problem in problems:
                        form.add_error(ENTRY_FIELDS.get(name), problem)
            else:
                messages.success(request, _("已记入廉政档案"))
                return redirect("checkup:archive", who.username)
        status = 422
    else:
        form = ArchiveEntryForm(scheme=scheme, initial={"occurred_on": clock.today()})
    shown = services.read_archive(by=request.user, person=who)
    category = request.GET.get("category") or ""
    page = Paginator(shown.of(category), PER_PAGE).get_page(request.GET.get("page"))
    top = max((n for _code, _name, n in shown.counts), default=0)
    return render(
        request,
        "checkup/archive.html",
        {
            "who": who,
            "page": page,
            "rows": _links(who, list(page)),
            "counts": shown.counts,
            "total": len(shown.rows),
            "top": top or 1,
            "category": category,
            "category_name": shown.scheme.category_name(category) if category else "",
            "form": form if rules.can_judge(request.user, who) else None,
        },
        status=status,
    )


@login_required
def archive_scheme(request: PersonRequest, code: str) -> HttpResponse:
    """The district's categories: the list in force as editable text, its versions, and the default."""
    district = selectors.get_archive_district_for(request.user, code)
    versions = list(selectors.archive_schemes_of(district))
    in_force = selectors.archive_scheme_of(district)
    errors: list[dict[str, Any]] = []
    in_use: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        form = SchemeForm(request.POST)
        if form.is_valid():
            try:
                scheme = archive.parse_text(form.cleaned_data["text"])
                row = services.set_archive_scheme(by=request.user, district=district, scheme=scheme)
            except BadArchiveScheme as err:  # every wrong line named beside the text, which is kept
                messages.error(request, err.message)
                errors, status = err.detail["lines"], 422
            except ArchiveCodeInUse as err:
                messages.error(request, err.message)
                in_use, status = err.detail["in_use"], 409
            else:
                if versions and row.pk == versions[0].pk:
                    messages.info(request, _("类别没有改动，未生成新版本"))
                else:
                    messages.success(request, _("已设置第 %(v)d 版廉政档案类别") % {"v": row.version})
                return redirect("checkup:archive_scheme", district.code)
        else:
            status = 422
    else:
        form = SchemeForm(initial={"text": in_force.as_text()})
    return render(
        request,
        "checkup/archive_scheme.html",
        {
            "district": district,
            "form": form,
            "errors": errors,
            "in_use": in_use,
            "scheme": in_force,
            "version": versions[0] if versions else None,
            "versions": versions,
            "sources": {f"{c}/{s}" for c, s in archive.SOURCE_PAIRS},
        },
        status=status,
    )
