"""The commission's two forms on a candidate's page: an exam result (R-GATE-1) and an opinion (R-GATE-4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import papers
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


DEFAULT_BLUEPRINT = "\n".join(f"{c},{d},{n}" for (c, d), n in papers.DEFAULT_BLUEPRINT.items())


class PaperForm(forms.Form):
    """The blueprint of a candidate's paper, one line per cell: 类别,难度,数量."""

    blueprint = forms.CharField(
        label=_("组卷规则（每行：类别,难度,数量）"),
        initial=DEFAULT_BLUEPRINT,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_blueprint(self) -> dict[tuple[str, int], int]:
        cells: dict[tuple[str, int], int] = {}
        for number, line in enumerate(self.cleaned_data["blueprint"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3 or not parts[0] or parts[1] not in {"1", "2", "3"} or not parts[2].isdigit():
                raise forms.ValidationError(
                    _("第 %(n)d 行应为“类别,难度(1-3),数量”") % {"n": number}, code="blueprint"
                )
            key = (parts[0], int(parts[1]))
            cells[key] = cells.get(key, 0) + int(parts[2])
        if not any(cells.values()):
            raise forms.ValidationError(_("组卷规则不能为空"), code="blueprint")
        return cells
