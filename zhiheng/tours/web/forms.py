"""The tours' forms: they only shape the input; the services decide (422 R-GATE-5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.web.forms import ErrorsFromRefusal

from ..parameters import LISTS, NUMBERS


class OpenForm(forms.Form):
    title = forms.CharField(label=_("巡察名称"), max_length=200)
    units = forms.MultipleChoiceField(label=_("被巡察单位"), widget=forms.CheckboxSelectMultiple)
    team = forms.MultipleChoiceField(label=_("巡察组成员"), widget=forms.CheckboxSelectMultiple)
    started_on = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: object, units: list[tuple[str, str]], team: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["units"].choices = units  # type: ignore[attr-defined]
        self.fields["team"].choices = team  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=4000)


class OpinionsForm(forms.Form):
    way = forms.CharField(label=_("了解情况方式"), max_length=40)
    count = forms.IntegerField(label=_("意见条数"), min_value=1, initial=1)
    unit = forms.CharField(label=_("涉及单位"), required=False, max_length=32)
    summary = forms.CharField(
        label=_("内容摘要"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    collected_on = forms.DateField(
        label=_("收集日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RectifyForm(forms.Form):
    unit = forms.CharField(label=_("被巡察单位"), max_length=32)
    title = forms.CharField(label=_("整改问题"), max_length=200)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))


class LeadForm(forms.Form):
    unit = forms.CharField(label=_("被巡察单位"), max_length=32)
    summary = forms.CharField(label=_("线索摘要"), max_length=8000, widget=forms.Textarea(attrs={"rows": 2}))
    case = forms.IntegerField(label=_("并入案件编号"), required=False, min_value=1)


class AnswerForm(forms.Form):
    response = forms.CharField(label=_("整改情况"), max_length=8000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    evidence = forms.CharField(label=_("销号依据"), max_length=8000, widget=forms.Textarea(attrs={"rows": 2}))
    closed_on = forms.DateField(
        label=_("销号日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _one_a_line(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 9}), help_text=_("每行一个名称，按顺序")
    )


class MethodForm(ErrorsFromRefusal, forms.Form):
    """The district's tour method (parameter set "tours"): the three lists one name a line, the two
    numbers; the parameter set's `clean` judges them (422)."""

    steps = _one_a_line(LISTS["steps"])
    ways = _one_a_line(LISTS["ways"])
    measures = _one_a_line(LISTS["measures"])
    due_soon_days = forms.IntegerField(label=NUMBERS["due_soon_days"][0])
    backdate_days = forms.IntegerField(label=NUMBERS["backdate_days"][0])

    def take(self, refusal: Invalid) -> None:
        """A parameter set names the fields in its refusal's detail directly ({key: message})."""
        if "fields" not in refusal.detail:
            refusal = Invalid(refusal.rule, refusal.message, {"fields": refusal.detail})
        super().take(refusal)

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        return {
            key: "\n".join(v) if key in LISTS else v
            for key, v in values.items()
            if key in MethodForm.base_fields
        }
