"""The register's forms: they only shape the input; the services decide (422 R-GATE-6 / validation, whose
field errors are put back on the form so nothing typed is lost)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.web.forms import ErrorsFromRefusal

from ..states import DISCRETION, HARM, IMPORTANCE, PROBABILITY, RiskType


def _scale(choices: list[tuple[int, Any]]) -> list[tuple[int, str]]:
    return [(value, f"{value} · {label}") for value, label in choices]


class PointForm(ErrorsFromRefusal, forms.Form):
    power = forms.ChoiceField(label=_("职权"))
    description = forms.CharField(
        label=_("风险点描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    type = forms.ChoiceField(label=_("风险类型"), choices=RiskType.choices)
    importance = forms.TypedChoiceField(
        label=_("权力重要程度"), choices=_scale(IMPORTANCE), coerce=int, initial=3
    )
    discretion = forms.TypedChoiceField(
        label=_("自由裁量权大小"), choices=_scale(DISCRETION), coerce=int, initial=3
    )
    probability = forms.TypedChoiceField(
        label=_("发生概率"), choices=_scale(PROBABILITY), coerce=int, initial=3
    )
    harm = forms.TypedChoiceField(label=_("危害程度"), choices=_scale(HARM), coerce=int, initial=3)
    measures = forms.CharField(label=_("防控措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    owner = forms.ChoiceField(label=_("责任人"))
    review_due = forms.DateField(
        label=_("下次复核日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则按本区复核周期"),
    )
    reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("改变已公示风险点的等级时必填，连同原等级、新等级记入账本"),
    )

    def __init__(
        self,
        *args: Any,
        powers: list[tuple[str, str]],
        people: list[tuple[str, str]],
        editing: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["power"]).choices = [("", _("请选择职权")), *powers]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", _("请选择责任人")), *people]
        if editing:
            del self.fields["power"]
            del self.fields["review_due"]
        else:
            del self.fields["reason"]


class ReviewForm(ErrorsFromRefusal, forms.Form):
    note = forms.CharField(
        label=_("复核意见"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ErrorsFromRefusal, forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件"))
