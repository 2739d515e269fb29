"""Forms check the shape of input; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiheng.accounts.models import Person
from zhiheng.org.models import Role, UnitKind


class UnitForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=32, help_text=_("英文小写与连字符，例如 jb-fgw"))
    name = forms.CharField(label=_("名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    is_active = forms.BooleanField(label=_("在用"), required=False)


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.filter(is_active=True))
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    title = forms.CharField(label=_("职务"), max_length=64, required=False)
    start = forms.DateField(label=_("任职起始"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("任职截止"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EndTermForm(forms.Form):
    end = forms.DateField(label=_("任职截止"), widget=forms.DateInput(attrs={"type": "date"}))


class ChangePrincipalForm(forms.Form):
    person = forms.ModelChoiceField(label=_("新任一把手"), queryset=Person.objects.filter(is_active=True))
    title = forms.CharField(label=_("职务"), max_length=64, required=False)
    on = forms.DateField(label=_("交接日期"), widget=forms.DateInput(attrs={"type": "date"}))
