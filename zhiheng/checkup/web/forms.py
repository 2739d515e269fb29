"""The commission's two forms on a candidate's page: an exam result (R-GATE-1) and an opinion (R-GATE-4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..states import OpinionStatus


class ExamForm(forms.Form):
    score = forms.DecimalField(
        label=_("成绩（满分100）"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )
    sat_on = forms.DateField(label=_("考试日期"), widget=forms.DateInput(attrs={"type": "date"}))


class OpinionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("意见"), choices=[(s.value, s.label) for s in OpinionStatus if s != OpinionStatus.NONE]
    )
    reasons = forms.CharField(
        label=_("理由"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
