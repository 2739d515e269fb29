"""Forms check the shape of input; the services enforce R-MTG."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.accounts.models import Person
from zhiheng.matters.models import Matter
from zhiheng.meetings.models import Candidate, MeetingKind, Position
from zhiheng.powers.models import Category


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    date = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("会议名称"), max_length=128, required=False)
    category = forms.ChoiceField(label=_("工作小组类别"), required=False, help_text=_("仅工作小组会议填写"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A choice among the power categories (posted as the category's code, as the service expects).
        categories = Category.objects.order_by("sort", "code").values_list("code", "name")
        _set_choices(self, "category", [("", "——"), *categories])


class ItemForm(forms.Form):
    matter = forms.TypedChoiceField(label=_("待集体决策事项"), required=False, coerce=int, empty_value=None)
    title = forms.CharField(
        label=_("议题名称"), max_length=200, required=False, help_text=_("关联事项时可留空")
    )
    presenter = forms.ChoiceField(label=_("汇报的分管副职"), required=False)
    candidates = forms.CharField(
        label=_("候选人"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("人事议题：每行一名候选人；本区人员填写账号，外部人选填写姓名"),
    )
    personnel = forms.BooleanField(label=_("人事议题"), required=False)

    def __init__(
        self, *args: Any, matters: Iterable[Matter] = (), deputies: Iterable[Person] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self,
            "matter",
            [
                ("", _("—— 自由议题 ——")),
                *((m.pk, f"#{m.pk} {m.title}（{m.get_state_display()}）") for m in matters),
            ],
        )
        _set_choices(self, "presenter", [("", "——"), *((p.username, p.name) for p in deputies)])


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(label=_("出席"), required=False, widget=forms.CheckboxSelectMultiple)
    observers = forms.CharField(
        label=_("列席人员用户名"),
        required=False,
        help_text=_("多个用户名以空格或逗号分隔（受邀代表、督察组等）"),
    )

    def __init__(self, *args: Any, people: Iterable[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "present", [(p.username, p.name) for p in people])


class StatementForm(forms.Form):
    position = forms.ChoiceField(
        label=_("表态"), choices=Position.choices, widget=forms.RadioSelect, required=False
    )
    candidate = forms.ChoiceField(label=_("最合适的人选"), required=False)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, candidates: Iterable[Candidate] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "candidate", [("", "——"), *((c.name, c.name) for c in candidates)])


class RecommendationForm(forms.Form):
    candidate = forms.ChoiceField(label=_("候选人"))
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, candidates: Iterable[Candidate] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "candidate", [(c.name, c.name) for c in candidates])


class RulesForm(forms.Form):
    """The shape of meeting rules (R-MTG-2/3); meetings/parameters.py validates the shares (422 R-MTG-2)."""

    quorum_num = forms.IntegerField(label=_("法定人数：分子"), min_value=0)
    quorum_den = forms.IntegerField(label=_("法定人数：分母"), min_value=1)
    quorum_strict = forms.BooleanField(label=_("须超过（而非达到）"), required=False)
    personnel_quorum_num = forms.IntegerField(label=_("人事议题法定人数：分子"), min_value=0)
    personnel_quorum_den = forms.IntegerField(label=_("人事议题法定人数：分母"), min_value=1)
    personnel_quorum_strict = forms.BooleanField(label=_("人事议题须超过（而非达到）"), required=False)
    blind_statements = forms.BooleanField(label=_("背靠背表态"), required=False)
    # Optional: left empty, the window in force is kept (the "meetings" parameter set merges changes over it).
    past_days = forms.IntegerField(
        label=_("补录纸质会议最多（天）"), min_value=0, max_value=90, required=False
    )
    future_days = forms.IntegerField(
        label=_("提前召集会议最多（天）"), min_value=0, max_value=90, required=False
    )

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        return {
            "quorum_num": values["quorum"]["num"],
            "quorum_den": values["quorum"]["den"],
            "quorum_strict": values["quorum"]["strict"],
            "personnel_quorum_num": values["personnel_quorum"]["num"],
            "personnel_quorum_den": values["personnel_quorum"]["den"],
            "personnel_quorum_strict": values["personnel_quorum"]["strict"],
            "blind_statements": values["blind_statements"],
            "past_days": values["record_window"]["past_days"],
            "future_days": values["record_window"]["future_days"],
        }

    def changes(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "quorum": {"num": d["quorum_num"], "den": d["quorum_den"], "strict": d["quorum_strict"]},
            "personnel_quorum": {
                "num": d["personnel_quorum_num"],
                "den": d["personnel_quorum_den"],
                "strict": d["personnel_quorum_strict"],
            },
            "blind_statements": d["blind_statements"],
            "record_window": {k: d[k] for k in ("past_days", "future_days") if d.get(k) is not None},
        }
