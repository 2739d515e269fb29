from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class MattersConfig(RegistersCodes, AppConfig):
    name = "zhiheng.matters"
    label = "matters"
    verbose_name = _("事项")
