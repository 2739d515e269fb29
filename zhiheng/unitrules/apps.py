from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class UnitrulesConfig(RegistersCodes, AppConfig):
    name = "zhiheng.unitrules"
    label = "unitrules"
    verbose_name = _("单位制度")
