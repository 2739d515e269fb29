from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class ReportsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.reports"
    verbose_name = _("信访举报")
