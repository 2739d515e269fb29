"""The public pages of the reporting channel (R-SUP-3): the report form and the follow-up, for anyone
without an account. They work without JavaScript and set no cookie: no session is touched, no CSRF token is
issued (a forged cross-site submission of an anonymous, unauthenticated form gains an attacker nothing they
could not do by submitting it themself, so these two views are exempt), and the receipt and passphrase are
shown once, in the answer to the POST, never kept in a session or a URL.

Files (R-SUP-3, issue 17) are read into memory only (`MemoryOnlyUploads`: never spooled to a temporary file on
disk, where the reporter's original would lie in clear), scrubbed and sealed by the services. A refused file
re-renders the form with everything typed kept — only the file inputs are empty, as browsers cannot refill
them, and the message says so."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from zhiheng.accounts.signin import request_address
from zhiheng.core import clock
from zhiheng.core.errors import DomainError, NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, District, Membership, Role, Unit

from .. import receipts, scrubbing, services, throttle


class MemoryOnlyUploads(FileUploadHandler):
    """Keeps each uploaded file in memory, and at most one byte past the size limit (the services refuse
    it as too large): nothing of the reporter's file reaches the disk in clear. Files past the per-submission
    count are kept empty, for the services to refuse the count."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.files = 0
        self.buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.files += 1
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = scrubbing.MAX_BYTES + 1 - self.buffer.tell()
        if room > 0 and self.files <= scrubbing.MAX_FILES_AT_ONCE:
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size: int) -> UploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.buffer.getbuffer().nbytes,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (none required)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


FILES_HELP = _(
    "可上传 JPEG、PNG、WebP、GIF 图片，PDF，Word、Excel、PowerPoint 文件和 UTF-8 文本，每次至多 5 个、每个不超过 "
    "10 MB。提交前系统会清除文件中可能暴露您身份的信息（作者、拍摄设备、GPS 位置等元数据），文件名不会保留，"
    "办案人员只看到“附件1”这样的名称；但文件内容本身（照片拍到的场景、文中的字句）可能仍能指向您，请自行斟酌。"
)
KEEP_LABEL = _("同意保留原始文件（仅供办案人员核实，默认不保留）")
KEEP_HELP = _(
    "原始文件（含元数据和文件名）加密保存，仅本案指定的承办人写明理由后才能查看，每次查看记入账本。"
)


def _uploads(files: list[UploadedFile]) -> list[services.Upload]:
    return [services.Upload.of(item) for item in files]


def _memory_only(request: HttpRequest) -> None:
    """Before the body is read: uploads stay in memory (the views are CSRF-exempt, so nothing read it yet)."""
    request.upload_handlers = [MemoryOnlyUploads(request)]


def _leaders() -> list[tuple[str, Any]]:
    """The people a citizen may name: each active unit's leadership team today (一把手, 副职, 纪检组长 —
    public through the division plan the unit discloses), grouped by unit; never its staff."""
    rows = (
        org.current(Membership.objects.filter(role__in=TEAM_ROLES, unit__is_active=True), clock.today())
        .select_related("unit", "person")
        .order_by("unit__district__code", "unit__code", "role", "person__username")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in rows:
        groups.setdefault(m.unit.name, []).append(
            (m.person.username, f"{m.person.name}（{Role(m.role).label}）")
        )
    return [("", _("不指明个人")), *groups.items()]


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.objects.select_related("district").order_by("district__code", "code"),
        label=_("被举报单位"),
        to_field_name="code",
        required=False,
        empty_label=_("—— 请选择单位 ——"),
    )
    person = forms.ChoiceField(label=_("被举报人（可不选）"), required=False)
    district = forms.ModelChoiceField(
        District.objects.order_by("code"),
        label=_("受理的区"),
        to_field_name="code",
        required=False,
        empty_label=_("—— 按所选单位或人员确定 ——"),
        help_text=_("只有在不指明单位或人员时才需要选择。"),
    )
    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("举报内容"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000)
    anonymous = forms.BooleanField(label=_("匿名举报"), required=False, initial=True)
    name = forms.CharField(label=_("姓名（实名举报时填写，加密保存）"), required=False, max_length=100)
    contact = forms.CharField(label=_("联系方式（可不填，加密保存）"), required=False, max_length=200)
    passphrase = forms.CharField(
        label=_("自设密码（至少 10 个字符；不填则由系统生成）"),
        required=False,
        max_length=200,
        # render_value: a refused submission comes back with the passphrase the reporter chose still filled
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    attachments = FilesField(label=_("附件（可不上传）"), help_text=FILES_HELP)
    keep_originals = forms.BooleanField(label=KEEP_LABEL, required=False, initial=False, help_text=KEEP_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _leaders()  # type: ignore[attr-defined]


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
    attachments = FilesField(label=_("补充附件（可不上传）"), help_text=FILES_HELP)
    keep_originals = forms.BooleanField(label=KEEP_LABEL, required=False, initial=False, help_text=KEEP_HELP)


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], error: DomainError
) -> HttpResponse:
    """429 on the public page itself (the shared refusal page would issue a CSRF cookie)."""
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(error.detail.get("retry_after", 60))
    return response


REFILL = _("其他填写的内容已保留；浏览器无法保留已选择的文件，请重新选择附件。")


def _form_errors(form: forms.Form, error: DomainError) -> None:
    fields = error.detail.get("fields", {})
    for field, problems in fields.items():
        name = "attachments" if field == "files" else field  # the services' name for the files
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    if not fields:
        form.add_error(None, error.message)


def _refill_note(form: forms.Form) -> None:
    """A form re-rendered after files were chosen: the browser cannot refill the file input — say so."""
    if form.files and form.errors and REFILL not in form.errors.get("attachments", []):
        form.add_error("attachments", REFILL)


@csrf_exempt
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    _memory_only(request)
    form = ReportForm(request.POST or None, request.FILES or None)
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
                files=_uploads(data["attachments"]),
                keep_originals=data["keep_originals"],
            )
        except DomainError as error:  # bad input or too many attempts, shown in the form itself
            _form_errors(form, error)
            _refill_note(form)
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
                    "attached": len(data["attachments"]),
                },
                status=201,
            )
    _refill_note(form)
    return render(request, "reports/report_form.html", {"form": form}, status=422 if form.errors else 200)


@csrf_exempt
@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    _memory_only(request)
    form = FollowUpForm(request.POST or None, request.FILES or None)
    talk, status, attached, sent = None, 200, 0, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = None
        try:
            found = services.open_report(
                receipt=data["receipt"], passphrase=data["passphrase"], address=request_address(request)
            )
            if data["body"].strip() or data["attachments"]:
                services.write_as_reporter(
                    report=found,
                    body=data["body"],
                    files=_uploads(data["attachments"]),
                    keep_originals=data["keep_originals"],
                )
            attached = len(data["attachments"])  # written: say so on the page
            sent = bool(data["body"].strip())
            talk = services.conversation(found)
            form = FollowUpForm(initial={"receipt": data["receipt"], "passphrase": data["passphrase"]})
        except NotFound:
            form.add_error(None, _("查询码或密码不正确。"))
            status = 404
        except DomainError as error:  # bad input or too many attempts, shown in the form itself
            _form_errors(form, error)
            _refill_note(form)
            if error.status == 429:
                return _too_many(request, "reports/follow_up.html", {"form": form, "talk": None}, error)
            # the pair was right: the conversation stays in view, with what they typed kept in the form
            talk, status = (services.conversation(found) if found is not None else None), error.status
    elif request.method == "POST":  # no receipt or passphrase: as a wrong pair
        _refill_note(form)
        status = 404
    return render(
        request,
        "reports/follow_up.html",
        {"form": form, "talk": talk, "attached": attached, "sent": sent},
        status=status,
    )
