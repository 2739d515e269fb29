"""The public pages of the reporting channel (R-SUP-3): the report form and the follow-up, for anyone
without an account. They work without JavaScript and set no cookie: no session is touched, no CSRF token is
issued (a forged cross-site submission of an anonymous, unauthenticated form gains an attacker nothing they
could not do by submitting it themself, so these two views are exempt), and the receipt and passphrase are
shown once, in the answer to the POST, never kept in a session or a URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from zhiheng.accounts.signin import request_address
from zhiheng.core.errors import DomainError, NotFound
from zhiheng.org.models import District, Unit

from .. import receipts, services, throttle


class ReportForm(forms.Form):
    district = forms.ModelChoiceField(
        District.objects.order_by("code"), label=_("受理的区"), to_field_name="code", required=False
    )
    unit = forms.ModelChoiceField(
        Unit.objects.select_related("district").order_by("district__code", "code"),
        label=_("被举报单位"),
        to_field_name="code",
        required=False,
    )
    person = forms.CharField(label=_("被举报人（用户名，可不填）"), required=False, max_length=150)
    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    anonymous = forms.BooleanField(label=_("匿名举报"), required=False, initial=True)
    name = forms.CharField(label=_("姓名（实名举报时填写，加密保存）"), required=False, max_length=100)
    contact = forms.CharField(label=_("联系方式（可不填，加密保存）"), required=False, max_length=200)
    passphrase = forms.CharField(
        label=_("自设密码（至少 10 个字符；不填则由系统生成）"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class FollowUpForm(forms.Form):
    receipt = forms.CharField(
        label=_("查询码"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    passphrase = forms.CharField(
        label=_("密码"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=True),
    )
    body = forms.CharField(label=_("答复或补充"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], error: DomainError
) -> HttpResponse:
    """429 on the public page itself (the shared refusal page would issue a CSRF cookie)."""
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(error.detail.get("retry_after", 60))
    return response


def _form_errors(form: forms.Form, error: DomainError) -> None:
    for field, problems in error.detail.get("fields", {}).items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if not error.detail.get("fields"):
        form.add_error(None, error.message)


@csrf_exempt
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = request_address(request)
        try:
            throttle.ensure_allowed("submit", address)
            throttle.count("submit", address)  # every attempt counts: refused input too
            given = services.receive(
                by=None,
                channel="web",
                subject=data["subject"],
                body=data["body"],
                unit=data["unit"].code if data["unit"] else None,
                district=data["district"].code if data["district"] else None,
                person=data["person"] or None,
                anonymous=data["anonymous"],
                name=data["name"],
                contact=data["contact"],
                passphrase=data["passphrase"],
            )
        except DomainError as error:  # bad input or too many attempts, shown in the form itself
            _form_errors(form, error)
            if error.status == 429:
                return _too_many(request, "reports/report_form.html", {"form": form}, error)
        else:
            return render(
                request,
                "reports/receipt.html",
                {
                    "receipt": given.receipt,
                    "passphrase": given.passphrase,
                    "bits": int(receipts.entropy_bits()),
                },
                status=201,
            )
    return render(request, "reports/report_form.html", {"form": form}, status=422 if form.errors else 200)


@csrf_exempt
@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST or None)
    talk = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.open_report(
                receipt=data["receipt"], passphrase=data["passphrase"], address=request_address(request)
            )
            if data["body"].strip():
                services.write_as_reporter(report=found, body=data["body"])
            talk = services.conversation(found)
            form = FollowUpForm(initial={"receipt": data["receipt"], "passphrase": data["passphrase"]})
        except NotFound:
            form.add_error(None, _("查询码或密码不正确。"))
        except DomainError as error:  # bad input or too many attempts, shown in the form itself
            _form_errors(form, error)
            if error.status == 429:
                return _too_many(request, "reports/follow_up.html", {"form": form, "talk": None}, error)
    status = 404 if form.errors and talk is None and request.method == "POST" else 200
    return render(request, "reports/follow_up.html", {"form": form, "talk": talk}, status=status)
