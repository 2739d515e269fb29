from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class PilotsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.pilots"
    label = "pilots"
    verbose_name = _("试点工作")
