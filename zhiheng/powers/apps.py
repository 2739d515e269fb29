from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhiheng.core.apps import RegistersCodes


class PowersConfig(RegistersCodes, AppConfig):
    name = "zhiheng.powers"
    label = "powers"
    verbose_name = _("职权与分工")
