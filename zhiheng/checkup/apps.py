from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class CheckupConfig(RegistersCodes, AppConfig):
    name = "zhiheng.checkup"
    verbose_name = _("廉政体检")
