"""The unit rules' forms: they only shape the input; the services decide (R-PIL-2 refusals and validation
errors with fields are put back on the form, so nothing typed is lost)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.meetings.models import Item
from zhiheng.web.forms import ErrorsFromRefusal


def item_choices(items: list[Item]) -> list[tuple[str, str]]:
    return [
        (
            f"{i.meeting_id}:{i.pk}",
            f"{i.meeting.date:%Y-%m-%d} {i.meeting} · {_('议题')}{i.number}：{i.title}",
        )
        for i in items
    ]


class AdoptionFields(ErrorsFromRefusal, forms.Form):
    """The decision that adopted (or repealed) a rule: a passed item of a sealed meeting of the unit, or —
    for a rule adopted before the unit joined the system — a date alone."""

    field_aliases = {"meeting": "adoption", "item": "adoption"}
    adoption = forms.ChoiceField(
        label=_("通过该制度的会议议题"),
        required=False,
        help_text=_("本单位已封存会议上获通过的议题；系统启用前通过的制度留空并填写通过日期"),
    )
    adopted = forms.DateField(
        label=_("通过日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("有会议时即为会议日期"),
    )

    def __init__(self, *args: Any, items: list[Item], legacy: bool = True, **kw: Any) -> None:
        super().__init__(*args, **kw)
        blank = [("", _("（系统启用前通过，无会议）"))] if legacy else [("", _("请选择"))]
        cast(forms.ChoiceField, self.fields["adoption"]).choices = [*blank, *item_choices(items)]
        if not legacy:
            del self.fields["adopted"]

    def adoption_kwargs(self) -> dict[str, Any]:
        chosen = self.cleaned_data.get("adoption") or ""
        meeting, _sep, item = chosen.partition(":")
        return {
            "meeting": int(meeting) if meeting else None,
            "item": int(item) if item else None,
            **({"adopted": self.cleaned_data.get("adopted")} if "adopted" in self.fields else {}),
        }


class RuleForm(AdoptionFields):
    code = forms.SlugField(label=_("制度编号"), max_length=32)
    group = forms.CharField(label=_("分组"), max_length=64, required=False)
    title = forms.CharField(label=_("标题"), max_length=128)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50000)
    powers = forms.MultipleChoiceField(
        label=_("所涉职权"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("修订说明"), max_length=4000, required=False)
    field_order = ["code", "group", "title", "body", "powers", "adoption", "adopted", "note"]

    def __init__(self, *args: Any, powers: list[tuple[str, str]], revising: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.MultipleChoiceField, self.fields["powers"]).choices = powers
        if revising:
            del self.fields["code"]
        else:
            del self.fields["note"]


class AdoptForm(AdoptionFields):
    model = forms.ChoiceField(label=_("制度范本"))
    code = forms.CharField(
        label=_("本单位制度编号"), max_length=32, required=False, help_text=_("留空则用范本编号")
    )
    field_order = ["model", "code", "adoption", "adopted"]

    def __init__(self, *args: Any, models: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["model"]).choices = [("", _("请选择范本")), *models]


class RepealForm(AdoptionFields):
    reason = forms.CharField(label=_("废止理由"), max_length=4000, required=False)


class ModelForm(ErrorsFromRefusal, forms.Form):
    code = forms.SlugField(label=_("范本编号"), max_length=32)
    group = forms.CharField(label=_("分组"), max_length=64, required=False)
    title = forms.CharField(label=_("标题"), max_length=128)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}), max_length=50000)
    categories = forms.MultipleChoiceField(
        label=_("适用职权类别"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, categories: list[tuple[str, str]], editing: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = categories
        if editing:
            del self.fields["code"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))
