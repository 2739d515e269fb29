from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class InspectionsConfig(RegistersCodes, AppConfig):
    name = "zhiheng.inspections"
    verbose_name = _("督察检查")
