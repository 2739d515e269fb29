from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class RiskregisterConfig(RegistersCodes, AppConfig):
    name = "zhiheng.riskregister"
    label = "riskregister"
    verbose_name = _("廉政风险防控")
