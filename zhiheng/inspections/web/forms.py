"""The check pages' forms: they only shape the input; the services decide (and refuse with 422 R-SUP-2,
whose field errors are put back on the form so nothing typed is lost)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.web.forms import ErrorsFromRefusal

from ..states import Severity


class OpenForm(ErrorsFromRefusal, forms.Form):
    unit = forms.ChoiceField(label=_("被检查单位"))
    days = forms.IntegerField(
        label=_("授权天数"),
        min_value=1,
        required=False,
        help_text=_("留空则按该单位的督察检查规则"),
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], days: int | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("请选择单位")), *units]
        self.fields["days"].initial = days


class FindingForm(ErrorsFromRefusal, forms.Form):
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(
        label=_("问题说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rule = forms.CharField(
        label=_("违反规则"), max_length=16, required=False, help_text=_("所违反规则的编号，如 R-MAT-3")
    )
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, initial=Severity.MEDIUM)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ChoiceField(label=_("整改责任人"))
    evidence = forms.MultipleChoiceField(
        label=_("证据（抽样记录）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, team: list[tuple[str, str]], evidence: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["owner"]).choices = team
        cast(forms.ChoiceField, self.fields["evidence"]).choices = evidence

    def evidence_rows(self) -> list[dict[str, Any]]:
        """ "matter:12" → {"kind": "matter", "id": 12}, as the service stores evidence."""
        rows = []
        for ref in self.cleaned_data.get("evidence") or []:
            kind, _sep, pk = ref.partition(":")
            rows.append({"kind": kind, "id": int(pk)})
        return rows


class AnswerForm(ErrorsFromRefusal, forms.Form):
    response = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class AcceptForm(ErrorsFromRefusal, forms.Form):
    note = forms.CharField(label=_("验收意见"), required=False, max_length=4000)


class ReturnForm(ErrorsFromRefusal, forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=4000)


class CloseForm(ErrorsFromRefusal, forms.Form):
    conclusion = forms.CharField(
        label=_("检查结论"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
