"""The programme pages' forms: they only shape the input; the services decide (R-PIL-1 refusals, whose
field errors a form puts back on itself so nothing typed is lost)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.web.forms import ErrorsFromRefusal

from ..states import PhaseName

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class CreateForm(ErrorsFromRefusal, forms.Form):
    name = forms.CharField(label=_("试点名称"), max_length=120)
    units = forms.MultipleChoiceField(
        label=_("试点单位"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "units", units)


class UnitForm(ErrorsFromRefusal, forms.Form):
    unit = forms.ChoiceField(label=_("单位"))

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "unit", [("", _("请选择单位")), *units])


class PhaseForm(ErrorsFromRefusal, forms.Form):
    name = forms.ChoiceField(label=_("阶段"), choices=PhaseName.choices)
    start = forms.DateField(
        label=_("起始日期"),
        widget=DATE,
        help_text=_("不早于今天；动员教育、制定制度、正式实施的日期依次递增"),
    )


class VisitForm(ErrorsFromRefusal, forms.Form):
    on = forms.DateField(label=_("督查日期"), widget=DATE)
    units = forms.MultipleChoiceField(label=_("督查单位"), widget=forms.CheckboxSelectMultiple)
    visitors = forms.CharField(label=_("督查人员"), max_length=200)
    findings = forms.CharField(
        label=_("督查记录"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "units", units)


class RolloutForm(ErrorsFromRefusal, forms.Form):
    on = forms.DateField(label=_("全面推开日期"), widget=DATE, help_text=_("晚于正式实施日期，不早于今天"))
    template = forms.ChoiceField(
        label=_("政策模板"),
        required=False,
        help_text=_("尚未执行政策的单位自推开日期起采用；留空则采用试点单位的模板"),
    )

    def __init__(self, *args: Any, templates: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        _choices(self, "template", [("", _("与试点单位相同")), *templates])
